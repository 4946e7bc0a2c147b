/* Random numbers of the synthetic generator: SplitMix64 (Steele, Lea & Flood 2014) as the
 * generator, one independent stream per purpose, normals by the polar Box-Muller method
 * with the second value kept for the next call. No global state. */
#ifndef ETW_SYNTH_RNG_H
#define ETW_SYNTH_RNG_H

#include <stdint.h>

typedef struct etw_synth_rng {
    uint64_t state;
    double spare;
    int has_spare;
} etw_synth_rng;

/* A stream derived from (seed, stream): different streams are independent. */
void etw_synth_rng_init(etw_synth_rng *rng, uint64_t seed, uint64_t stream);
uint64_t etw_synth_rng_next(etw_synth_rng *rng);
double etw_synth_rng_uniform(etw_synth_rng *rng);                  /* [0, 1) */
double etw_synth_rng_range(etw_synth_rng *rng, double lo, double hi); /* [lo, hi) */
double etw_synth_rng_normal(etw_synth_rng *rng);                   /* N(0, 1) */

#endif
