/* bench_io: reading throughput of emgtwitch_io per format on large generated files, next to a
 * plain `cat` of the same file, and the resident memory while streaming.
 *
 * usage: bench_io [--mb N] [--channels N] [--fs HZ] [--dir DIR] [--keep]
 *   --mb N        size of the 16-bit files in MiB (default 256); the others follow from the
 *                 same number of frames
 *   --channels N  channels (default 8), --fs HZ sample rate (default 2000)
 *   --dir DIR     where to write the files (default: a fresh folder under /tmp)
 *   --keep        keep the files (otherwise only the files this run wrote are removed)
 *
 * For each format it writes the file (WFDB format 16 by hand, the others through the
 * emgtwitch writers), times `cat FILE > /dev/null`, then reads every channel through
 * etw_reader_read() in blocks of 4096 frames and prints MB/s (file bytes) and Msamples/s
 * (channels x frames), plus the growth of the resident set while reading (it should stay
 * near 0: the readers stream in constant memory). Files are read warm (just written). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "emgtwitch/io.h"

#define BLOCK 4096
#define TWO_PI 6.283185307179586

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

static long rss_kib(void)
{
    FILE *f = fopen("/proc/self/statm", "r");
    long pages = 0, resident = 0;
    if (f != NULL) {
        if (fscanf(f, "%ld %ld", &pages, &resident) != 2) {
            resident = 0;
        }
        fclose(f);
    }
    return resident * (sysconf(_SC_PAGESIZE) / 1024);
}

static float sample(size_t c, int64_t i, double fs)
{
    double t = (double)i / fs;
    return (float)(200.0 * sin(TWO_PI * (30.0 + 10.0 * (double)c) * t) +
                   50.0 * sin(TWO_PI * 0.7 * t + (double)c));
}

/* WFDB format 16 record with gain 1000 adu/mV (the writers have no WFDB output). */
static int write_wfdb(const char *dir, size_t nch, double fs, int64_t frames)
{
    char path[512];
    snprintf(path, sizeof path, "%s/bench.dat", dir);
    FILE *f = fopen(path, "wb");
    if (f == NULL) {
        return -1;
    }
    static int16_t buf[BLOCK * 64];
    uint16_t sum[64] = {0};
    int16_t first[64] = {0};
    for (int64_t at = 0; at < frames; at += BLOCK) {
        int64_t m = frames - at < BLOCK ? frames - at : BLOCK;
        for (int64_t i = 0; i < m; i++) {
            for (size_t c = 0; c < nch; c++) {
                int16_t v = (int16_t)lrint(sample(c, at + i, fs) * 10.0);
                buf[i * (int64_t)nch + (int64_t)c] = v;
                sum[c] = (uint16_t)(sum[c] + (uint16_t)v);
                first[c] = at + i == 0 ? v : first[c];
            }
        }
        fwrite(buf, sizeof buf[0], (size_t)m * nch, f);
    }
    if (fclose(f) != 0) {
        return -1;
    }
    snprintf(path, sizeof path, "%s/bench.hea", dir);
    f = fopen(path, "w");
    if (f == NULL) {
        return -1;
    }
    fprintf(f, "bench %zu %g %lld\n", nch, fs, (long long)frames);
    for (size_t c = 0; c < nch; c++) {
        fprintf(f, "bench.dat 16 10/uV 16 0 %d %d 0 EMG %zu\n", first[c], (int16_t)sum[c],
                c + 1);
    }
    return fclose(f);
}

static int write_with(const char *path, etw_signal_format fmt, size_t nch, double fs,
                      int64_t frames)
{
    etw_signal_spec s;
    etw_signal_spec_default(&s);
    s.format = fmt;
    s.nch = nch;
    s.fs_hz = fs;
    s.unit = "uV";
    s.phys_min = -3276.8;
    s.phys_max = 3276.7;
    s.full_scale = 1000;
    s.overwrite = 1;
    etw_signal_writer *w = NULL;
    char detail[512];
    if (etw_signal_writer_create(path, &s, &w, detail, sizeof detail) != ETW_OK) {
        fprintf(stderr, "bench_io: %s\n", detail);
        return -1;
    }
    static float buf[64][BLOCK];
    const float *in[64];
    for (size_t c = 0; c < nch; c++) {
        in[c] = buf[c];
    }
    for (int64_t at = 0; at < frames; at += BLOCK) {
        int64_t m = frames - at < BLOCK ? frames - at : BLOCK;
        for (size_t c = 0; c < nch; c++) {
            for (int64_t i = 0; i < m; i++) {
                buf[c][i] = sample(c, at + i, fs);
            }
        }
        if (etw_signal_writer_write(w, in, (size_t)m) != ETW_OK) {
            fprintf(stderr, "bench_io: %s\n", etw_signal_writer_error(w));
            etw_signal_writer_destroy(w);
            return -1;
        }
    }
    int rc = etw_signal_writer_commit(w) == ETW_OK ? 0 : -1;
    etw_signal_writer_destroy(w);
    return rc;
}

static double time_cat(const char *path)
{
    char cmd[600];
    snprintf(cmd, sizeof cmd, "cat '%s' > /dev/null", path);
    double t0 = now();
    if (system(cmd) != 0) {
        return NAN;
    }
    return now() - t0;
}

