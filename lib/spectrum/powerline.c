/* Powerline detection: prominence of 50/60 Hz lines and their harmonics in a Welch PSD. */
#include "emgtwitch/spectrum.h"

#include <float.h>
#include <math.h>
#include <stdlib.h>

#include "segment/stats.h"

#define LINE_HALF_HZ 1.0     /* the line's peak is searched within +-1 Hz */
#define NEIGH_HALF_HZ 10.0   /* background: median over +-10 Hz ... */
#define NEIGH_EXCLUDE_HZ 3.0 /* ... leaving out +-3 Hz around the line */
#define SCORE_HARMONICS 3

typedef struct psd_view {
    const double *psd;
    size_t nfreq;
    double df;
    double *scratch; /* for the median */
} psd_view;

/* Prominence of a line at f in dB, or NAN when its neighbourhood leaves the spectrum. */
static double prominence_db(const psd_view *v, double f)
{
    if ((f + NEIGH_HALF_HZ) / v->df >= (double)(v->nfreq - 1)) {
        return NAN;
    }
    size_t lo = (size_t)ceil((f - NEIGH_HALF_HZ) / v->df);
    size_t hi = (size_t)floor((f + NEIGH_HALF_HZ) / v->df);
    double peak = 0.0;
    size_t m = 0;
    for (size_t k = lo; k <= hi; k++) {
        double d = fabs((double)k * v->df - f);
        if (d <= LINE_HALF_HZ) {
            peak = v->psd[k] > peak ? v->psd[k] : peak;
        }
        if (d > NEIGH_EXCLUDE_HZ) {
            v->scratch[m++] = v->psd[k];
        }
    }
    double background = etw_quantile_inplace(v->scratch, m, 0.5);
    return 10.0 * log10((peak + DBL_MIN) / (background + DBL_MIN));
}

static double score_db(const psd_view *v, double mains)
{
    double best = NAN;
    for (int h = 1; h <= SCORE_HARMONICS; h++) {
        double p = prominence_db(v, mains * h);
        if (!isnan(p) && (isnan(best) || p > best)) {
            best = p;
        }
    }
    return best;
}

etw_status etw_powerline_detect(const float *x, size_t n, double fs_hz, double threshold_db,
                                etw_powerline *out)
{
    if (x == NULL || out == NULL) {
        return ETW_ERR_NULL;
    }
    if (!isfinite(fs_hz) || !isfinite(threshold_db)) {
        return ETW_ERR_NONFINITE;
    }
    if (fs_hz <= 2.0 * (60.0 + NEIGH_HALF_HZ) || fs_hz > 1e7 || (double)n < 2.0 * fs_hz) {
        return ETW_ERR_RANGE;
    }
    etw_welch_config cfg = etw_welch_config_default(fs_hz);
    cfg.nperseg = (size_t)round(2.0 * fs_hz); /* 0.5 Hz bins */
    cfg.noverlap = cfg.nperseg / 2;
    size_t nf = cfg.nperseg / 2 + 1;
    double *psd = malloc(nf * sizeof *psd);
    double *scratch = malloc(nf * sizeof *scratch);
    etw_status st = psd == NULL || scratch == NULL ? ETW_ERR_NOMEM
                                                   : etw_welch_psd(&cfg, x, n, NULL, psd, nf);
    if (st == ETW_OK) {
        psd_view v = {psd, nf, fs_hz / (double)cfg.nperseg, scratch};
        out->score50_db = score_db(&v, 50.0);
        out->score60_db = score_db(&v, 60.0);
        double best = out->score50_db >= out->score60_db ? 50.0 : 60.0;
        double score = best == 50.0 ? out->score50_db : out->score60_db;
        out->mains_hz = score >= threshold_db ? best : 0.0;
        out->nharmonics = 0;
        for (int h = 0; h < ETW_POWERLINE_MAX_HARMONICS; h++) {
            double p = out->mains_hz > 0.0 ? prominence_db(&v, out->mains_hz * (h + 1)) : NAN;
            out->harmonic_db[h] = isnan(p) ? 0.0 : p;
            out->nharmonics += isnan(p) ? 0 : 1;
        }
    }
    free(psd);
    free(scratch);
    return st;
}
