/* Measured accuracy of the twitch detector and the classical baselines on synthetic
 * recordings with exact ground truth: the fixed matrix of issue 5. Writes a markdown report
 * to stdout (docs/accuracy.md is this output, see bench/run_accuracy).
 *
 *   accuracy [--quick] [--cells FILE.csv]
 *
 * Matrix: SNR {0,3,6,10,20} dB x burst duration {10-30, 30-80, 80-250} ms x fs {1000, 2048,
 * 4000} Hz x distractors {none, powerline, ecg, contractions, motion+spikes, all}, one
 * channel, one recording per cell; distractor-only recordings per distractor set and fs;
 * 8-channel recordings at 2048 Hz. Seeds are fixed, so the report is reproducible. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "acc.h"
#include "emgtwitch/emgtwitch.h"

#define NSNR 5
#define NDUR 3
#define NFS 3
#define NDIST 6
#define MAXDET 8

static const double snrs[NSNR] = {0, 3, 6, 10, 20};
static const double durs[NDUR][2] = {{10, 30}, {30, 80}, {80, 250}};
static const double rates[NFS] = {1000, 2048, 4000};
static const char *const presets[NDIST] = {"clean", "powerline", "ecg", "contractions",
                                           "motion", "all"};
static const char *const labels[NDIST] = {"none", "powerline", "ECG", "contractions",
                                          "motion+spikes", "all"};

typedef struct run_opts {
    double main_s, only_s, multi_s; /* recording lengths */
    FILE *cells;
} run_opts;

static const acc_detector *dets[MAXDET];
static size_t ndet;

/* Tallies: main matrix, distractor-only, 8-channel. */
static etw_eval_tally t_main[NDIST][NSNR][NDUR][NFS][MAXDET];
static etw_eval_tally t_only[NDIST][NFS][MAXDET];
static etw_eval_tally t_multi[2][NSNR][NDUR][MAXDET];
static double cpu_s[MAXDET];

/* Stimulus-locked scoring: does a detection start within RESP_WINDOW_S after a marker? */
#define RESP_WINDOW_S 0.1
#define NRESP_SNR 3
static const double resp_snrs[NRESP_SNR] = {3, 6, 10};
typedef struct resp_tally {
    size_t markers, evoked, hits, false_responses;
    double lat_sum_s, lat_sq_s2;
} resp_tally;
static resp_tally t_resp[2][NRESP_SNR][MAXDET];

static void fail(const char *what, etw_status st)
{
    fprintf(stderr, "accuracy: %s: %s\n", what, etw_strerror(st));
    exit(1);
}

/* Generates one recording and scores every detector on it into tallies[d]. */
/* Scores the detections against the stimulus markers of a recording. */
static void score_markers(const etw_synth *s, const acc_list *found, double fs, resp_tally *r)
{
    size_t nm, nev;
    const etw_synth_marker *m = etw_synth_markers_get(s, &nm);
    const etw_synth_event *ev = etw_synth_events(s, &nev);
    int64_t win = (int64_t)llround(RESP_WINDOW_S * fs);
    for (size_t k = 0; k < nm; k++) {
        const etw_eval_interval *hit = NULL;
        for (size_t i = 0; i < found->n && !hit; i++)
            if (found->iv[i].onset >= m[k].sample && found->iv[i].onset <= m[k].sample + win)
                hit = &found->iv[i];
        r->markers++;
        if (m[k].event < 0) {
            r->false_responses += hit != NULL;
            continue;
        }
        r->evoked++;
        if (hit) {
            double e = (double)(hit->onset - ev[m[k].event].onset) / fs;
            r->hits++;
            r->lat_sum_s += e;
            r->lat_sq_s2 += e * e;
        }
    }
}

