/* Streaming behaviour: detection of clear bursts, block-partition invariance, capacity
 * handling, API errors, allocation failures, reset and multi-channel coincidence. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "emgtwitch/twitch.h"
#include "etw_test.h"
#include "signals.h"
#include "twitch_tests.h"

#define FS 2048.0
#define MAXEV 256

static const double burst_t[] = {2.0, 4.1, 6.3, 8.2, 10.4, 12.5, 14.6, 16.8};
static const double burst_d[] = {0.02, 0.04, 0.08, 0.15, 0.03, 0.06, 0.12, 0.2};
#define NBURST (sizeof burst_t / sizeof burst_t[0])

/* nch channels of 20 s noise (RMS 1 uV) with the bursts at snr_db on channel 0 (and on
 * every channel when all is set). */
static float **make_signal(size_t nch, size_t n, double snr_db, int all, uint64_t seed)
{
    etw_test_rng rng;
    etw_test_rng_seed(&rng, seed);
    float **x = calloc(nch, sizeof *x);
    for (size_t c = 0; c < nch; c++) {
        x[c] = calloc(n, sizeof **x);
        sig_noise(&rng, x[c], n, 1e-6);
        for (size_t k = 0; k < NBURST && (c == 0 || all); k++) {
            sig_burst(&rng, x[c], n, FS, burst_t[k], burst_d[k], 1e-6 * pow(10, snr_db / 20));
        }
    }
    return x;
}

static void free_signal(float **x, size_t nch)
{
    for (size_t c = 0; c < nch; c++) {
        free(x[c]);
    }
    free(x);
}

static void config(etw_twitch_config *cfg, size_t nch)
{
    assert_int_equal(etw_twitch_config_default(FS, nch, cfg), ETW_OK);
}

/* Detects the bursts at 15 dB in 20 s of one channel of white noise (seed: rng seed) with
 * the defaults; asserts that every burst was found as a twitch, in order, near its time. */
static void detect_bursts_in_noise(uint64_t seed, etw_twitch_event *ev)
{
    size_t n = (size_t)(20 * FS);
    float **x = make_signal(1, n, 15.0, 0, seed);
    etw_twitch_config cfg;
    config(&cfg, 1);
    size_t found = 0;
    assert_int_equal(etw_twitch_detect(&cfg, (const float *const *)x, n, ev, MAXEV, &found),
                     ETW_OK);
    free_signal(x, 1);
    assert_int_equal(found, NBURST);
    for (size_t k = 0; k < NBURST; k++) {
        assert_true(ev[k].flags & ETW_TWITCH_FLAG_TWITCH);
        assert_true(fabs(ev[k].onset_s - burst_t[k]) < 0.05);
    }
}

void stream_finds_bursts_in_noise(void **state)
{
    (void)state;
    etw_twitch_event ev[MAXEV];
    detect_bursts_in_noise(11, ev);
    for (size_t k = 0; k < NBURST; k++) {
        /* a sine-envelope burst starts at zero amplitude (at 15 % of its length it is at 45 %
         * of its peak): 10 ms, or 15 % of the duration */
        assert_close(ev[k].onset_s, burst_t[k], 0, fmax(0.010, 0.15 * burst_d[k]));
        assert_close(ev[k].duration_s, burst_d[k], 0.5, 0.02);
        assert_true(ev[k].snr_db > 8.0 && ev[k].snr_db < 20.0);
        assert_true(ev[k].mean_freq_hz > 100.0 && ev[k].mean_freq_hz < 450.0);
        assert_true(ev[k].median_freq_hz > 50.0 && ev[k].median_freq_hz < 450.0);
        assert_true(ev[k].phases >= 2 && ev[k].turns >= 2);
        assert_true(ev[k].peak >= ev[k].onset && ev[k].peak < ev[k].offset);
        assert_true(ev[k].peak_to_peak > 2.0 * ev[k].peak_envelope);
        assert_true(ev[k].area > 0.0 && ev[k].confidence > 0.5 && ev[k].confidence <= 1.0);
        /* band-passed white noise (0.62 uV RMS) after the pre-emphasis, which removes its
         * lower band: the floor is that of the detection signal */
        assert_close(ev[k].floor, 0.20e-6, 0.2, 0);
        assert_int_equal(ev[k].channel, 0);
        assert_int_equal(ev[k].nchannels, 1);
        assert_true(ev[k].channel_mask[0] == 1);
        if (k > 0) {
            assert_true(ev[k].onset > ev[k - 1].onset);
        }
    }
}

