#include "etw_test.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

void etw_test_assert_close(double actual, double expected, double rel_tol, double abs_tol,
                           const char *what, const char *file, int line)
{
    double tol = abs_tol + rel_tol * fabs(expected);
    if (!(fabs(actual - expected) <= tol)) {
        print_error("%s = %.17g, expected %.17g (|diff| %.3g > tol %.3g)\n", what, actual,
                    expected, fabs(actual - expected), tol);
        _fail(file, line);
    }
}

static uint64_t rotl(uint64_t x, int k)
{
    return (x << k) | (x >> (64 - k));
}

static uint64_t splitmix64(uint64_t *x)
{
    uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

void etw_test_rng_seed(etw_test_rng *rng, uint64_t default_seed)
{
    uint64_t seed = default_seed;
    const char *env = getenv("ETW_TEST_SEED");
    if (env != NULL && *env != '\0') {
        seed = strtoull(env, NULL, 0);
    }
    printf("# rng seed %llu (set ETW_TEST_SEED=%llu to reproduce)\n",
           (unsigned long long)seed, (unsigned long long)seed);
    for (int i = 0; i < 4; i++) {
        rng->s[i] = splitmix64(&seed);
    }
}

uint64_t etw_test_rng_u64(etw_test_rng *rng)
{
    uint64_t *s = rng->s;
    uint64_t result = rotl(s[1] * 5, 7) * 9;
    uint64_t t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 45);
    return result;
}

double etw_test_rng_uniform(etw_test_rng *rng)
{
    return (double)(etw_test_rng_u64(rng) >> 11) * 0x1.0p-53;
}

double etw_test_rng_normal(etw_test_rng *rng)
{
    double u1 = etw_test_rng_uniform(rng);
    double u2 = etw_test_rng_uniform(rng);
    return sqrt(-2.0 * log(1.0 - u1)) * cos(2.0 * 3.14159265358979323846 * u2);
}

size_t etw_test_rng_below(etw_test_rng *rng, size_t n)
{
    return n == 0 ? 0 : (size_t)(etw_test_rng_u64(rng) % n);
}

size_t etw_test_rng_block(etw_test_rng *rng, size_t max)
{
    size_t r = etw_test_rng_below(rng, 4);
    return r < 2 ? r : etw_test_rng_below(rng, max);
}

const char *etw_test_shared_data(const char *relative)
{
    static char path[4096];
#ifdef ETW_SHARED_DATA
    const char *root = ETW_SHARED_DATA;
#else
    const char *root = "../shared/data";
#endif
    const char *env = getenv("ETW_SHARED_DATA");
    if (env != NULL && *env != '\0') {
        root = env;
    }
    snprintf(path, sizeof path, "%s/%s", root, relative);
    struct stat st;
    if (stat(path, &st) != 0) {
        printf("# skipped: %s not present (real recordings live in ../shared/data)\n", path);
        return NULL;
    }
    return path;
}