static void bench_read(const char *name, const char *path, const char *data_path,
                       const etw_open_options *o)
{
    struct stat st;
    if (stat(data_path, &st) != 0) {
        return;
    }
    double bytes = (double)st.st_size;
    double tcat = time_cat(data_path);
    long rss0 = rss_kib(), rss_max = rss0;
    double t0 = now();
    etw_reader *r = NULL;
    char detail[512];
    if (etw_reader_open(path, o, &r, detail, sizeof detail) != ETW_OK) {
        fprintf(stderr, "bench_io: %s\n", detail);
        return;
    }
    double topen = now() - t0;
    size_t nsel;
    etw_reader_selection(r, &nsel, NULL, NULL);
    static float buf[64][BLOCK];
    float *out[64];
    for (size_t c = 0; c < nsel; c++) {
        out[c] = buf[c];
    }
    size_t got;
    double samples = 0;
    long blocks = 0;
    while (etw_reader_read(r, out, BLOCK, &got) == ETW_OK && got > 0) {
        samples += (double)got * (double)nsel;
        if (++blocks % 256 == 0) {
            long rss = rss_kib();
            rss_max = rss > rss_max ? rss : rss_max;
        }
    }
    etw_reader_close(r);
    double t = now() - t0;
    printf("%-22s %9.1f %9.3f %9.1f %10.1f %9.3f %11.1f %10ld\n", name, bytes / 1048576.0, t,
           bytes / 1048576.0 / t, samples / t / 1e6, topen, bytes / 1048576.0 / tcat,
           rss_max - rss0);
}

int main(int argc, char **argv)
{
    double mb = 256, fs = 2000;
    long nch = 8;
    const char *dir = NULL;
    int keep = 0;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--mb") == 0 && i + 1 < argc) {
            mb = atof(argv[++i]);
        } else if (strcmp(argv[i], "--channels") == 0 && i + 1 < argc) {
            nch = atol(argv[++i]);
        } else if (strcmp(argv[i], "--fs") == 0 && i + 1 < argc) {
            fs = atof(argv[++i]);
        } else if (strcmp(argv[i], "--dir") == 0 && i + 1 < argc) {
            dir = argv[++i];
        } else if (strcmp(argv[i], "--keep") == 0) {
            keep = 1;
        } else {
            fprintf(stderr, "usage: bench_io [--mb N] [--channels N] [--fs HZ] [--dir DIR] "
                            "[--keep]\n");
            return 2;
        }
    }
    if (!(mb > 0) || nch < 1 || nch > 64 || !(fs > 0)) {
        fprintf(stderr, "bench_io: --mb > 0, --channels 1..64, --fs > 0\n");
        return 2;
    }
    char tmp[] = "/tmp/etw_bench_io_XXXXXX";
    if (dir == NULL && (dir = mkdtemp(tmp)) == NULL) {
        perror("bench_io");
        return 1;
    }
    int64_t frames = (int64_t)(mb * 1048576.0 / 2.0 / (double)nch);
    frames -= frames % (int64_t)fs; /* whole EDF records */
    printf("bench_io: %ld channels at %g Hz, %lld frames (%.1f s of signal), files in %s\n",
           nch, fs, (long long)frames, (double)frames / fs, dir);
    char path[512], data[512];
    struct {
        const char *name, *file;
        etw_signal_format fmt;
        int64_t frames;
    } jobs[] = {{"EDF+ (16-bit)", "bench.edf", ETW_SIGNAL_EDF, frames},
                {"BDF+ (24-bit)", "bench.bdf", ETW_SIGNAL_BDF, frames},
                {"WAV (float)", "bench.wav", ETW_SIGNAL_WAV, frames},
                {"FLAC (24-bit)", "bench.flac", ETW_SIGNAL_FLAC, frames / 4},
                {"CSV text", "bench.csv", ETW_SIGNAL_CSV, frames / 16}};
    printf("%-22s %9s %9s %9s %10s %9s %11s %10s\n", "format", "MiB", "read_s", "MiB/s",
           "Msample/s", "open_s", "cat_MiB/s", "dRSS_KiB");
    snprintf(path, sizeof path, "%s/bench.hea", dir);
    snprintf(data, sizeof data, "%s/bench.dat", dir);
    if (write_wfdb(dir, (size_t)nch, fs, frames) == 0) {
        etw_open_options o;
        etw_open_options_default(&o);
        bench_read("WFDB 16 (verified)", path, data, &o);
        o.verify = 0;
        bench_read("WFDB 16 (no verify)", path, data, &o);
    }
    for (size_t j = 0; j < sizeof jobs / sizeof jobs[0]; j++) {
        snprintf(path, sizeof path, "%s/%s", dir, jobs[j].file);
        if (write_with(path, jobs[j].fmt, (size_t)nch, fs, jobs[j].frames) == 0) {
            bench_read(jobs[j].name, path, path, NULL);
        }
    }
    static const char *const made[] = {"bench.hea", "bench.dat", "bench.edf", "bench.bdf",
                                       "bench.wav", "bench.flac", "bench.csv"};
    for (size_t k = 0; !keep && k < sizeof made / sizeof made[0]; k++) {
        snprintf(path, sizeof path, "%s/%s", dir, made[k]);
        unlink(path);
    }
    if (!keep && dir == tmp) {
        rmdir(tmp);
    }
    return 0;
}