/* The false-alarm-controlled peak criterion on white noise at 2048 Hz: early in a stream the
 * excursions 0-2 dB over the start threshold look almost uniform (their slope is shallow
 * just over the threshold), and a fit over that band alone raised the criterion 5-13 dB
 * (docs/twitch.md, width of the fitted band). At this seed (ETW_TEST_SEED=40 in
 * stream_finds_bursts_in_noise) the 30 ms burst at 10.4 s, 17.7 dB over the floor, was
 * rejected as LOW_SNR. Every burst must be a twitch. */
void stream_white_noise_keeps_clear_bursts(void **state)
{
    (void)state;
    etw_twitch_event ev[MAXEV];
    detect_bursts_in_noise(40, ev);
}

/* The floor from the start of a stream: in white noise (RMS 1 uV; 0.20 uV after the
 * pre-emphasis, see stream_finds_bursts_in_noise) every reported excursion of the first
 * 4 s must be judged against a floor within 12 % of that, once half a second of windows has
 * been learnt (detection starts at ~0.75 s; the median of the first few 25 ms windows
 * scatters by up to 25 % either way: 0.83-1.24 in these 8 records). A floor learnt from the
 * first few windows while the detector froze the tracker on the excursions that floor let
 * through stayed 25 % low for 2-4 s at ETW_TEST_SEED=19 (docs/twitch.md, start-up), which
 * lengthened the 20 ms burst at 2.0 s to 50-100 ms. Several noise realisations, so the
 * test does not rest on one. */
void stream_floor_from_the_start(void **state)
{
    (void)state;
    size_t n = (size_t)(4 * FS);
    etw_twitch_config cfg;
    config(&cfg, 1);
    cfg.report_all = 1;
    etw_test_rng rng;
    etw_test_rng_seed(&rng, 19);
    float *x = calloc(n, sizeof *x);
    static etw_twitch_event ev[MAXEV];
    size_t checked = 0;
    for (int r = 0; r < 8; r++) {
        sig_noise(&rng, x, n, 1e-6);
        const float *ptr[1] = {x};
        size_t found = 0;
        assert_int_equal(etw_twitch_detect(&cfg, ptr, n, ev, MAXEV, &found), ETW_OK);
        for (size_t k = 0; k < found; k++) {
            checked += ev[k].onset_s >= 1.25;
            if (ev[k].onset_s >= 1.25) {
                assert_close(ev[k].floor, 0.215e-6, 0.15, 0);
            }
        }
    }
    free(x);
    assert_true(checked > 0);
}

/* Pushes n frames of x to det in blocks of `block` frames; asserts that no event came. */
static void push_quiet(etw_twitch *det, float **x, size_t n, size_t block)
{
    etw_twitch_event ev[4];
    for (size_t pos = 0; pos < n; pos += block) {
        size_t len = block < n - pos ? block : n - pos, used = 0, k = 9;
        const float *ptr[2] = {x[0] + pos, x[1] + pos};
        assert_int_equal(etw_twitch_process(det, ptr, len, &used, ev, 4, &k), ETW_OK);
        assert_int_equal(k, 0);
    }
}

