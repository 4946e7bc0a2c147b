/* The synthetic generator: determinism, block invariance, the SNR definition, durations,
 * isolation of twitches from distractors, markers, multi-channel spread, argument checks and
 * allocation failures. */
#include "etw_test.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "emgtwitch/synth.h"

/* A whole recording in one planar buffer. */
typedef struct rec {
    size_t nch, n;
    float *data;
    float *ch[64];
} rec;

static rec make_rec(const etw_synth *s)
{
    etw_synth_stats st;
    assert_int_equal(etw_synth_get_stats(s, &st), ETW_OK);
    rec r = {etw_synth_get_config(s)->nch, (size_t)st.nframes, NULL, {0}};
    assert_true(r.nch <= 64);
    r.data = calloc(r.nch * r.n, sizeof(float));
    assert_non_null(r.data);
    for (size_t c = 0; c < r.nch; c++)
        r.ch[c] = r.data + c * r.n;
    return r;
}

static rec render(const etw_synth_config *cfg, etw_synth **keep)
{
    etw_synth *s = NULL;
    assert_int_equal(etw_synth_create(cfg, &s), ETW_OK);
    rec r = make_rec(s);
    assert_int_equal(etw_synth_generate_all(s, r.ch, r.n), ETW_OK);
    if (keep)
        *keep = s;
    else
        etw_synth_destroy(s);
    return r;
}

static etw_synth_config preset(const char *name, double fs, size_t nch, double dur)
{
    etw_synth_config c = etw_synth_config_default(fs, nch, dur, 1234);
    assert_int_equal(etw_synth_config_preset(name, &c), ETW_OK);
    return c;
}

static void defaults_place_every_twitch_in_range(void **state)
{
    (void)state;
    etw_synth_config c = etw_synth_config_default(2000.0, 1, 60.0, 7);
    etw_synth *s;
    assert_int_equal(etw_synth_create(&c, &s), ETW_OK);
    etw_synth_stats st;
    assert_int_equal(etw_synth_get_stats(s, &st), ETW_OK);
    assert_int_equal(st.nframes, 120000);
    assert_int_equal(st.twitches_requested, 20);
    assert_int_equal(st.twitches_placed, 20);
    size_t n;
    const etw_synth_event *ev = etw_synth_events(s, &n);
    assert_int_equal(n, 20);
    for (size_t i = 0; i < n; i++) {
        assert_int_equal(ev[i].kind, ETW_SYNTH_TWITCH);
        assert_true(ev[i].duration_s >= 0.010 - 0.5 / 2000 && ev[i].duration_s <= 0.250 + 0.5 / 2000);
        assert_close(ev[i].snr_db, 10.0, 0, 1e-9);
        assert_true(ev[i].onset_s >= 1.0 && ev[i].offset_s <= 59.0);
        assert_true(i == 0 || ev[i].onset >= ev[i - 1].offset + 1000); /* 0.5 s apart */
        assert_int_equal(ev[i].marker, -1);
    }
    etw_synth_destroy(s);
}

static int same(const rec *a, const rec *b)
{
    return a->n == b->n && memcmp(a->data, b->data, a->n * a->nch * sizeof(float)) == 0;
}

static void same_seed_same_recording(void **state)
{
    (void)state;
    etw_synth_config c = preset("demo", 1000.0, 3, 20.0);
    rec a = render(&c, NULL), b = render(&c, NULL);
    assert_true(same(&a, &b));
    c.seed++;
    rec d = render(&c, NULL);
    assert_false(same(&a, &d));
    for (size_t i = 0; i < a.n * a.nch; i++)
        assert_true(isfinite(a.data[i]));
    free(a.data);
    free(b.data);
    free(d.data);
}