static void run_one(const etw_synth_config *cfg, etw_eval_tally *tallies, resp_tally *resp,
                    const run_opts *o, const char *cell)
{
    etw_synth *s;
    etw_status st = etw_synth_create(cfg, &s);
    if (st != ETW_OK)
        fail("etw_synth_create", st);
    etw_synth_stats info;
    if ((st = etw_synth_get_stats(s, &info)) != ETW_OK)
        fail("etw_synth_get_stats", st);
    size_t n = (size_t)info.nframes, nch = cfg->nch;
    float *data = malloc(n * nch * sizeof *data);
    float *ch[8];
    if (!data || nch > 8)
        fail("recording buffer", ETW_ERR_NOMEM);
    for (size_t c = 0; c < nch; c++)
        ch[c] = data + c * n;
    if ((st = etw_synth_generate_all(s, ch, n)) != ETW_OK)
        fail("etw_synth_generate_all", st);
    size_t nev, ntruth;
    const etw_synth_event *ev = etw_synth_events(s, &nev);
    etw_eval_interval *truth = malloc((nev + 1) * sizeof *truth);
    if (!truth)
        fail("truth", ETW_ERR_NOMEM);
    if ((st = etw_eval_intervals_from_synth(ev, nev, ETW_SYNTH_TWITCH, -1, truth, nev,
                                            &ntruth)) != ETW_OK)
        fail("etw_eval_intervals_from_synth", st);
    for (size_t d = 0; d < ndet; d++) {
        acc_list found = {NULL, 0, 0};
        clock_t t0 = clock();
        if (dets[d]->detect((const float *const *)ch, nch, n, cfg->fs_hz, &found) != 0)
            fail(dets[d]->name, ETW_ERR_INTERNAL);
        cpu_s[d] += (double)(clock() - t0) / CLOCKS_PER_SEC;
        acc_list_union(&found); /* detections overlapping in time count once, any channel */
        etw_eval_tally one;
        memset(&one, 0, sizeof one);
        st = etw_eval_match(NULL, truth, ntruth, found.iv, found.n, cfg->fs_hz, (int64_t)n, &one,
                            NULL, NULL);
        if (st != ETW_OK || (st = etw_eval_tally_add(&tallies[d], &one)) != ETW_OK)
            fail("etw_eval_match", st);
        if (resp)
            score_markers(s, &found, cfg->fs_hz, &resp[d]);
        if (o->cells)
            fprintf(o->cells, "%s,%s,%zu,%zu,%zu,%.3f\n", cell, dets[d]->name, one.truths,
                    one.detections, one.matched, one.minutes);
        free(found.iv);
    }
    free(truth);
    free(data);
    etw_synth_destroy(s);
}

static etw_synth_config make(double fs, size_t nch, double len, uint64_t seed, int dist,
                             int snr_i, int dur_i)
{
    etw_synth_config c = etw_synth_config_default(fs, nch, len, seed);
    etw_status st = etw_synth_config_preset(presets[dist], &c);
    if (st != ETW_OK)
        fail(presets[dist], st);
    if (snr_i < 0) {
        c.twitch.enabled = 0;
    } else {
        c.twitch.snr_min_db = c.twitch.snr_max_db = snrs[snr_i];
        c.twitch.min_duration_ms = durs[dur_i][0];
        c.twitch.max_duration_ms = durs[dur_i][1];
    }
    return c;
}

static void run_matrix(const run_opts *o)
{
    char cell[128];
    for (int di = 0; di < NDIST; di++)
        for (int si = 0; si < NSNR; si++)
            for (int ui = 0; ui < NDUR; ui++)
                for (int fi = 0; fi < NFS; fi++) {
                    uint64_t seed = 1000000u + (uint64_t)(((di * NSNR + si) * NDUR + ui) * NFS + fi);
                    etw_synth_config c = make(rates[fi], 1, o->main_s, seed, di, si, ui);
                    snprintf(cell, sizeof cell, "main,%s,%g,%g-%g,%g,1", labels[di], snrs[si],
                             durs[ui][0], durs[ui][1], rates[fi]);
                    run_one(&c, t_main[di][si][ui][fi], NULL, o, cell);
                }
    for (int di = 0; di < NDIST; di++)
        for (int fi = 0; fi < NFS; fi++) {
            /* "none" is rest: background only */
            etw_synth_config c = make(rates[fi], 1, o->only_s, 2000000u + (uint64_t)(di * NFS + fi),
                                      di, -1, 0);
            snprintf(cell, sizeof cell, "only,%s,,,%g,1", di ? labels[di] : "rest", rates[fi]);
            run_one(&c, t_only[di][fi], NULL, o, cell);
        }
    for (int mi = 0; mi < 2; mi++)
        for (int si = 0; si < NSNR; si++)
            for (int ui = 0; ui < NDUR; ui++) {
                int di = mi ? NDIST - 1 : 0;
                etw_synth_config c = make(2048.0, 8, o->multi_s,
                                          3000000u + (uint64_t)((mi * NSNR + si) * NDUR + ui), di,
                                          si, ui);
                snprintf(cell, sizeof cell, "multi,%s,%g,%g-%g,2048,8", labels[di], snrs[si],
                         durs[ui][0], durs[ui][1]);
                run_one(&c, t_multi[mi][si][ui], NULL, o, cell);
            }
    for (int mi = 0; mi < 2; mi++)
        for (int si = 0; si < NRESP_SNR; si++) {
            int di = mi ? NDIST - 1 : 0;
            etw_synth_config c = make(2048.0, 1, o->only_s, 4000000u + (uint64_t)(mi * NRESP_SNR + si),
                                      di, 0, 0);
            c.twitch.snr_min_db = c.twitch.snr_max_db = resp_snrs[si];
            c.twitch.min_duration_ms = durs[0][0];
            c.twitch.max_duration_ms = durs[NDUR - 1][1];
            c.twitch.rate_per_min = 0.0; /* only evoked twitches */
            c.markers.enabled = 1;
            snprintf(cell, sizeof cell, "markers,%s,%g,10-250,2048,1", labels[di], resp_snrs[si]);
            etw_eval_tally scratch[MAXDET];
            memset(scratch, 0, sizeof scratch);
            run_one(&c, scratch, t_resp[mi][si], o, cell);
        }
}

