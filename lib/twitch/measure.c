/* Per-burst measures (see measure.h). */
#include "twitch/measure.h"

#include "emgtwitch/spectrum.h"

#include <math.h>

/* Goertzel recurrences run side by side in the burst spectrum. */
#define ETW_GOERTZEL_LANES 8

#define AT(ring, t) ((double)(ring)[(t) & v->mask])
#define W(t) ((double)etw_view_w(v, t))

void etw_twitch_refine(const etw_ring_view *v, int64_t first_on, int64_t last_above,
                       double floor_rms, double level, int64_t h, int64_t *onset,
                       int64_t *offset)
{
    /* Where the envelope left the floor: walk back from the on crossing while it stays
     * above one floor; the burst's first samples lie within a half window after that. */
    int64_t cross = first_on;
    while (cross > first_on - 2 * h && AT(v->e, cross - 1) > floor_rms) {
        cross--;
    }
    *onset = cross + h;
    for (int64_t t = cross; t <= first_on + h; t++) {
        if (fabs(W(t)) >= level) {
            /* back to the start of this phase: the samples before it with the same sign and
             * falling magnitude (at most a half window) */
            int64_t stop = t - h > cross - h ? t - h : cross - h;
            double x1 = W(t);
            while (t > stop && W(t - 1) * x1 > 0.0 &&
                   fabs(W(t - 1)) < fabs(W(t))) {
                t--;
            }
            *onset = t;
            break;
        }
    }
    *offset = last_above + 1 - h;
    for (int64_t t = last_above + h; t >= last_above - h; t--) {
        if (fabs(W(t)) >= level) {
            *offset = t + 1;
            break;
        }
    }
    if (*offset <= *onset) {
        *offset = *onset + 1;
    }
}

static void count_phases_turns(const etw_ring_view *v, int64_t onset, int64_t offset,
                               double floor_rms, etw_twitch_event *ev)
{
    int sign = 0, crossings = 0, turns = 0, dir = 0;
    double ext = W(onset);
    double turn_level = 2.0 * floor_rms;
    for (int64_t t = onset; t < offset; t++) {
        double x = W(t);
        int s = x > floor_rms ? 1 : (x < -floor_rms ? -1 : 0);
        if (s != 0 && s != sign) {
            crossings += sign != 0;
            sign = s;
        }
        if (dir >= 0 && x > ext) {
            ext = x;
            dir = 1;
        } else if (dir <= 0 && x < ext) {
            ext = x;
            dir = -1;
        } else if (dir == 1 && ext - x >= turn_level) {
            turns++;
            dir = -1;
            ext = x;
        } else if (dir == -1 && x - ext >= turn_level) {
            turns++;
            dir = 1;
            ext = x;
        }
    }
    ev->phases = sign != 0 ? crossings + 1 : 0;
    ev->turns = turns;
}

static int clipped(const etw_ring_view *v, int64_t onset, int64_t offset, double clip_level)
{
    double hi = -INFINITY, lo = INFINITY;
    for (int64_t t = onset; t < offset; t++) {
        double r = AT(v->raw, t);
        if (clip_level > 0.0 && fabs(r) >= clip_level) {
            return 1;
        }
        hi = r > hi ? r : hi;
        lo = r < lo ? r : lo;
    }
    if (clip_level > 0.0 || hi == lo) {
        return 0;
    }
    int run = 0;
    for (int64_t t = onset + 1; t < offset; t++) {
        double r = AT(v->raw, t);
        run = (r == AT(v->raw, t - 1) && (r == hi || r == lo)) ? run + 1 : 0;
        if (run >= 2) {
            return 1;
        }
    }
    return 0;
}

/* Longest run of identical raw samples at the highest or lowest raw value of [from, to)
 * (a rail; quantised quiet input sits flat at middle values). */
static int64_t longest_flat_extreme(const etw_ring_view *v, int64_t from, int64_t to)
{
    double hi = -INFINITY, lo = INFINITY;
    for (int64_t t = from; t < to; t++) {
        double r = AT(v->raw, t);
        hi = r > hi ? r : hi;
        lo = r < lo ? r : lo;
    }
    int64_t run = 0, best = 0;
    for (int64_t t = from; t < to; t++) {
        double r = AT(v->raw, t);
        int same = t > from && r == AT(v->raw, t - 1);
        run = (r == hi || r == lo) ? (same ? run + 1 : 1) : 0;
        best = run > best ? run : best;
    }
    return best;
}