static void any_block_partition_gives_the_same_samples(void **state)
{
    (void)state;
    etw_synth_config c = preset("demo", 1000.0, 4, 20.0);
    etw_synth *s;
    rec whole = render(&c, &s);
    rec part = make_rec(s);
    etw_test_rng rng;
    etw_test_rng_seed(&rng, 99);
    for (int round = 0; round < 3; round++) {
        etw_synth_reset(s);
        memset(part.data, 0xff, part.n * part.nch * sizeof(float));
        size_t pos = 0, produced = 1;
        while (produced > 0 || pos < part.n) {
            size_t want = etw_test_rng_below(&rng, 4) == 0 ? etw_test_rng_below(&rng, 2)
                                                             : etw_test_rng_below(&rng, 700);
            float *p[64];
            for (size_t ch = 0; ch < part.nch; ch++)
                p[ch] = part.ch[ch] + pos;
            assert_int_equal(etw_synth_generate(s, p, want, &produced), ETW_OK);
            assert_true(produced <= want);
            pos += produced;
            if (pos == part.n && want > 0 && produced == 0)
                break;
        }
        assert_int_equal(pos, part.n);
        assert_true(same(&whole, &part));
    }
    etw_synth_destroy(s);
    free(whole.data);
    free(part.data);
}

static double rms(const float *x, size_t n)
{
    double sum = 0.0;
    for (size_t i = 0; i < n; i++)
        sum += (double)x[i] * x[i];
    return sqrt(sum / (double)n);
}

/* SNR of one twitch measured as the RMS of (with - without twitches) over its interval on
 * its lead channel, over the reference RMS. */
static double measured_snr_db(const rec *with, const rec *without, const etw_synth_event *e,
                              double ref)
{
    double sum = 0.0;
    for (int64_t k = e->onset; k < e->offset; k++) {
        double d = (double)with->ch[e->channel][k] - without->ch[e->channel][k];
        sum += d * d;
    }
    return 20.0 * log10(sqrt(sum / (double)(e->offset - e->onset)) / ref);
}

/* Renders a configuration with and without its twitches (everything else is identical). */
static etw_synth *render_pair(etw_synth_config c, rec *with, rec *without)
{
    etw_synth *s;
    *with = render(&c, &s);
    c.twitch.enabled = 0;
    *without = render(&c, NULL);
    return s;
}

static void snr_is_what_was_asked_for(void **state)
{
    (void)state;
    etw_synth_config c = preset("clean", 2048.0, 2, 60.0);
    c.twitch.snr_min_db = 0.0;
    c.twitch.snr_max_db = 20.0;
    rec with, without;
    etw_synth *s = render_pair(c, &with, &without);
    etw_synth_stats st;
    assert_int_equal(etw_synth_get_stats(s, &st), ETW_OK);
    assert_close(st.reference_rms_v, hypot(5e-6, 1e-6), 1e-12, 0);
    /* the background itself has the reference RMS */
    for (size_t ch = 0; ch < 2; ch++)
        assert_close(rms(without.ch[ch], without.n), st.reference_rms_v, 0.03, 0);
    size_t n;
    const etw_synth_event *ev = etw_synth_events(s, &n);
    assert_true(n >= 15);
    for (size_t i = 0; i < n; i++) {
        size_t lead = (size_t)ev[i].channel;
        assert_close(measured_snr_db(&with, &without, &ev[i], st.reference_rms_v), ev[i].snr_db,
                     0, 0.01);
        assert_true(ev[i].snr_db >= 0.0 && ev[i].snr_db <= 20.0);
        /* nothing of the twitch before its onset */
        assert_true(with.ch[lead][ev[i].onset - 1] == without.ch[lead][ev[i].onset - 1]);
    }
    free(with.data);
    free(without.data);
    etw_synth_destroy(s);
}