void stream_floor_getter(void **state)
{
    (void)state;
    size_t n = (size_t)(4 * FS);
    etw_test_rng rng;
    etw_test_rng_seed(&rng, 23);
    float *x[2] = {calloc(n, sizeof(float)), calloc(n, sizeof(float))};
    sig_noise(&rng, x[0], n, 1e-6);
    sig_noise(&rng, x[1], n, 1e-5);
    etw_twitch_config cfg;
    config(&cfg, 2);
    etw_twitch *whole = NULL, *cut = NULL;
    assert_int_equal(etw_twitch_create(&cfg, &whole), ETW_OK);
    assert_int_equal(etw_twitch_create(&cfg, &cut), ETW_OK);
    double fl = 0.0, other = 0.0;
    assert_int_equal(etw_twitch_get_floor(NULL, 0, &fl), ETW_ERR_NULL);
    assert_int_equal(etw_twitch_get_floor(whole, 0, NULL), ETW_ERR_NULL);
    assert_int_equal(etw_twitch_get_floor(whole, 2, &fl), ETW_ERR_RANGE);
    assert_int_equal(etw_twitch_get_floor(whole, 0, &fl), ETW_ERR_STATE);
    assert_true(isnan(fl));
    push_quiet(whole, x, n, n);
    push_quiet(cut, x, n, 7);
    /* white noise of RMS s gives a floor of ~0.215 s (stream_floor_from_the_start) */
    for (size_t c = 0; c < 2; c++) {
        assert_int_equal(etw_twitch_get_floor(whole, c, &fl), ETW_OK);
        assert_close(fl, 0.215e-6 * (c ? 10.0 : 1.0), 0.15, 0);
        assert_int_equal(etw_twitch_get_floor(cut, c, &other), ETW_OK);
        assert_memory_equal(&fl, &other, sizeof fl);
    }
    etw_twitch_reset(whole);
    assert_int_equal(etw_twitch_get_floor(whole, 1, &fl), ETW_ERR_STATE);
    etw_twitch_destroy(whole);
    etw_twitch_destroy(cut);
    free(x[0]);
    free(x[1]);
}

/* Streams x through a detector in random blocks (0 and 1 frames included) and a capacity
 * of cap per call; returns the number of events collected into ev. */
static size_t stream(const etw_twitch_config *cfg, float **x, size_t n, etw_test_rng *rng,
                     size_t cap, etw_twitch_event *ev)
{
    etw_twitch *det = NULL;
    assert_int_equal(etw_twitch_create(cfg, &det), ETW_OK);
    size_t got = 0, pos = 0;
    const float *ptr[8];
    while (pos < n) {
        size_t r = etw_test_rng_below(rng, 10);
        size_t len = r == 0 ? 0 : r == 1 ? 1 : etw_test_rng_below(rng, 3000);
        len = len > n - pos ? n - pos : len;
        for (size_t c = 0; c < cfg->nch; c++) {
            ptr[c] = x[c] + pos;
        }
        size_t used = 0, k = 0;
        size_t room = MAXEV - got < cap ? MAXEV - got : cap;
        etw_status st = etw_twitch_process(det, ptr, len, &used, ev + got, room, &k);
        assert_true(st == ETW_OK || st == ETW_ERR_CAPACITY);
        assert_true(st == ETW_ERR_CAPACITY || used == len);
        assert_true(k <= room);
        got += k;
        pos += used;
    }
    for (;;) {
        size_t k = 0;
        size_t room = MAXEV - got < cap ? MAXEV - got : cap;
        etw_status st = etw_twitch_flush(det, ev + got, room, &k);
        got += k;
        if (st == ETW_OK) {
            break;
        }
        assert_int_equal(st, ETW_ERR_CAPACITY);
    }
    etw_twitch_destroy(det);
    return got;
}

/* Events of x (nch channels, n frames) with every burst reported: offline, then streamed in
 * random blocks 4 times (capacities 1-3 and unlimited), all bit-identical. */
static void assert_partition_invariance(size_t nch, float **x, size_t n, uint64_t seed)
{
    etw_twitch_config cfg;
    config(&cfg, nch);
    cfg.report_all = 1;
    static etw_twitch_event whole[MAXEV], parts[MAXEV];
    size_t nwhole = 0;
    assert_int_equal(
        etw_twitch_detect(&cfg, (const float *const *)x, n, whole, MAXEV, &nwhole), ETW_OK);
    assert_true(nwhole > 8 && nwhole < MAXEV);
    etw_test_rng rng;
    etw_test_rng_seed(&rng, seed);
    for (int trial = 0; trial < 4; trial++) {
        memset(parts, 0xA5, sizeof parts);
        size_t cap = trial == 0 ? MAXEV : (size_t)(1 + trial);
        size_t nparts = stream(&cfg, x, n, &rng, cap, parts);
        assert_int_equal(nparts, nwhole);
        assert_memory_equal(parts, whole, nwhole * sizeof whole[0]);
    }
}

