/* The README's API example: detect twitches in a signal held in memory. The lines between
 * the README markers appear verbatim in README.md (a test checks it); the rest makes a
 * test signal (noise with two short bursts) so the program runs on its own. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include <emgtwitch/emgtwitch.h>

enum { FS = 2000, SECONDS = 10, N = FS * SECONDS };

/* 10 s of 5 uV noise with 40 ms bursts of 150 Hz at 3 s and 7 s, in volts. */
static void make_signal(float *x)
{
    unsigned seed = 12345u;
    for (size_t i = 0; i < N; i++) {
        double t = (double)i / FS, noise = 0.0;
        for (int k = 0; k < 12; k++) { /* sum of uniforms: about Gaussian */
            seed = seed * 1103515245u + 12345u;
            noise += (double)(seed >> 8) / (double)(1u << 24) - 0.5;
        }
        int burst = (t >= 3.0 && t < 3.04) || (t >= 7.0 && t < 7.04);
        x[i] = (float)(5e-6 * noise + (burst ? 100e-6 * sin(2 * 3.14159265358979 * 150 * t) : 0.0));
    }
}

int main(void)
{
    float *signal = malloc(N * sizeof *signal);
    if (!signal) {
        return 1;
    }
    make_signal(signal);
    const float *channels[1] = {signal};
    size_t nframes = N;
    double fs = FS;
    /* README-BEGIN */
    etw_twitch_config cfg;
    etw_twitch_event events[64];
    size_t n = 0;
    if (etw_twitch_config_default(fs, 1, &cfg) == ETW_OK &&
        etw_twitch_detect(&cfg, channels, nframes, events, 64, &n) == ETW_OK)
        for (size_t i = 0; i < n; i++)
            printf("twitch at %.3f s, %.0f ms, SNR %.1f dB\n", events[i].onset_s,
                   1000 * events[i].duration_s, events[i].snr_db);
    /* README-END */
    free(signal);
    return n == 2 ? 0 : 1;
}