static void extreme_sample_rates_work(void **state)
{
    (void)state;
    const double rates[] = {500.0, 10000.0, 20000.0};
    for (size_t r = 0; r < 3; r++) {
        etw_synth_config c = preset("all", rates[r], 2, 20.0);
        c.twitch.min_duration_ms = 10.0;
        c.twitch.max_duration_ms = 30.0;
        rec with, without;
        etw_synth *s = render_pair(c, &with, &without);
        size_t n;
        const etw_synth_event *ev = etw_synth_events(s, &n);
        size_t twitches = 0;
        for (size_t i = 0; i < n; i++) {
            if (ev[i].kind != ETW_SYNTH_TWITCH)
                continue;
            twitches++;
            /* clipping at the rail never touches a twitch (isolated from saturation) */
            assert_close(measured_snr_db(&with, &without, &ev[i], hypot(5e-6, 1e-6)), 10.0, 0,
                         0.05);
        }
        assert_true(twitches >= 4);
        for (size_t i = 0; i < with.n * with.nch; i++)
            assert_true(isfinite(with.data[i]));
        free(with.data);
        free(without.data);
        etw_synth_destroy(s);
    }
}

static int64_t gap(const etw_synth_event *a, const etw_synth_event *b)
{
    return a->onset < b->onset ? b->onset - a->offset : a->onset - b->offset;
}

static void twitches_are_isolated_from_distractors(void **state)
{
    (void)state;
    const double fs = 1000.0;
    etw_synth_config c = preset("all", fs, 1, 240.0);
    etw_synth *s;
    assert_int_equal(etw_synth_create(&c, &s), ETW_OK);
    size_t n;
    const etw_synth_event *ev = etw_synth_events(s, &n);
    etw_synth_stats st;
    assert_int_equal(etw_synth_get_stats(s, &st), ETW_OK);
    for (int k = 0; k < ETW_SYNTH_KIND_COUNT; k++)
        assert_true(st.count[k] > 0);
    assert_true(st.twitches_placed >= st.twitches_requested * 9 / 10);
    assert_int_equal(st.count[ETW_SYNTH_TWITCH], st.twitches_placed);
    for (size_t i = 0; i < n; i++) {
        if (ev[i].kind != ETW_SYNTH_TWITCH)
            continue;
        for (size_t j = 0; j < n; j++) {
            if (j == i)
                continue;
            int near = ev[j].kind == ETW_SYNTH_ECG || ev[j].kind == ETW_SYNTH_SPIKE;
            assert_true(gap(&ev[i], &ev[j]) >= (near ? 0.05 : 0.5) * fs - 1);
        }
    }
    etw_synth_destroy(s);
}

static void distractors_have_their_documented_shape(void **state)
{
    (void)state;
    const double fs = 2000.0;
    etw_synth_config c = preset("all", fs, 2, 120.0);
    c.twitch.enabled = 0;
    etw_synth *s;
    rec r = render(&c, &s);
    size_t n;
    const etw_synth_event *ev = etw_synth_events(s, &n);
    int64_t prev_r = -1;
    double rr_sum = 0.0;
    int beats = 0;
    for (size_t i = 0; i < n; i++) {
        assert_int_not_equal(ev[i].kind, ETW_SYNTH_TWITCH);
        if (ev[i].kind == ETW_SYNTH_ECG) {
            if (ev[i].onset > 0 && ev[i].offset < (int64_t)r.n)
                assert_true(ev[i].duration_s >= 0.080 - 1e-3 && ev[i].duration_s <= 0.120 + 1e-3);
            int64_t mid = (ev[i].onset + ev[i].offset) / 2;
            if (prev_r >= 0) {
                rr_sum += (double)(mid - prev_r) / fs;
                beats++;
            }
            prev_r = mid;
        }
        if (ev[i].kind == ETW_SYNTH_MOTION)
            assert_true(ev[i].duration_s >= 0.24 - 1e-3 && ev[i].duration_s <= 1.2 + 1e-3);
        if (ev[i].kind == ETW_SYNTH_SPIKE)
            assert_int_equal(ev[i].offset - ev[i].onset, 1);
    }
    double rr = rr_sum / beats;
    assert_true(rr >= 0.6 * 0.97 && rr <= 1.2 * 1.03);
    for (size_t i = 0; i < r.n * r.nch; i++)
        assert_true(fabsf(r.data[i]) <= (float)c.saturation.rail_v);
    free(r.data);
    etw_synth_destroy(s);
}

