/* Signal files: EDF+/BDF+ with annotations (EDFlib), WAV float / FLAC 24-bit (libsndfile) and
 * CSV. Written to a temporary file in the destination folder, moved into place on commit. */
#include <edflib.h>
#include <math.h>
#include <sndfile.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "emgtwitch/writer.h"
#include "io/atomic_file.h"
#include "io/paths.h"
#include "io/edflib_lock.h"

#define ERR_MAX 512
#define EDF_MAX_SIGNALS 512
#define SND_CHUNK 8192

struct etw_signal_writer {
    etw_signal_spec spec;
    etw_atomic_file file;
    int committed;
    /* EDF/BDF */
    int edf;                 /* EDFlib handle, -1 none */
    int rec_samples;         /* samples per channel per data record */
    int rec_fill;
    double *rec;             /* nch * rec_samples, planar */
    double *range;           /* nch minima then nch maxima (physical) */
    /* sound */
    SNDFILE *sf;
    float *inter;            /* SND_CHUNK * nch interleaved */
    /* CSV */
    FILE *csv;
    int64_t frames;
    char err[ERR_MAX];
};

void etw_signal_spec_default(etw_signal_spec *spec)
{
    if (spec == NULL) {
        return;
    }
    memset(spec, 0, sizeof *spec);
    spec->format = ETW_SIGNAL_EDF;
    spec->phys_min = -1.0;
    spec->phys_max = 1.0;
    spec->full_scale = 1.0;
}

etw_status etw_signal_format_from_path(const char *path, etw_signal_format *format)
{
    if (path == NULL || format == NULL) {
        return ETW_ERR_NULL;
    }
    static const struct {
        const char *ext;
        etw_signal_format format;
    } map[] = {{".edf", ETW_SIGNAL_EDF}, {".bdf", ETW_SIGNAL_BDF}, {".wav", ETW_SIGNAL_WAV},
               {".flac", ETW_SIGNAL_FLAC}, {".csv", ETW_SIGNAL_CSV}};
    for (size_t i = 0; i < sizeof map / sizeof map[0]; i++) {
        if (etw_path_has_ext(path, map[i].ext)) {
            *format = map[i].format;
            return ETW_OK;
        }
    }
    return ETW_ERR_UNSUPPORTED;
}

static etw_status fail(etw_signal_writer *w, etw_status st, const char *what)
{
    snprintf(w->err, sizeof w->err, "%s: %s",
             w->file.final_path != NULL ? w->file.final_path : "signal file", what);
    return st;
}

static const char *label_of(const etw_signal_spec *s, size_t c, char *buf, size_t cap)
{
    if (s->labels != NULL && s->labels[c] != NULL) {
        return s->labels[c];
    }
    snprintf(buf, cap, "ch%zu", c + 1);
    return buf;
}

/* ---- EDF+/BDF+ --------------------------------------------------------------------------- */

/* Record duration (units of 10 us) that makes fs * duration an integer number of samples. */
static int edf_record(double fs, int *duration, int *samples)
{
    static const int seconds_x100[] = {100, 1000, 10000, 10, 1};
    for (size_t i = 0; i < sizeof seconds_x100 / sizeof seconds_x100[0]; i++) {
        double n = fs * seconds_x100[i] / 100.0;
        if (fabs(n - floor(n + 0.5)) < 1e-9 * n && n >= 1 && n <= 1e6) {
            *samples = (int)floor(n + 0.5);
            *duration = seconds_x100[i] * 1000;
            return 1;
        }
    }
    return 0;
}

