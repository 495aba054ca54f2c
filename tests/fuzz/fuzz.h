/*
 * The libFuzzer entry point every tests/fuzz/fuzz_*.c defines.  Built
 * with clang -fsanitize=fuzzer by `make fuzz`, and with gcc plus
 * replay.c (which calls it once per corpus file) by `make tests`.
 */
#ifndef FUZZ_H
#define FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/* a property the target checks: false is a crash libFuzzer reports */
static inline void
fuzz_must(int cond)
{
	if (!cond)
		abort();
}

#endif