static etw_eval_summary summary(const etw_eval_tally *t)
{
    etw_eval_summary s;
    etw_status st = etw_eval_summarise(t, &s);
    if (st != ETW_OK)
        fail("etw_eval_summarise", st);
    return s;
}

static void add(etw_eval_tally *dst, const etw_eval_tally *src)
{
    etw_status st = etw_eval_tally_add(dst, src);
    if (st != ETW_OK)
        fail("etw_eval_tally_add", st);
}

static void num(double x, const char *fmt)
{
    if (isnan(x))
        printf(" - |");
    else {
        printf(" ");
        printf(fmt, x);
        printf(" |");
    }
}

/* Header cells of the per-detector columns. */
static void det_header(void)
{
    printf(" n | %s F1 | sens | prec | FA/min | onset bias ms | onset SD ms |", dets[0]->name);
    for (size_t d = 1; d < ndet; d++)
        printf(" %s F1 |", dets[d]->name);
    printf(" best |\n");
}

static void det_rule(size_t keys)
{
    printf("|");
    for (size_t k = 0; k < keys + 7 + ndet; k++)
        printf("---|");
    printf("\n");
}

/* How detector 0's F1 compares with the strongest classical baseline of a row. */
typedef enum row_rank { ROW_LOST, ROW_TIED, ROW_BEST } row_rank;

/* Prints the detector cells of one row: "yes" if detector 0 has a strictly better F1 than
 * every classical baseline, "tie (name)" if the strongest baseline has the same F1 (the same
 * counts, or a rounding-level difference), "**no** (name)" if it has a higher one. */
static row_rank det_cells(const etw_eval_tally *t)
{
    etw_eval_summary s0 = summary(&t[0]);
    printf(" %zu |", t[0].truths);
    num(s0.f1, "%.3f");
    num(s0.sensitivity, "%.3f");
    num(s0.precision, "%.3f");
    num(s0.fa_per_min, "%.2f");
    num(s0.onset_bias_ms, "%.1f");
    num(s0.onset_sd_ms, "%.1f");
    const char *by = ""; /* the strongest baseline that is not beaten */
    double by_f1 = -1.0;
    for (size_t d = 1; d < ndet; d++) {
        etw_eval_summary s = summary(&t[d]);
        num(s.f1, "%.3f");
        if (dets[d]->baseline && !(s0.f1 > s.f1) && !(s.f1 <= by_f1)) {
            by = dets[d]->name;
            by_f1 = s.f1;
        }
    }
    row_rank r = isnan(s0.f1)                    ? ROW_LOST
                 : !*by                          ? ROW_BEST
                 : fabs(s0.f1 - by_f1) <= 1e-12 ? ROW_TIED
                                                 : ROW_LOST;
    if (r == ROW_BEST)
        printf(" yes |\n");
    else if (r == ROW_TIED)
        printf(" tie (%s) |\n", by);
    else
        printf(" **no**%s%s%s |\n", *by ? " (" : "", by, *by ? ")" : "");
    return r;
}