static etw_status edf_begin(etw_signal_writer *w)
{
    const etw_signal_spec *s = &w->spec;
    int duration;
    if (s->nch > EDF_MAX_SIGNALS) {
        return fail(w, ETW_ERR_RANGE, "EDF/BDF writer takes at most 512 channels");
    }
    if (!edf_record(s->fs_hz, &duration, &w->rec_samples)) {
        return fail(w, ETW_ERR_UNSUPPORTED, "EDF needs a sample rate whose product with 1, "
                    "10, 100, 0.1 or 0.01 s is a whole number of samples");
    }
    w->rec = calloc(s->nch * (size_t)w->rec_samples, sizeof *w->rec);
    if (w->rec == NULL) {
        return fail(w, ETW_ERR_NOMEM, "out of memory");
    }
    int bdf = s->format == ETW_SIGNAL_BDF;
    etw_edflib_lock();
    w->edf = edfopen_file_writeonly(w->file.tmp_path,
                                    bdf ? EDFLIB_FILETYPE_BDFPLUS : EDFLIB_FILETYPE_EDFPLUS,
                                    (int)s->nch);
    etw_edflib_unlock();
    if (w->edf < 0) {
        w->edf = -1;
        return fail(w, ETW_ERR_OPEN, "EDFlib cannot create the file");
    }
    int bad = edf_set_datarecord_duration(w->edf, duration) != 0;
    char buf[32];
    for (size_t c = 0; c < s->nch; c++) {
        int i = (int)c;
        bad |= edf_set_samplefrequency(w->edf, i, w->rec_samples) != 0;
        bad |= edf_set_physical_maximum(w->edf, i, w->range[s->nch + c]) != 0;
        bad |= edf_set_physical_minimum(w->edf, i, w->range[c]) != 0;
        bad |= edf_set_digital_maximum(w->edf, i, bdf ? 8388607 : 32767) != 0;
        bad |= edf_set_digital_minimum(w->edf, i, bdf ? -8388608 : -32768) != 0;
        bad |= edf_set_label(w->edf, i, label_of(s, c, buf, sizeof buf)) != 0;
        bad |= edf_set_physical_dimension(w->edf, i, s->unit != NULL ? s->unit : "") != 0;
    }
    /* no start: 1985-01-01 00:00:00, the EDF clipping date and the consensus for an unknown
     * (anonymised) start, instead of EDFlib's time of writing: the same input then gives the
     * same bytes, and readers (edf_read.c) report the start as unknown */
    const etw_datetime none = {1985, 1, 1, 0, 0, 0.0}, *t = s->has_start ? &s->start : &none;
    bad |= edf_set_startdatetime(w->edf, t->year, t->month, t->day, t->hour, t->minute,
                                 (int)t->second) != 0;
    bad |= edf_set_number_of_annotation_signals(w->edf, 4) != 0;
    return bad ? fail(w, ETW_ERR_RANGE, "EDFlib refused a header field (start date, range, "
                      "label?)")
               : ETW_OK;
}

static etw_status edf_flush_record(etw_signal_writer *w)
{
    for (size_t c = 0; c < w->spec.nch; c++) {
        if (edfwrite_physical_samples(w->edf, w->rec + c * (size_t)w->rec_samples) != 0) {
            return fail(w, ETW_ERR_IO, "EDFlib write failed (disk full?)");
        }
    }
    w->rec_fill = 0;
    return ETW_OK;
}

static etw_status edf_write(etw_signal_writer *w, const float *const *in, size_t n)
{
    for (size_t done = 0; done < n;) {
        size_t m = (size_t)(w->rec_samples - w->rec_fill);
        m = n - done < m ? n - done : m;
        for (size_t c = 0; c < w->spec.nch; c++) {
            double *d = w->rec + c * (size_t)w->rec_samples + w->rec_fill;
            for (size_t i = 0; i < m; i++) {
                float v = in[c][done + i];
                d[i] = isfinite(v) ? v : (isnan(v) ? 0.0 : w->range[v > 0 ? w->spec.nch + c
                                                                          : c]);
            }
        }
        w->rec_fill += (int)m;
        done += m;
        if (w->rec_fill == w->rec_samples) {
            etw_status st = edf_flush_record(w);
            if (st != ETW_OK) {
                return st;
            }
        }
    }
    return ETW_OK;
}