/* Spike test on the raw input: one single-sample spike (or a step) puts its first
 * difference into 2 adjacent samples (1 for a step), a burst of motor-unit potentials has
 * comparable slopes all around its steepest one. m_near / (m_near + m_around): mean squared
 * first difference in the 2 samples where a spike would put it (the largest one in
 * [onset, offset) and the larger of its two neighbours) and in the other samples within 2
 * half-windows of it (from onset - 2 half-windows on). Only those 2 samples, not the 3
 * around the largest: at fs ~1000 Hz a sharp biphasic motor-unit potential spreads its
 * slope over 3 samples, and with the third counted as near it looked like a spike (F1
 * 0.996 instead of 1.000 at 1000 Hz, 20 dB, in 4 cells of the accuracy matrix). Two lone
 * spikes a few ms apart (each a sample that leaves its neighbours and comes back: first
 * differences into and out of it of opposite sign, the smaller at least half the larger)
 * are tested as one: the 2 samples of each are near, the rest within 2 half-windows of
 * either is around; only at fs >= ETW_LONE_SAMPLE_MIN_FS_HZ. Returns the larger
 * fraction. */
/* A lone sample has a spectrum flat to fs/2. Surface EMG reaches ~500 Hz (the default
 * band-pass ends at 450 Hz), so at fs ~1000 Hz a sharp motor-unit phase can be one sample
 * wide (a pair test there lost short twitches at 1000 Hz, 20 dB: F1 1.000 -> 0.996), while
 * from 2000 Hz on a sample is shorter than a quarter period of the EMG band's top and a lone
 * one is an artifact. */
#define ETW_LONE_SAMPLE_MIN_FS_HZ 2000.0

static double d1_at(const etw_ring_view *v, int64_t t)
{
    return AT(v->raw, t) - AT(v->raw, t - 1);
}

static int64_t steepest(const etw_ring_view *v, int64_t onset, int64_t offset, int64_t skip_lo,
                        int64_t skip_hi)
{
    int64_t top = -1;
    double topv = -1.0;
    for (int64_t t = onset; t < offset; t++) {
        double d1 = d1_at(v, t);
        if (d1 * d1 > topv && (t < skip_lo || t > skip_hi)) {
            topv = d1 * d1;
            top = t;
        }
    }
    return top;
}

static int lone_spike(const etw_ring_view *v, int64_t t)
{
    double d0 = d1_at(v, t), dn = d1_at(v, t - 1), dp = d1_at(v, t + 1);
    return (dn * d0 < 0.0 && fabs(dn) >= 0.5 * fabs(d0)) ||
           (dp * d0 < 0.0 && fabs(dp) >= 0.5 * fabs(d0));
}

/* The neighbour of t (t - 1 or t + 1) with the larger first difference: the other sample
 * a single-sample spike at t puts its first difference into. */
static int64_t partner(const etw_ring_view *v, int64_t t)
{
    double dn = d1_at(v, t - 1), dp = d1_at(v, t + 1);
    return dp * dp >= dn * dn ? t + 1 : t - 1;
}

static double near_fraction(const etw_ring_view *v, int64_t a, int64_t b, int64_t lo,
                            int64_t hi)
{
    double near = 0.0, around = 0.0;
    int64_t nnear = 0, naround = 0;
    int64_t pa = partner(v, a), pb = partner(v, b);
    for (int64_t t = lo; t < hi; t++) {
        double d1 = d1_at(v, t);
        if (t == a || t == pa || t == b || t == pb) {
            near += d1 * d1;
            nnear++;
        } else {
            around += d1 * d1;
            naround++;
        }
    }
    if (!(near > 0.0)) {
        return 0.0;
    }
    if (naround == 0 || !(around > 0.0)) {
        return 1.0;
    }
    double m_near = near / (double)nnear, m_around = around / (double)naround;
    return m_near / (m_near + m_around);
}

static double spike_fraction(const etw_ring_view *v, int64_t onset, int64_t offset,
                             int64_t half_window, double fs_hz)
{
    int64_t top = steepest(v, onset, offset, 0, -1);
    top = top < 0 ? onset : top;
    int64_t first = onset - 2 * half_window;
    int64_t lo = top - 2 * half_window, hi = top + 2 * half_window + 1;
    lo = lo > first ? lo : first;
    hi = hi < offset ? hi : offset;
    double f = near_fraction(v, top, top, lo, hi);
    int64_t second = steepest(v, onset, offset, top - 3, top + 3);
    if (fs_hz < ETW_LONE_SAMPLE_MIN_FS_HZ || second < 0 || !lone_spike(v, top) ||
        !lone_spike(v, second)) {
        return f;
    }
    int64_t lo2 = second - 2 * half_window, hi2 = second + 2 * half_window + 1;
    lo2 = lo2 < lo ? (lo2 > first ? lo2 : first) : lo;
    hi2 = hi2 > hi ? (hi2 < offset ? hi2 : offset) : hi;
    return fmax(f, near_fraction(v, top, second, lo2, hi2));
}