void stream_block_partition_invariance(void **state)
{
    (void)state;
    size_t n = (size_t)(20 * FS), nch = 2;
    float **x = make_signal(nch, n, 8.0, 1, 12);
    /* hostile parts too: a NaN run, a DC step and hum on channel 1 */
    for (size_t i = 30000; i < 30100; i++) {
        x[0][i] = NAN;
    }
    for (size_t i = 20000; i < n; i++) {
        x[1][i] += 5e-6f;
        x[1][i] += (float)(2e-6 * sin(2 * 3.14159265358979 * 50.0 * (double)i / FS));
    }
    assert_partition_invariance(nch, x, n, 99);
    free_signal(x, nch);
}

/* Hum from the start: the mains probe switches the comb on at its end, wherever the blocks
 * end (the comb once started on the chunk that completed the probe, so its start depended
 * on the block sizes). */
void stream_partition_invariance_with_comb(void **state)
{
    (void)state;
    size_t n = (size_t)(20 * FS), nch = 2;
    float **x = make_signal(nch, n, 8.0, 1, 16);
    for (size_t c = 0; c < nch; c++) {
        for (size_t i = 0; i < n; i++) {
            x[c][i] += (float)(4e-6 * sin(2 * 3.14159265358979 * 50.0 * (double)i / FS));
        }
    }
    assert_partition_invariance(nch, x, n, 98);
    free_signal(x, nch);
}

void stream_capacity_resume(void **state)
{
    (void)state;
    size_t n = (size_t)(20 * FS);
    float **x = make_signal(1, n, 15.0, 0, 13);
    etw_twitch_config cfg;
    config(&cfg, 1);
    etw_twitch *det = NULL;
    assert_int_equal(etw_twitch_create(&cfg, &det), ETW_OK);
    /* capacity 0: the call stops at the first due event and reports where */
    size_t pos = 0, used = 0, k = 0, got = 0, stops = 0;
    etw_twitch_event ev[MAXEV];
    while (pos < n) {
        const float *ptr[1] = {x[0] + pos};
        etw_status st = etw_twitch_process(det, ptr, n - pos, &used, NULL, 0, &k);
        assert_int_equal(k, 0);
        pos += used;
        if (st == ETW_ERR_CAPACITY) {
            stops++;
            assert_true(used < n || pos == n);
            /* a call with room delivers exactly the due event(s) without consuming */
            const float *p2[1] = {x[0] + pos};
            assert_int_equal(etw_twitch_process(det, p2, 0, &used, ev + got, 1, &k), ETW_OK);
            assert_int_equal(k, 1);
            assert_int_equal(used, 0);
            got += k;
        } else {
            assert_int_equal(st, ETW_OK);
        }
    }
    assert_int_equal(etw_twitch_flush(det, ev + got, MAXEV - got, &k), ETW_OK);
    got += k;
    assert_int_equal(got, NBURST);
    assert_true(stops >= NBURST - 1);
    /* after flush: process is refused, flush again delivers nothing */
    const float *ptr[1] = {x[0]};
    assert_int_equal(etw_twitch_process(det, ptr, 1, &used, ev, 1, &k), ETW_ERR_STATE);
    assert_int_equal(etw_twitch_flush(det, ev, 1, &k), ETW_OK);
    assert_int_equal(k, 0);
    etw_twitch_destroy(det);
    free_signal(x, 1);
}