static etw_status edf_finish(etw_signal_writer *w)
{
    etw_status st = ETW_OK;
    if (w->rec_fill > 0 || w->frames == 0) {
        for (size_t c = 0; c < w->spec.nch; c++) {
            double *d = w->rec + c * (size_t)w->rec_samples;
            memset(d + w->rec_fill, 0, (size_t)(w->rec_samples - w->rec_fill) * sizeof *d);
        }
        st = edf_flush_record(w);
    }
    etw_edflib_lock();
    int rc = edfclose_file(w->edf);
    etw_edflib_unlock();
    w->edf = -1;
    return st != ETW_OK ? st : rc != 0 ? fail(w, ETW_ERR_IO, "EDFlib close failed") : ETW_OK;
}

/* ---- WAV/FLAC ---------------------------------------------------------------------------- */

static etw_status snd_begin(etw_signal_writer *w)
{
    SF_INFO info;
    memset(&info, 0, sizeof info);
    info.channels = (int)w->spec.nch;
    info.samplerate = (int)floor(w->spec.fs_hz + 0.5);
    if (fabs(info.samplerate - w->spec.fs_hz) > 1e-9 * w->spec.fs_hz) {
        return fail(w, ETW_ERR_UNSUPPORTED, "WAV/FLAC need an integer sample rate");
    }
    info.format = w->spec.format == ETW_SIGNAL_WAV ? SF_FORMAT_WAV | SF_FORMAT_FLOAT
                                                   : SF_FORMAT_FLAC | SF_FORMAT_PCM_24;
    if (!sf_format_check(&info)) {
        return fail(w, ETW_ERR_UNSUPPORTED, "libsndfile cannot write this channel count/rate");
    }
    w->inter = malloc(SND_CHUNK * w->spec.nch * sizeof *w->inter);
    if (w->inter == NULL) {
        return fail(w, ETW_ERR_NOMEM, "out of memory");
    }
    w->sf = sf_open(w->file.tmp_path, SFM_WRITE, &info);
    if (w->sf == NULL) {
        return fail(w, ETW_ERR_OPEN, sf_strerror(NULL));
    }
    sf_command(w->sf, SFC_SET_CLIPPING, NULL, SF_TRUE);
    return ETW_OK;
}

static etw_status snd_write(etw_signal_writer *w, const float *const *in, size_t n)
{
    size_t nch = w->spec.nch;
    double inv = 1.0 / w->spec.full_scale;
    for (size_t done = 0; done < n;) {
        size_t m = n - done < SND_CHUNK ? n - done : SND_CHUNK;
        for (size_t c = 0; c < nch; c++) {
            for (size_t i = 0; i < m; i++) {
                float v = in[c][done + i];
                w->inter[i * nch + c] = isnan(v) ? 0.0f : (float)(v * inv);
            }
        }
        if (sf_writef_float(w->sf, w->inter, (sf_count_t)m) != (sf_count_t)m) {
            return fail(w, ETW_ERR_IO, sf_strerror(w->sf));
        }
        done += m;
    }
    return ETW_OK;
}

/* ---- CSV --------------------------------------------------------------------------------- */

static etw_status csv_begin(etw_signal_writer *w, int fd)
{
    w->csv = fdopen(fd, "wb");
    if (w->csv == NULL) {
        return fail(w, ETW_ERR_NOMEM, "out of memory");
    }
    char buf[32];
    fputs("time_s", w->csv);
    for (size_t c = 0; c < w->spec.nch; c++) {
        const char *l = label_of(&w->spec, c, buf, sizeof buf);
        fputc(',', w->csv);
        if (strpbrk(l, ",\"\r\n") != NULL) {
            fputc('"', w->csv);
            for (; *l; l++) {
                fputs(*l == '"' ? "\"\"" : (char[2]){*l, 0}, w->csv);
            }
            fputc('"', w->csv);
        } else {
            fputs(l, w->csv);
        }
    }
    fputc('\n', w->csv);
    return ferror(w->csv) ? fail(w, ETW_ERR_IO, "write failed") : ETW_OK;
}