void etw_twitch_amplitude(const etw_ring_view *v, int64_t onset, int64_t offset,
                          double floor_rms, double fs_hz, etw_twitch_event *ev)
{
    double hi = -INFINITY, lo = INFINITY, energy = 0.0, area = 0.0, peak_env = -1.0;
    int64_t peak = onset;
    for (int64_t t = onset; t < offset; t++) {
        double x = AT(v->x, t), w = W(t), e = AT(v->e, t);
        hi = x > hi ? x : hi;
        lo = x < lo ? x : lo;
        energy += w * w;
        area += fabs(x);
        if (e > peak_env) {
            peak_env = e;
            peak = t;
        }
    }
    double n = (double)(offset - onset);
    double pb = energy / n, pf = floor_rms * floor_rms;
    ev->onset = onset;
    ev->offset = offset;
    ev->peak = peak;
    ev->onset_s = (double)onset / fs_hz;
    ev->offset_s = (double)offset / fs_hz;
    ev->peak_s = (double)peak / fs_hz;
    ev->duration_s = n / fs_hz;
    ev->rise_time_s = (double)(peak - onset) / fs_hz;
    ev->peak_envelope = peak_env;
    ev->peak_to_peak = hi - lo;
    ev->area = area / fs_hz;
    ev->floor = floor_rms;
    ev->snr_db = pf > 0.0 ? 10.0 * log10(fmax(pb - pf, 1e-12 * pf) / pf) : 300.0;
}

double etw_twitch_shape(const etw_ring_view *v, int64_t onset, int64_t offset,
                        double floor_rms, double fs_hz, double clip_level, int64_t half_window,
                        etw_twitch_event *ev)
{
    count_phases_turns(v, onset, offset, floor_rms, ev);
    if (clipped(v, onset, offset, clip_level)) {
        ev->flags |= ETW_TWITCH_FLAG_CLIPPED;
    }
    return spike_fraction(v, onset, offset, half_window, fs_hz);
}

int etw_twitch_saturated(const etw_ring_view *v, int64_t from, int64_t to, double fs_hz)
{
    int64_t flat = (int64_t)fmax(3.0, ceil(0.005 * fs_hz));
    return longest_flat_extreme(v, from, to) >= flat;
}

void etw_twitch_spectrum(const etw_ring_view *v, int64_t onset, int64_t offset, double fs_hz,
                         double fmax_hz, double *scratch, double *mean_hz, double *median_hz)
{
    /* 50 bins up to fmax, 5-10 Hz apart: finer than the resolution of a Hann-windowed burst
     * of up to ~100 ms, and the mean and median average over many bins anyway */
    const double step_hz = fmin(fmax(fmax_hz / 50.0, 5.0), 10.0);
    const double pi = 3.14159265358979323846;
    size_t n = (size_t)(offset - onset);
    for (size_t i = 0; i < n; i++) {
        double w = n > 1 ? 0.5 - 0.5 * cos(2.0 * pi * (double)i / (double)(n - 1)) : 1.0;
        scratch[i] = w * AT(v->x, onset + (int64_t)i);
    }
    size_t nbins = (size_t)(fmin(fmax_hz, 0.5 * fs_hz) / step_hz);
    double *power = scratch + n, *freqs = power + nbins;
    /* Goertzel at (k + 1) * step_hz, ETW_GOERTZEL_LANES bins side by side: the lanes are
     * independent recurrences, so the inner loop vectorises and hides their latency */
    for (size_t k0 = 0; k0 < nbins; k0 += ETW_GOERTZEL_LANES) {
        size_t m = nbins - k0 < ETW_GOERTZEL_LANES ? nbins - k0 : ETW_GOERTZEL_LANES;
        double c[ETW_GOERTZEL_LANES], s1[ETW_GOERTZEL_LANES], s2[ETW_GOERTZEL_LANES];
        for (size_t j = 0; j < ETW_GOERTZEL_LANES; j++) {
            double f = step_hz * (double)(k0 + j + 1);
            c[j] = j < m ? 2.0 * cos(2.0 * pi * f / fs_hz) : 0.0;
            s1[j] = 0.0;
            s2[j] = 0.0;
        }
        for (size_t i = 0; i < n; i++) {
            double xi = scratch[i];
            for (size_t j = 0; j < ETW_GOERTZEL_LANES; j++) {
                double s0 = xi + c[j] * s1[j] - s2[j];
                s2[j] = s1[j];
                s1[j] = s0;
            }
        }
        for (size_t j = 0; j < m; j++) {
            power[k0 + j] = fmax(s1[j] * s1[j] + s2[j] * s2[j] - c[j] * s1[j] * s2[j], 0.0);
            freqs[k0 + j] = step_hz * (double)(k0 + j + 1);
        }
    }
    etw_spectral_features sf;
    *mean_hz = 0.0;
    *median_hz = 0.0;
    if (nbins >= 2 &&
        etw_spectral_features_compute(freqs, power, nbins, 0.0, freqs[nbins - 1], &sf) ==
            ETW_OK &&
        isfinite(sf.mean_hz) && isfinite(sf.median_hz)) {
        *mean_hz = sf.mean_hz;
        *median_hz = sf.median_hz;
    }
}
