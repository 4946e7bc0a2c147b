/* Input copy of the twitch detector (internal): one channel's new samples into its raw-input
 * ring and, minus the stream's first value, into the band-pass input, with the finiteness
 * check on the way. */
#ifndef ETW_TWITCH_INPUT_H
#define ETW_TWITCH_INPUT_H

#include <stddef.h>
#include <stdint.h>

/* Of n samples stored at times t .. t + n - 1 in a ring of mask + 1 slots (slot t & mask
 * first), how many fit before the ring's end; the rest wrap to slot 0. */
static inline size_t etw_ring_first(int64_t mask, int64_t t, size_t n)
{
    size_t room = (size_t)mask + 1 - (size_t)(t & mask);
    return room < n ? room : n;
}

/* Copies src[0 .. n) into the ring (mask + 1 floats) at times t .. t + n - 1 and
 * src[i] - x0 into out[i]; returns 1 if every src value is finite (else the copies are to be
 * redone by the non-finite policy). */
typedef int (*etw_input_fn)(float *ring, int64_t mask, int64_t t, const float *src, size_t n,
                            float x0, float *out);

/* The AVX2 build of the same loops when the CPU has AVX2, else the portable one. The AVX2
 * build does the same operations 8 samples per instruction: the copy mostly waits for the
 * caller's input to arrive from memory, and fewer instructions per cache line let the core
 * ask for more lines at once. */
etw_input_fn etw_input_kernel(void);

/* The portable build (for tests: it must agree with etw_input_kernel() bit for bit). */
etw_input_fn etw_input_portable(void);

#endif