static etw_status csv_write(etw_signal_writer *w, const float *const *in, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        fprintf(w->csv, "%.10g", (double)(w->frames + (int64_t)i) / w->spec.fs_hz);
        for (size_t c = 0; c < w->spec.nch; c++) {
            fprintf(w->csv, ",%.9g", in[c][i]);
        }
        fputc('\n', w->csv);
    }
    return ferror(w->csv) ? fail(w, ETW_ERR_IO, "write failed (disk full?)") : ETW_OK;
}

/* ---- front end --------------------------------------------------------------------------- */

static int valid_range(double lo, double hi)
{
    return isfinite(lo) && isfinite(hi) && hi > lo;
}

static etw_status check_spec(const etw_signal_spec *s)
{
    if ((int)s->format < 0 || s->format > ETW_SIGNAL_CSV || s->nch == 0 ||
        s->nch > ETW_MAX_CHANNELS || !(s->fs_hz > 0) || s->fs_hz > 1e9 ||
        !valid_range(s->phys_min, s->phys_max) || !(s->full_scale > 0) ||
        !isfinite(s->full_scale)) {
        return ETW_ERR_RANGE;
    }
    for (size_t c = 0; c < s->nch && (s->phys_min_ch != NULL || s->phys_max_ch != NULL); c++) {
        if (!valid_range(s->phys_min_ch != NULL ? s->phys_min_ch[c] : s->phys_min,
                         s->phys_max_ch != NULL ? s->phys_max_ch[c] : s->phys_max)) {
            return ETW_ERR_RANGE;
        }
    }
    return ETW_OK;
}

etw_status etw_signal_writer_create(const char *path, const etw_signal_spec *spec,
                                    etw_signal_writer **writer, char *detail, size_t detail_size)
{
    char dummy[1];
    if (detail == NULL || detail_size == 0) {
        detail = dummy;
        detail_size = sizeof dummy;
    }
    detail[0] = '\0';
    if (writer == NULL || path == NULL || spec == NULL) {
        snprintf(detail, detail_size, "NULL argument");
        return ETW_ERR_NULL;
    }
    *writer = NULL;
    if (check_spec(spec) != ETW_OK) {
        snprintf(detail, detail_size, "%s: invalid spec (format, 1..%d channels, fs > 0, "
                 "finite phys_min < phys_max for every channel, full_scale > 0)", path,
                 ETW_MAX_CHANNELS);
        return ETW_ERR_RANGE;
    }
    etw_signal_writer *w = calloc(1, sizeof *w);
    if (w == NULL) {
        snprintf(detail, detail_size, "%s: out of memory", path);
        return ETW_ERR_NOMEM;
    }
    w->spec = *spec;
    w->spec.labels = NULL; /* not retained; used only in begin */
    w->spec.phys_min_ch = w->spec.phys_max_ch = NULL; /* copied into w->range */
    w->range = malloc(2 * spec->nch * sizeof *w->range);
    if (w->range == NULL) {
        free(w);
        snprintf(detail, detail_size, "%s: out of memory", path);
        return ETW_ERR_NOMEM;
    }
    for (size_t c = 0; c < spec->nch; c++) {
        w->range[c] = spec->phys_min_ch != NULL ? spec->phys_min_ch[c] : spec->phys_min;
        w->range[spec->nch + c] = spec->phys_max_ch != NULL ? spec->phys_max_ch[c]
                                                            : spec->phys_max;
    }
    w->edf = -1;
    int fd = -1;
    int csv = spec->format == ETW_SIGNAL_CSV;
    etw_status st = etw_atomic_begin(&w->file, path, spec->overwrite, csv ? &fd : NULL, detail,
                                     detail_size);
    if (st == ETW_OK) {
        w->spec.labels = spec->labels;
        w->spec.unit = spec->unit;
        st = csv ? csv_begin(w, fd)
                 : spec->format <= ETW_SIGNAL_BDF ? edf_begin(w) : snd_begin(w);
        w->spec.labels = NULL;
        w->spec.unit = NULL;
        if (st != ETW_OK) {
            snprintf(detail, detail_size, "%s", w->err);
        }
    }
    if (st != ETW_OK) {
        if (csv && w->csv == NULL && fd >= 0) {
            fclose(fdopen(fd, "wb"));
        }
        etw_signal_writer_destroy(w);
        return st;
    }
    *writer = w;
    return ETW_OK;
}

