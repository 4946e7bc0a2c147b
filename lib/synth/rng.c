#include "synth/rng.h"

#include <math.h>

static uint64_t mix(uint64_t z)
{
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

void etw_synth_rng_init(etw_synth_rng *rng, uint64_t seed, uint64_t stream)
{
    rng->state = mix(seed ^ mix(stream + 0x632BE59BD9B4E019ULL));
    rng->spare = 0.0;
    rng->has_spare = 0;
}

uint64_t etw_synth_rng_next(etw_synth_rng *rng)
{
    rng->state += 0x9E3779B97F4A7C15ULL;
    return mix(rng->state);
}

double etw_synth_rng_uniform(etw_synth_rng *rng)
{
    return (double)(etw_synth_rng_next(rng) >> 11) * 0x1.0p-53;
}

double etw_synth_rng_range(etw_synth_rng *rng, double lo, double hi)
{
    return lo + (hi - lo) * etw_synth_rng_uniform(rng);
}

double etw_synth_rng_normal(etw_synth_rng *rng)
{
    if (rng->has_spare) {
        rng->has_spare = 0;
        return rng->spare;
    }
    double u, v, s;
    do {
        u = 2.0 * etw_synth_rng_uniform(rng) - 1.0;
        v = 2.0 * etw_synth_rng_uniform(rng) - 1.0;
        s = u * u + v * v;
    } while (s >= 1.0 || s == 0.0);
    double f = sqrt(-2.0 * log(s) / s);
    rng->spare = v * f;
    rng->has_spare = 1;
    return u * f;
}
