// Entry point: build the command tree, run it, exit with its code. Everything else lives in
// PersonaCommand.swift and Commands/.
import CLI
import Foundation

let code = await PersonaCommand.root.main(Array(CommandLine.arguments.dropFirst()))
exit(code.rawValue)