etw_status etw_signal_writer_write(etw_signal_writer *w, const float *const *in, size_t nframes)
{
    if (w == NULL || (in == NULL && nframes > 0)) {
        return ETW_ERR_NULL;
    }
    if (w->committed) {
        return fail(w, ETW_ERR_STATE, "write after commit");
    }
    if (nframes == 0) {
        return ETW_OK;
    }
    for (size_t c = 0; c < w->spec.nch; c++) {
        if (in[c] == NULL) {
            return ETW_ERR_NULL;
        }
    }
    etw_status st = w->csv != NULL ? csv_write(w, in, nframes)
                    : w->sf != NULL ? snd_write(w, in, nframes)
                                    : edf_write(w, in, nframes);
    if (st == ETW_OK) {
        w->frames += (int64_t)nframes;
    }
    return st;
}

etw_status etw_signal_writer_annotate(etw_signal_writer *w, double onset_s, double duration_s,
                                      const char *text)
{
    if (w == NULL || text == NULL) {
        return ETW_ERR_NULL;
    }
    if (w->committed) {
        return fail(w, ETW_ERR_STATE, "annotation after commit");
    }
    if (!(onset_s >= 0) || !isfinite(onset_s) || isnan(duration_s) || onset_s > 1e9 ||
        duration_s > 1e9) {
        return fail(w, ETW_ERR_RANGE, "annotation onset/duration out of range");
    }
    if (w->edf < 0) {
        return ETW_OK;
    }
    long long on = (long long)floor(onset_s * 1e4 + 0.5);
    long long dur = duration_s < 0 ? -1 : (long long)floor(duration_s * 1e4 + 0.5);
    return edfwrite_annotation_utf8(w->edf, on, dur, text) != 0
               ? fail(w, ETW_ERR_IO, "EDFlib refused the annotation")
               : ETW_OK;
}

etw_status etw_signal_writer_commit(etw_signal_writer *w)
{
    if (w == NULL) {
        return ETW_ERR_NULL;
    }
    if (w->committed) {
        return fail(w, ETW_ERR_STATE, "already committed");
    }
    etw_status st = ETW_OK;
    if (w->edf >= 0) {
        st = edf_finish(w);
    } else if (w->sf != NULL) {
        int rc = sf_close(w->sf);
        w->sf = NULL;
        st = rc != 0 ? fail(w, ETW_ERR_IO, "libsndfile close failed") : ETW_OK;
    } else if (w->csv != NULL) {
        int bad = fflush(w->csv) != 0 || ferror(w->csv);
        bad |= fclose(w->csv) != 0;
        w->csv = NULL;
        st = bad ? fail(w, ETW_ERR_IO, "write failed (disk full?)") : ETW_OK;
    }
    if (st == ETW_OK) {
        st = etw_atomic_commit(&w->file, w->err, sizeof w->err);
    }
    if (st != ETW_OK) {
        etw_atomic_abort(&w->file);
        return st;
    }
    w->committed = 1;
    return ETW_OK;
}

void etw_signal_writer_destroy(etw_signal_writer *w)
{
    if (w == NULL) {
        return;
    }
    if (w->edf >= 0) {
        etw_edflib_lock();
        edfclose_file(w->edf);
        etw_edflib_unlock();
    }
    if (w->sf != NULL) {
        sf_close(w->sf);
    }
    if (w->csv != NULL) {
        fclose(w->csv);
    }
    etw_atomic_abort(&w->file);
    free(w->rec);
    free(w->range);
    free(w->inter);
    free(w);
}

const char *etw_signal_writer_error(const etw_signal_writer *w)
{
    return w != NULL ? w->err : "";
}
