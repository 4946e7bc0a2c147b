/* WAV, FLAC and the other formats of libsndfile, read as float (nominally -1..1) and
 * multiplied by the open option's scale, in the option's unit. Cue points (WAV "cue " chunk,
 * as libsndfile reports them) become annotations. */
#include <sndfile.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "io/reader_internal.h"

#define SND_CHUNK_SAMPLES 65536
#define SND_MAX_CUES 10000

typedef struct snd_state {
    SNDFILE *sf;
    int channels;
    double scale;
    float *buf;                /* SND_CHUNK_SAMPLES interleaved samples */
} snd_state;

static void snd_close(etw_reader *r)
{
    snd_state *s = r->state;
    if (s == NULL) {
        return;
    }
    if (s->sf != NULL) {
        sf_close(s->sf);
    }
    free(s->buf);
    free(s);
    r->state = NULL;
}

static etw_status snd_read(etw_reader *r, float *const *out, size_t n)
{
    snd_state *s = r->state;
    if (sf_seek(s->sf, (sf_count_t)r->pos, SEEK_SET) != (sf_count_t)r->pos) {
        return etw_reader_fail(r, ETW_ERR_IO, "cannot seek to frame %lld: %s",
                               (long long)r->pos, sf_strerror(s->sf));
    }
    size_t chunk = SND_CHUNK_SAMPLES / (size_t)s->channels;
    for (size_t done = 0; done < n;) {
        size_t m = n - done < chunk ? n - done : chunk;
        sf_count_t got = sf_readf_float(s->sf, s->buf, (sf_count_t)m);
        if (got != (sf_count_t)m) {
            return etw_reader_fail(r, ETW_ERR_TRUNCATED, "frame %lld: %s",
                                   (long long)(r->pos + (int64_t)done + (got > 0 ? got : 0)),
                                   sf_error(s->sf) ? sf_strerror(s->sf) : "file ends early");
        }
        for (size_t j = 0; j < r->nsel; j++) {
            const float *p = s->buf + r->sel[j];
            float *o = out[j] + done;
            for (size_t i = 0; i < m; i++, p += s->channels) {
                o[i] = (float)(*p * s->scale);
            }
        }
        done += m;
    }
    return ETW_OK;
}

static const etw_backend snd_backend = {snd_read, snd_close};

/* Cue points as annotations: onset = sample offset / fs, no duration, text = the cue's name
 * when libsndfile gives one, else "cue <id>". */
static etw_status read_cues(etw_reader *r, SNDFILE *sf, double fs)
{
    uint32_t n = 0;
    if (sf_command(sf, SFC_GET_CUE_COUNT, &n, sizeof n) == 0 || n == 0) {
        return ETW_OK; /* the format has no cues */
    }
    if (n > SND_MAX_CUES) {
        return etw_reader_fail(r, ETW_ERR_OVERFLOW, "%u cue points (at most %d)", n,
                               SND_MAX_CUES);
    }
    size_t size = sizeof(uint32_t) + (size_t)n * sizeof(SF_CUE_POINT);
    SF_CUES_VAR(1) *cues = calloc(1, size);
    if (cues == NULL) {
        return etw_reader_fail(r, ETW_ERR_NOMEM, "out of memory for %u cue points", n);
    }
    etw_status st = ETW_OK;
    if (sf_command(sf, SFC_GET_CUE, cues, (int)size) != 0) {
        uint32_t count = cues->cue_count < n ? cues->cue_count : n;
        for (uint32_t k = 0; st == ETW_OK && k < count; k++) {
            SF_CUE_POINT *c = &cues->cue_points[k];
            char text[32];
            c->name[sizeof c->name - 1] = '\0';
            const char *t = c->name;
            size_t len = strlen(t);
            if (len == 0) {
                len = (size_t)snprintf(text, sizeof text, "cue %d", (int)c->indx);
                t = text;
            }
            st = etw_reader_add_annotation(r, (double)c->sample_offset / fs, -1.0, t, len);
        }
    }
    free(cues);
    return st;
}

etw_status etw_sound_open(etw_reader *r)
{
    snd_state *s = calloc(1, sizeof *s);
    if (s == NULL) {
        return etw_reader_fail(r, ETW_ERR_NOMEM, "out of memory");
    }
    r->state = s;
    r->be = &snd_backend;
    SF_INFO info;
    memset(&info, 0, sizeof info);
    s->sf = sf_open(r->path, SFM_READ, &info);
    if (s->sf == NULL) {
        int code = sf_error(NULL);
        return etw_reader_fail(r, code == SF_ERR_SYSTEM ? ETW_ERR_OPEN : ETW_ERR_FORMAT,
                               "libsndfile: %s", sf_error_number(code));
    }
    if (info.channels <= 0 || info.samplerate <= 0 || info.frames < 0) {
        return etw_reader_fail(r, ETW_ERR_FORMAT, "%d channels at %d Hz", info.channels,
                               info.samplerate);
    }
    if (info.frames == 0) {
        return etw_reader_fail(r, ETW_ERR_FORMAT, "no samples");
    }
    etw_status st = etw_reader_alloc_channels(r, (size_t)info.channels);
    if (st != ETW_OK) {
        return st;
    }
    s->channels = info.channels;
    s->scale = r->opt.scale;
    s->buf = malloc(SND_CHUNK_SAMPLES * sizeof *s->buf);
    if (s->buf == NULL) {
        return etw_reader_fail(r, ETW_ERR_NOMEM, "out of memory");
    }
    SF_FORMAT_INFO fi = {.format = info.format & SF_FORMAT_TYPEMASK};
    if (sf_command(NULL, SFC_GET_FORMAT_INFO, &fi, sizeof fi) == 0 && fi.extension != NULL) {
        snprintf(r->info.format_name, sizeof r->info.format_name, "%s", fi.extension);
        for (char *p = r->info.format_name; *p; p++) {
            *p = (char)(*p >= 'a' && *p <= 'z' ? *p - 'a' + 'A' : *p);
        }
    } else {
        snprintf(r->info.format_name, sizeof r->info.format_name, "sound");
    }
    double a = s->scale < 0 ? -s->scale : s->scale;
    for (size_t c = 0; c < r->info.nch; c++) {
        etw_channel_info *ch = &r->ch[c];
        ch->fs_hz = info.samplerate;
        ch->nframes = info.frames;
        ch->phys_min = -a;
        ch->phys_max = a;
        if (r->opt.unit != NULL) {
            etw_copy_trimmed(ch->unit, sizeof ch->unit, r->opt.unit, strlen(r->opt.unit));
        }
        ch->to_volts = etw_unit_to_volts(ch->unit);
    }
    r->info.duration_s = (double)info.frames / info.samplerate;
    return read_cues(r, s->sf, info.samplerate);
}