static void markers_link_to_the_twitches_they_evoke(void **state)
{
    (void)state;
    etw_synth_config c = preset("demo", 1000.0, 1, 300.0);
    c.twitch.rate_per_min = 0.0;
    etw_synth *s;
    assert_int_equal(etw_synth_create(&c, &s), ETW_OK);
    size_t nm, n;
    const etw_synth_marker *m = etw_synth_markers_get(s, &nm);
    const etw_synth_event *ev = etw_synth_events(s, &n);
    assert_int_equal(nm, 30);
    size_t responded = 0;
    for (size_t j = 0; j < nm; j++) {
        assert_true(j == 0 || m[j].sample >= m[j - 1].sample);
        if (m[j].event < 0)
            continue;
        responded++;
        const etw_synth_event *e = &ev[m[j].event];
        assert_int_equal(e->kind, ETW_SYNTH_TWITCH);
        assert_int_equal(e->marker, (int32_t)j);
        assert_true(e->onset - m[j].sample >= 5 && e->onset - m[j].sample <= 50);
    }
    assert_true(responded >= 12 && responded <= 28); /* p = 0.7 of 30 */
    for (size_t i = 0; i < n; i++)
        if (ev[i].kind == ETW_SYNTH_TWITCH)
            assert_true(ev[i].marker >= 0 && m[ev[i].marker].event == (int32_t)i);
    etw_synth_destroy(s);
}

static void twitches_spread_to_neighbours_with_a_delay(void **state)
{
    (void)state;
    const double fs = 4000.0;
    etw_synth_config c = preset("clean", fs, 8, 30.0);
    c.twitch.snr_min_db = c.twitch.snr_max_db = 20.0;
    rec with, without;
    etw_synth *s = render_pair(c, &with, &without);
    size_t n;
    const etw_synth_event *ev = etw_synth_events(s, &n);
    int64_t delay = (int64_t)(1.5e-3 * fs);
    for (size_t i = 0; i < n; i++) {
        assert_int_equal(ev[i].first_channel, ev[i].channel > 0 ? ev[i].channel - 1 : 0);
        assert_int_equal(ev[i].last_channel, ev[i].channel < 7 ? ev[i].channel + 1 : 7);
        for (int32_t ch = 0; ch < 8; ch++) {
            int on_it = ch >= ev[i].first_channel && ch <= ev[i].last_channel;
            int64_t start = ev[i].onset + (ch == ev[i].channel ? 0 : delay);
            double e_before = 0.0, e_in = 0.0;
            for (int64_t k = ev[i].onset - 50; k < ev[i].offset + 50; k++) {
                double d = (double)with.ch[ch][k] - without.ch[ch][k];
                if (k < start)
                    e_before += d * d;
                else
                    e_in += d * d;
            }
            assert_true(e_before == 0.0);
            assert_true(on_it ? e_in > 0.0 : e_in == 0.0);
        }
    }
    free(with.data);
    free(without.data);
    etw_synth_destroy(s);
}