void stream_detect_capacity_counts(void **state)
{
    (void)state;
    size_t n = (size_t)(20 * FS);
    float **x = make_signal(1, n, 15.0, 0, 14);
    etw_twitch_config cfg;
    config(&cfg, 1);
    etw_twitch_event all[MAXEV], few[3];
    size_t nall = 0, nfew = 0;
    assert_int_equal(etw_twitch_detect(&cfg, (const float *const *)x, n, all, MAXEV, &nall),
                     ETW_OK);
    assert_int_equal(etw_twitch_detect(&cfg, (const float *const *)x, n, few, 3, &nfew),
                     ETW_ERR_CAPACITY);
    assert_int_equal(nfew, nall);
    assert_memory_equal(few, all, 3 * sizeof few[0]);
    assert_int_equal(etw_twitch_detect(&cfg, (const float *const *)x, n, NULL, 0, &nfew),
                     ETW_ERR_CAPACITY);
    assert_int_equal(nfew, nall);
    free_signal(x, 1);
}

void stream_api_errors(void **state)
{
    (void)state;
    etw_twitch_config cfg;
    config(&cfg, 2);
    etw_twitch *det = (etw_twitch *)&cfg;
    assert_int_equal(etw_twitch_create(NULL, &det), ETW_ERR_NULL);
    assert_int_equal(etw_twitch_create(&cfg, NULL), ETW_ERR_NULL);
    cfg.on_db = NAN;
    assert_int_equal(etw_twitch_create(&cfg, &det), ETW_ERR_NONFINITE);
    assert_null(det);
    config(&cfg, 2);
    assert_int_equal(etw_twitch_create(&cfg, &det), ETW_OK);
    assert_true(etw_twitch_get_latency(det) > (int64_t)(0.25 * FS));
    assert_int_equal(etw_twitch_get_latency(NULL), -1);
    float a[4] = {0}, b[4] = {0};
    const float *in[2] = {a, b}, *half[2] = {a, NULL};
    size_t used = 9, k = 9;
    etw_twitch_event ev[2];
    assert_int_equal(etw_twitch_process(NULL, in, 4, &used, ev, 2, &k), ETW_ERR_NULL);
    assert_int_equal(etw_twitch_process(det, NULL, 4, &used, ev, 2, &k), ETW_ERR_NULL);
    assert_int_equal(etw_twitch_process(det, half, 4, &used, ev, 2, &k), ETW_ERR_NULL);
    assert_int_equal(etw_twitch_process(det, in, 4, NULL, ev, 2, &k), ETW_ERR_NULL);
    assert_int_equal(etw_twitch_process(det, in, 4, &used, NULL, 2, &k), ETW_ERR_NULL);
    assert_int_equal(etw_twitch_process(det, in, 4, &used, ev, 2, NULL), ETW_ERR_NULL);
    assert_int_equal(etw_twitch_process(det, NULL, 0, &used, NULL, 0, &k), ETW_OK);
    assert_int_equal(used, 0);
    assert_int_equal(etw_twitch_flush(NULL, ev, 2, &k), ETW_ERR_NULL);
    assert_int_equal(etw_twitch_flush(det, NULL, 2, &k), ETW_ERR_NULL);
    assert_int_equal(etw_twitch_flush(det, ev, 2, NULL), ETW_ERR_NULL);
    assert_int_equal(etw_twitch_detect(NULL, in, 4, ev, 2, &k), ETW_ERR_NULL);
    assert_int_equal(etw_twitch_detect(&cfg, NULL, 4, ev, 2, &k), ETW_ERR_NULL);
    assert_int_equal(etw_twitch_detect(&cfg, in, 4, NULL, 2, &k), ETW_ERR_NULL);
    assert_int_equal(etw_twitch_detect(&cfg, in, 4, ev, 2, NULL), ETW_ERR_NULL);
    cfg.nch = 0;
    assert_int_equal(etw_twitch_detect(&cfg, in, 4, ev, 2, &k), ETW_ERR_RANGE);
    etw_twitch_destroy(det);
    etw_twitch_destroy(NULL);
    etw_twitch_reset(NULL);
}

