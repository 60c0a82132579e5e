// The declaration in include/CFuzzDriver.h is all this target provides; libFuzzer itself comes
// from the toolchain's clang runtime, linked by `-sanitize=fuzzer`.
#include "CFuzzDriver.h"