static void bad_arguments_are_reported(void **state)
{
    (void)state;
    etw_synth *s = (etw_synth *)&s;
    etw_synth_config c = etw_synth_config_default(1000.0, 1, 10.0, 1);
    assert_int_equal(etw_synth_create(NULL, &s), ETW_ERR_NULL);
    assert_int_equal(etw_synth_create(&c, NULL), ETW_ERR_NULL);
    c.fs_hz = 100.0;
    assert_int_equal(etw_synth_create(&c, &s), ETW_ERR_RANGE);
    assert_null(s);
    c.fs_hz = NAN;
    assert_int_equal(etw_synth_create(&c, &s), ETW_ERR_NONFINITE);
    c = etw_synth_config_default(1000.0, 0, 10.0, 1);
    assert_int_equal(etw_synth_create(&c, &s), ETW_ERR_RANGE);
    c = etw_synth_config_default(1000.0, 1, 10.0, 1);
    c.background.fh_hz = 600.0;
    assert_int_equal(etw_synth_create(&c, &s), ETW_ERR_NYQUIST);
    c = etw_synth_config_default(1000.0, 1, 10.0, 1);
    c.background.emg_rms_v = c.background.white_rms_v = 0.0;
    assert_int_equal(etw_synth_create(&c, &s), ETW_ERR_RANGE);
    c.twitch.enabled = 0;
    assert_int_equal(etw_synth_create(&c, &s), ETW_OK);
    etw_synth_stats st;
    assert_int_equal(etw_synth_get_stats(s, &st), ETW_OK);
    assert_int_equal(st.nevents, 0);
    size_t n = 5;
    assert_null(etw_synth_events(s, &n));
    assert_int_equal(n, 0);
    float buf[10], *p[1] = {buf};
    assert_int_equal(etw_synth_generate_all(s, p, 10), ETW_ERR_SIZE);
    size_t produced;
    assert_int_equal(etw_synth_generate(s, NULL, 0, &produced), ETW_OK);
    assert_int_equal(etw_synth_generate(s, NULL, 5, &produced), ETW_ERR_NULL);
    etw_synth_destroy(s);
    etw_synth_destroy(NULL);
    c = etw_synth_config_default(1000.0, 1, 10.0, 1);
    c.ecg.enabled = 1;
    c.ecg.qrs_min_ms = 130.0; /* above qrs_max_ms */
    assert_int_equal(etw_synth_create(&c, &s), ETW_ERR_RANGE);
    assert_int_equal(etw_synth_config_preset("nope", &c), ETW_ERR_NOT_FOUND);
    assert_int_equal(etw_synth_config_preset(NULL, &c), ETW_ERR_NULL);
}

static void names_round_trip(void **state)
{
    (void)state;
    for (int k = 0; k < ETW_SYNTH_KIND_COUNT; k++) {
        etw_synth_kind got;
        assert_int_equal(etw_synth_kind_from_name(etw_synth_kind_name((etw_synth_kind)k), &got),
                         ETW_OK);
        assert_int_equal(got, k);
    }
    assert_string_equal(etw_synth_kind_name((etw_synth_kind)99), "unknown");
    etw_synth_kind k;
    assert_int_equal(etw_synth_kind_from_name("QRS", &k), ETW_ERR_NOT_FOUND);
    size_t i = 0;
    while (etw_synth_preset_name(i))
        i++;
    assert_int_equal(i, 8);
}

static int create_demo(void *ctx)
{
    const etw_synth_config *c = ctx;
    etw_synth *s = NULL;
    etw_status st = etw_synth_create(c, &s);
    if (st != ETW_OK) {
        assert_int_equal(st, ETW_ERR_NOMEM);
        assert_null(s);
        return 0;
    }
    etw_synth_destroy(s);
    return 1;
}

static void allocation_failures_are_reported(void **state)
{
    (void)state;
    etw_synth_config c = preset("demo", 1000.0, 2, 30.0);
    etw_failalloc_sweep(create_demo, &c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(defaults_place_every_twitch_in_range),
        cmocka_unit_test(same_seed_same_recording),
        cmocka_unit_test(any_block_partition_gives_the_same_samples),
        cmocka_unit_test(snr_is_what_was_asked_for),
        cmocka_unit_test(extreme_sample_rates_work),
        cmocka_unit_test(twitches_are_isolated_from_distractors),
        cmocka_unit_test(distractors_have_their_documented_shape),
        cmocka_unit_test(markers_link_to_the_twitches_they_evoke),
        cmocka_unit_test(twitches_spread_to_neighbours_with_a_delay),
        cmocka_unit_test(bad_arguments_are_reported),
        cmocka_unit_test(names_round_trip),
        cmocka_unit_test(allocation_failures_are_reported),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