static int create_once(void *ctx)
{
    etw_twitch_config *cfg = ctx;
    etw_twitch *det = NULL;
    etw_status st = etw_twitch_create(cfg, &det);
    if (st != ETW_OK) {
        assert_int_equal(st, ETW_ERR_NOMEM);
        assert_null(det);
        return 0;
    }
    etw_twitch_destroy(det);
    return 1;
}

void stream_allocation_failure_sweep(void **state)
{
    (void)state;
    etw_twitch_config cfg;
    config(&cfg, 3);
    etw_failalloc_sweep(create_once, &cfg);
    cfg.mains_hz = 50.0;
    etw_failalloc_sweep(create_once, &cfg);
}

void stream_reset_repeats(void **state)
{
    (void)state;
    size_t n = (size_t)(12 * FS);
    float **x = make_signal(1, n, 12.0, 0, 15);
    etw_twitch_config cfg;
    config(&cfg, 1);
    etw_twitch *det = NULL;
    assert_int_equal(etw_twitch_create(&cfg, &det), ETW_OK);
    etw_twitch_event first[MAXEV], second[MAXEV];
    size_t n1 = 0, n2 = 0, used = 0, k = 0;
    for (int round = 0; round < 2; round++) {
        etw_twitch_event *ev = round ? second : first;
        size_t *count = round ? &n2 : &n1;
        assert_int_equal(etw_twitch_process(det, (const float *const *)x, n, &used, ev, MAXEV,
                                            &k),
                         ETW_OK);
        *count = k;
        assert_int_equal(etw_twitch_flush(det, ev + k, MAXEV - k, &k), ETW_OK);
        *count += k;
        etw_twitch_reset(det);
    }
    assert_true(n1 >= 4);
    assert_int_equal(n1, n2);
    assert_memory_equal(first, second, n1 * sizeof first[0]);
    etw_twitch_destroy(det);
    free_signal(x, 1);
}

void stream_multichannel_coincidence(void **state)
{
    (void)state;
    size_t n = (size_t)(12 * FS), nch = 4;
    etw_test_rng rng;
    etw_test_rng_seed(&rng, 16);
    float **x = calloc(nch, sizeof *x);
    for (size_t c = 0; c < nch; c++) {
        x[c] = calloc(n, sizeof **x);
        sig_noise(&rng, x[c], n, 1e-6);
    }
    /* t = 3 s: channels 1 and 2 (2 ms apart); t = 6 s: channel 3 alone */
    sig_burst(&rng, x[1], n, FS, 3.0, 0.05, 6e-6);
    sig_burst(&rng, x[2], n, FS, 3.002, 0.05, 8e-6);
    sig_burst(&rng, x[3], n, FS, 6.0, 0.05, 6e-6);
    etw_twitch_config cfg;
    config(&cfg, nch);
    etw_twitch_event ev[MAXEV];
    size_t k = 0;
    assert_int_equal(etw_twitch_detect(&cfg, (const float *const *)x, n, ev, MAXEV, &k),
                     ETW_OK);
    assert_int_equal(k, 2);
    assert_int_equal(ev[0].nchannels, 2);
    assert_true(ev[0].channel_mask[0] == 0x6);
    assert_true(ev[0].channel == 1 || ev[0].channel == 2);
    assert_close(ev[0].onset_s, 3.0, 0, 0.01);
    assert_int_equal(ev[1].nchannels, 1);
    assert_int_equal(ev[1].channel, 3);
    cfg.min_channels = 2;
    assert_int_equal(etw_twitch_detect(&cfg, (const float *const *)x, n, ev, MAXEV, &k),
                     ETW_OK);
    assert_int_equal(k, 1);
    assert_int_equal(ev[0].nchannels, 2);
    cfg.report_all = 1;
    assert_int_equal(etw_twitch_detect(&cfg, (const float *const *)x, n, ev, MAXEV, &k),
                     ETW_OK);
    int few = 0;
    for (size_t i = 0; i < k; i++) {
        few += (ev[i].flags & ETW_TWITCH_FLAG_FEW_CHANNELS) != 0;
    }
    assert_int_equal(few, 1);
    free_signal(x, nch);
}
