// Entry point: replaced by the command tree once the CLI module lands.
print("persona 0.1.0")
