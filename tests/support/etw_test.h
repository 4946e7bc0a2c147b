/* Shared helpers for the cmocka tests: tolerant comparisons, a seeded RNG that reports its
 * seed, data-folder lookup and the failing allocator (see failalloc.c). */
#ifndef ETW_TEST_H
#define ETW_TEST_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

/* Fails the test unless |actual - expected| <= abs_tol + rel_tol * |expected|; prints both. */
#define assert_close(actual, expected, rel_tol, abs_tol) \
    etw_test_assert_close((actual), (expected), (rel_tol), (abs_tol), #actual, __FILE__, __LINE__)
void etw_test_assert_close(double actual, double expected, double rel_tol, double abs_tol,
                           const char *what, const char *file, int line);

/* Deterministic RNG (xoshiro256**). The seed comes from ETW_TEST_SEED when set, else the
 * given default; it is printed so a failing run can be reproduced. */
typedef struct etw_test_rng {
    uint64_t s[4];
} etw_test_rng;
void etw_test_rng_seed(etw_test_rng *rng, uint64_t default_seed);
uint64_t etw_test_rng_u64(etw_test_rng *rng);
double etw_test_rng_uniform(etw_test_rng *rng);  /* [0, 1) */
double etw_test_rng_normal(etw_test_rng *rng);   /* N(0, 1) */
size_t etw_test_rng_below(etw_test_rng *rng, size_t n); /* [0, n) */
/* A block length for partition tests: 0 or 1 frame with probability 1/4 each, else [0, max). */
size_t etw_test_rng_block(etw_test_rng *rng, size_t max);

/* Path of a file under ../shared/data, or NULL (and a message) when the folder is absent.
 * The returned string is static storage, overwritten by the next call. */
const char *etw_test_shared_data(const char *relative);

/* Failing allocator: after etw_failalloc_arm(n), the n-th following allocation (0 = the next
 * one) made by anything in the test binary returns NULL; disarm restores normal behaviour.
 * etw_failalloc_count() reports how many allocations happened since the last arm/reset. */
void etw_failalloc_arm(long n);
void etw_failalloc_disarm(void);
void etw_failalloc_reset_count(void);
long etw_failalloc_count(void);

/* Runs `attempt` with the k-th allocation failing for k = 0, 1, ... until it succeeds without
 * a failure being injected. `attempt` must return nonzero on success and clean up after
 * itself on failure; the sweep asserts that every injected failure is reported (attempt
 * returns 0) and nothing leaks (checked by ASan/LSan in the sanitizer build). */
void etw_failalloc_sweep(int (*attempt)(void *ctx), void *ctx);

#endif
