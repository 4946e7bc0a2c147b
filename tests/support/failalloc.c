/* Failing allocator for allocation-failure sweeps. Test executables are linked with
 * -Wl,--wrap=malloc (and calloc, realloc, aligned_alloc, posix_memalign) against the static
 * test copy of the library, so every allocation the library makes passes through here. */
#include "etw_test.h"

#include <errno.h>
#include <stdlib.h>

void *__real_malloc(size_t size);
void *__real_calloc(size_t n, size_t size);
void *__real_realloc(void *p, size_t size);
void *__real_aligned_alloc(size_t alignment, size_t size);
int __real_posix_memalign(void **p, size_t alignment, size_t size);
void *__wrap_malloc(size_t size);
void *__wrap_calloc(size_t n, size_t size);
void *__wrap_realloc(void *p, size_t size);
void *__wrap_aligned_alloc(size_t alignment, size_t size);
int __wrap_posix_memalign(void **p, size_t alignment, size_t size);

static long fail_at = -1; /* test-binary state, not library state */
static long allocations;

static int should_fail(void)
{
    long index = allocations++;
    return fail_at >= 0 && index == fail_at;
}

void etw_failalloc_arm(long n)
{
    allocations = 0;
    fail_at = n;
}

void etw_failalloc_disarm(void)
{
    fail_at = -1;
}

void etw_failalloc_reset_count(void)
{
    allocations = 0;
}

long etw_failalloc_count(void)
{
    return allocations;
}

void *__wrap_malloc(size_t size)
{
    return should_fail() ? NULL : __real_malloc(size);
}

void *__wrap_calloc(size_t n, size_t size)
{
    return should_fail() ? NULL : __real_calloc(n, size);
}

void *__wrap_realloc(void *p, size_t size)
{
    return should_fail() ? NULL : __real_realloc(p, size);
}

void *__wrap_aligned_alloc(size_t alignment, size_t size)
{
    return should_fail() ? NULL : __real_aligned_alloc(alignment, size);
}

int __wrap_posix_memalign(void **p, size_t alignment, size_t size)
{
    return should_fail() ? ENOMEM : __real_posix_memalign(p, alignment, size);
}

void etw_failalloc_sweep(int (*attempt)(void *ctx), void *ctx)
{
    for (long k = 0;; k++) {
        etw_failalloc_arm(k);
        int ok = attempt(ctx);
        long made = etw_failalloc_count();
        etw_failalloc_disarm();
        if (made <= k) {
            /* no allocation was failed: the attempt must have succeeded */
            assert_true(ok);
            return;
        }
        if (ok) {
            print_error("allocation #%ld failed but the call reported success\n", k);
            fail();
        }
        assert_true(k < 100000);
    }
}