typedef struct target_check {
    int rows, failed;
    double worst;
    char where[160];
} target_check;

static void check_min(target_check *c, double value, double bound, const char *where)
{
    c->rows++;
    if (!(value >= bound))
        c->failed++;
    if (c->rows == 1 || !(value >= c->worst)) {
        c->worst = value;
        snprintf(c->where, sizeof c->where, "%s", where);
    }
}

static void report(const run_opts *o, double wall_s)
{
    printf("# Measured accuracy\n\n");
    printf("Generated by `bench/run_accuracy` (the `accuracy` executable of `bench/accuracy/`), "
           "emgtwitch %s, FFT backend %s, in %.0f s of CPU on one core. Every number below "
           "comes from synthetic recordings of `etw_synth` (docs/synthetic.md) with fixed "
           "seeds, scored by `etw_eval_match` (one-to-one, onset tolerance +-50 ms, "
           "maximum pairs then minimum total onset error).\n\n",
           etw_version_string(), etw_fft_backend(), wall_s);
    printf("- **Main matrix**: SNR {0, 3, 6, 10, 20} dB x burst duration {10-30, 30-80, "
           "80-250} ms x fs {1000, 2048, 4000} Hz x distractors {none, powerline, ECG, "
           "contractions, motion+spikes, all}; one channel, one recording of %.0f s per cell "
           "with twitches at 20 per minute (about %.0f twitches per cell, %.0f per row of "
           "table 1).\n",
           o->main_s, o->main_s / 3.0, o->main_s);
    printf("- **Distractor-only**: %.0f s per distractor set and fs, no twitches.\n", o->only_s);
    printf("- **8 channels** at 2048 Hz, %.0f s per cell, twitches on 3 neighbouring "
           "channels.\n",
           o->multi_s);
    printf("- SNR as defined in `synth.h`: RMS of the twitch over its interval on its lead "
           "channel over the background RMS, full band.\n");
    printf("- Seeds: 1000000 + cell index (main), 2000000.. (distractor-only), 3000000.. "
           "(8 channels), 4000000.. (markers): disjoint from seeds used to tune or test the "
           "detector in tests/, so the table is out of sample.\n");
    printf("- Every row pools the counts of its recordings (TP, FP, FN summed, then the "
           "metrics; onset and duration errors over all pairs), it does not average per-"
           "recording scores.\n\n");
    printf("Detectors:\n\n");
    for (size_t d = 0; d < ndet; d++)
        printf("- `%s`: %s\n", dets[d]->name, dets[d]->about);
    printf("\n%s For every detector, detections that overlap in time (on any channels) are "
           "merged into one before scoring.\n\n", acc_baselines_about);

    /* ---- targets ---- */
    target_check f1_hi = {0}, f1_3 = {0}, fa = {0};
    int ranked[3] = {0, 0, 0}, rows = 0;
    char where[160];
    for (int di = 0; di < NDIST; di++)
        for (int si = 1; si < NSNR; si++)
            for (int ui = 0; ui < NDUR; ui++) {
                etw_eval_tally t;
                memset(&t, 0, sizeof t);
                for (int fi = 0; fi < NFS; fi++)
                    add(&t, &t_main[di][si][ui][fi][0]);
                snprintf(where, sizeof where, "%s, %g dB, %g-%g ms", labels[di], snrs[si],
                         durs[ui][0], durs[ui][1]);
                if (si == 1)
                    check_min(&f1_3, summary(&t).f1, 0.85, where);
                else
                    check_min(&f1_hi, summary(&t).f1, 0.95, where);
            }
    for (int di = 0; di < NDIST; di++) {
        etw_eval_tally t;
        memset(&t, 0, sizeof t);
        for (int fi = 0; fi < NFS; fi++)
            add(&t, &t_only[di][fi][0]);
        snprintf(where, sizeof where, "%s", di ? labels[di] : "rest");
        check_min(&fa, -summary(&t).fa_per_min, -0.5, where);
    }
    printf("## Targets of issue 5 (for `%s`)\n\n", dets[0]->name);
    printf("| target | rows | rows failing | worst row | worst value |\n|---|---|---|---|---|\n");
    printf("| F1 >= 0.95 at SNR >= 6 dB (each distractor set x duration x SNR, over fs) | %d | "
           "%d | %s | %.3f |\n", f1_hi.rows, f1_hi.failed, f1_hi.where, f1_hi.worst);
    printf("| F1 >= 0.85 at 3 dB | %d | %d | %s | %.3f |\n", f1_3.rows, f1_3.failed,
           f1_3.where, f1_3.worst);
    printf("| false alarms <= 0.5/min on distractor-only recordings | %d | %d | %s | %.2f/min "
           "|\n", fa.rows, fa.failed, fa.where, -fa.worst);
    for (int ui = 0; ui < NDUR; ui++) {
        etw_eval_tally t;
        memset(&t, 0, sizeof t);
        for (int di = 0; di < NDIST; di++)
            for (int si = 3; si < NSNR; si++)
                for (int fi = 0; fi < NFS; fi++)
                    add(&t, &t_main[di][si][ui][fi][0]);
        etw_eval_summary s = summary(&t);
        int ok = fabs(s.onset_bias_ms) <= 3.0 && s.onset_sd_ms <= 5.0;
        printf("| onset \\|bias\\| <= 3 ms and SD <= 5 ms at SNR >= 10 dB, %g-%g ms bursts | 1 | "
               "%d | bias %.1f ms | SD %.1f ms |\n", durs[ui][0], durs[ui][1], !ok,
               s.onset_bias_ms, s.onset_sd_ms);
    }

    /* ---- table 1 ---- */
    printf("\n## Table 1: by distractors, SNR and burst duration (three sampling rates "
           "pooled)\n\n| distractors | SNR dB | duration ms |");
    det_header();
    det_rule(3);
    for (int di = 0; di < NDIST; di++)
        for (int si = 0; si < NSNR; si++)
            for (int ui = 0; ui < NDUR; ui++) {
                etw_eval_tally t[MAXDET];
                memset(t, 0, sizeof t);
                for (int fi = 0; fi < NFS; fi++)
                    for (size_t d = 0; d < ndet; d++)
                        add(&t[d], &t_main[di][si][ui][fi][d]);
                printf("| %s | %g | %g-%g |", labels[di], snrs[si], durs[ui][0], durs[ui][1]);
                ranked[det_cells(t)]++;
                rows++;
            }
    printf("\n`%s` has a better F1 than every classical baseline in %d of %d rows, the same F1 "
           "as the best one in %d (tie) and a lower one in %d (**no**).\n",
           dets[0]->name, ranked[ROW_BEST], rows, ranked[ROW_TIED], ranked[ROW_LOST]);

    /* ---- table 2 ---- */
    printf("\n## Table 2: by sampling rate and SNR (distractors and durations pooled)\n\n"
           "| fs Hz | SNR dB |");
    det_header();
    det_rule(2);
    for (int fi = 0; fi < NFS; fi++)
        for (int si = 0; si < NSNR; si++) {
            etw_eval_tally t[MAXDET];
            memset(t, 0, sizeof t);
            for (int di = 0; di < NDIST; di++)
                for (int ui = 0; ui < NDUR; ui++)
                    for (size_t d = 0; d < ndet; d++)
                        add(&t[d], &t_main[di][si][ui][fi][d]);
            printf("| %g | %g |", rates[fi], snrs[si]);
            det_cells(t);
        }

    /* ---- table 3 ---- */
    printf("\n## Table 3: false alarms per minute on distractor-only recordings (no twitch; "
           "three sampling rates pooled)\n\n| recording | minutes |");
    for (size_t d = 0; d < ndet; d++)
        printf(" %s |", dets[d]->name);
    printf("\n|---|---|");
    for (size_t d = 0; d < ndet; d++)
        printf("---|");
    printf("\n");
    for (int di = 0; di < NDIST; di++) {
        etw_eval_tally t[MAXDET];
        memset(t, 0, sizeof t);
        for (int fi = 0; fi < NFS; fi++)
            for (size_t d = 0; d < ndet; d++)
                add(&t[d], &t_only[di][fi][d]);
        printf("| %s | %.1f |", di ? labels[di] : "rest (background only)", t[0].minutes);
        for (size_t d = 0; d < ndet; d++)
            num(summary(&t[d]).fa_per_min, "%.2f");
        printf("\n");
    }

    /* ---- table 4 ---- */
    printf("\n## Table 4: 8 channels at 2048 Hz\n\n| distractors | SNR dB | duration ms |");
    det_header();
    det_rule(3);
    for (int mi = 0; mi < 2; mi++)
        for (int si = 0; si < NSNR; si++)
            for (int ui = 0; ui < NDUR; ui++) {
                printf("| %s | %g | %g-%g |", labels[mi ? NDIST - 1 : 0], snrs[si], durs[ui][0],
                       durs[ui][1]);
                det_cells(t_multi[mi][si][ui]);
            }

    printf("\n## Table 5: stimulus-locked responses (2048 Hz, one channel, %.0f s per row, "
           "markers at 6 per minute, 70 %% followed by a twitch of 10-250 ms 5-50 ms later, no "
           "spontaneous twitch)\n\nA marker counts as answered when a detection starts within "
           "%.0f ms after it. Hit rate = answered evoked markers / evoked markers; false "
           "responses = answered markers without a twitch / markers without one; latency error "
           "= detected onset - true onset of the evoked twitch.\n\n| distractors | SNR dB | "
           "markers | evoked |", o->only_s, 1e3 * RESP_WINDOW_S);
    for (size_t d = 0; d < ndet; d++)
        printf(" %s hit rate | false resp. | latency error ms (bias / SD) |", dets[d]->name);
    printf("\n|---|---|---|---|");
    for (size_t d = 0; d < ndet; d++)
        printf("---|---|---|");
    printf("\n");
    for (int mi = 0; mi < 2; mi++)
        for (int si = 0; si < NRESP_SNR; si++) {
            const resp_tally *r = t_resp[mi][si];
            printf("| %s | %g | %zu | %zu |", labels[mi ? NDIST - 1 : 0], resp_snrs[si],
                   r[0].markers, r[0].evoked);
            for (size_t d = 0; d < ndet; d++) {
                size_t quiet = r[d].markers - r[d].evoked;
                num(r[d].evoked ? (double)r[d].hits / (double)r[d].evoked : NAN, "%.3f");
                num(quiet ? (double)r[d].false_responses / (double)quiet : NAN, "%.3f");
                double mean = r[d].hits ? r[d].lat_sum_s / (double)r[d].hits : NAN;
                double var = r[d].hits > 1 ? (r[d].lat_sq_s2 - r[d].lat_sum_s * mean) /
                                                 (double)(r[d].hits - 1)
                                           : NAN;
                if (r[d].hits > 1)
                    printf(" %.1f / %.1f |", 1e3 * mean, 1e3 * sqrt(var > 0 ? var : 0));
                else
                    printf(" %s |", r[d].hits ? "one hit" : "-");
            }
            printf("\n");
        }

    printf("\n## CPU time per detector over the whole run\n\n| detector | CPU s |\n|---|---|\n");
    for (size_t d = 0; d < ndet; d++)
        printf("| %s | %.1f |\n", dets[d]->name, cpu_s[d]);
}

