#ifndef PERSONA_CFUZZDRIVER_H
#define PERSONA_CFUZZDRIVER_H

#include <stddef.h>
#include <stdint.h>

/// libFuzzer's documented entry point for programs that own `main` (FuzzerInterface.h):
/// it parses libFuzzer's flags from argv and runs `callback` on every generated input.
int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*callback)(const uint8_t *data, size_t size));

#endif