int main(int argc, char **argv)
{
    run_opts o = {120.0, 300.0, 120.0, NULL};
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--quick") == 0) {
            o.main_s = 15.0;
            o.only_s = 30.0;
            o.multi_s = 15.0;
        } else if (strcmp(argv[i], "--cells") == 0 && i + 1 < argc) {
            o.cells = fopen(argv[++i], "w");
            if (!o.cells) {
                fprintf(stderr, "accuracy: %s: cannot open for writing\n", argv[i]);
                return 1;
            }
            fprintf(o.cells, "set,distractors,snr_db,duration_ms,fs_hz,nch,detector,truths,"
                             "detections,matched,minutes\n");
        } else {
            fprintf(stderr, "usage: accuracy [--quick] [--cells FILE.csv]\n");
            return argc > 1 && strcmp(argv[1], "--help") == 0 ? 0 : 2;
        }
    }
    size_t ntwitch = 0;
    const acc_detector *twitch = acc_twitch_detectors(&ntwitch);
    for (size_t t = 0; t < ntwitch && ndet < MAXDET; t++)
        dets[ndet++] = &twitch[t];
    for (size_t b = 0; b < acc_nbaselines && ndet < MAXDET; b++)
        dets[ndet++] = &acc_baselines[b];
    clock_t t0 = clock();
    run_matrix(&o);
    report(&o, (double)(clock() - t0) / CLOCKS_PER_SEC);
    if (o.cells)
        fclose(o.cells);
    return 0;
}
