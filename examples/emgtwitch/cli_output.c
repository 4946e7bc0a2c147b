/* Output format selection and atomic output files (see cli_output.h). */
#define _POSIX_C_SOURCE 200809L
#include "cli_output.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli_args.h"

static const char *const format_names[CLI_FMT_COUNT] = {
    [CLI_FMT_NONE] = "none", [CLI_FMT_TSV] = "tsv", [CLI_FMT_CSV] = "csv",
    [CLI_FMT_JSON] = "json", [CLI_FMT_EDF] = "edf", [CLI_FMT_BDF] = "bdf",
    [CLI_FMT_WAV] = "wav",   [CLI_FMT_FLAC] = "flac", [CLI_FMT_PNG] = "png",
    [CLI_FMT_SVG] = "svg",   [CLI_FMT_PDF] = "pdf",
};

const char *cli_format_name(enum cli_format fmt)
{
    return (fmt >= 0 && fmt < CLI_FMT_COUNT) ? format_names[fmt] : "none";
}

enum cli_format cli_format_from_name(const char *name)
{
    if (!name) {
        return CLI_FMT_NONE;
    }
    for (int f = CLI_FMT_NONE + 1; f < CLI_FMT_COUNT; f++) {
        if (strcasecmp(name, format_names[f]) == 0) {
            return (enum cli_format)f;
        }
    }
    if (strcasecmp(name, "txt") == 0) {
        return CLI_FMT_TSV;
    }
    return CLI_FMT_NONE;
}

enum cli_format cli_format_from_path(const char *path)
{
    if (!path || strcmp(path, "-") == 0) {
        return CLI_FMT_NONE;
    }
    const char *slash = strrchr(path, '/');
    const char *dot = strrchr(slash ? slash : path, '.');
    return dot ? cli_format_from_name(dot + 1) : CLI_FMT_NONE;
}

int cli_choose_format(const char *cmd, const char *path, const char *format_opt,
                      unsigned allowed, enum cli_format fallback, enum cli_format *out)
{
    enum cli_format fmt = fallback;
    if (format_opt) {
        fmt = cli_format_from_name(format_opt);
    } else if (cli_format_from_path(path) != CLI_FMT_NONE) {
        fmt = cli_format_from_path(path);
    }
    if (fmt == CLI_FMT_NONE || !(allowed & CLI_FMT_BIT(fmt))) {
        char list[128] = "";
        for (int f = CLI_FMT_NONE + 1; f < CLI_FMT_COUNT; f++) {
            if (allowed & CLI_FMT_BIT(f)) {
                strncat(list, " ", sizeof list - strlen(list) - 1);
                strncat(list, format_names[f], sizeof list - strlen(list) - 1);
            }
        }
        const char *what = format_opt ? format_opt : (path ? path : "(none)");
        cli_usage_error(cmd, "cannot tell the output format from '%s'; use one of:%s "
                        "(by extension or --format)", what, list);
        return -1;
    }
    *out = fmt;
    return 0;
}

int cli_check_clobber(const char *cmd, const char *path, int force)
{
    struct stat st;
    if (!force && strcmp(path, "-") != 0 && stat(path, &st) == 0) {
        cli_fail(cmd, path, "exists (use --force to overwrite)");
        return -1;
    }
    return 0;
}

int cli_out_open(const char *cmd, const char *path, int force, struct cli_out *out)
{
    memset(out, 0, sizeof *out);
    if (strcmp(path, "-") == 0) {
        out->fp = stdout;
        return 0;
    }
    if (cli_check_clobber(cmd, path, force) != 0) {
        return -1;
    }
    size_t n = strlen(path);
    out->path = malloc(n + 1);
    out->tmp_path = malloc(n + 16);
    if (!out->path || !out->tmp_path) {
        cli_out_abort(out);
        cli_fail(cmd, path, "out of memory");
        return -1;
    }
    memcpy(out->path, path, n + 1);
    snprintf(out->tmp_path, n + 16, "%s.tmp-XXXXXX", path);
    int fd = mkstemp(out->tmp_path);
    if (fd < 0) {
        cli_fail(cmd, path, "cannot create: %s", strerror(errno));
        free(out->tmp_path);
        out->tmp_path = NULL;
        cli_out_abort(out);
        return -1;
    }
    fchmod(fd, 0644);
    out->fp = fdopen(fd, "wb");
    if (!out->fp) {
        close(fd);
        cli_fail(cmd, path, "cannot write: %s", strerror(errno));
        cli_out_abort(out);
        return -1;
    }
    return 0;
}

int cli_out_commit(const char *cmd, struct cli_out *out)
{
    if (!out->path) {
        if (fflush(out->fp) != 0 || ferror(out->fp)) {
            cli_fail(cmd, "(stdout)", "write failed: %s", strerror(errno));
            return -1;
        }
        out->fp = NULL;
        return 0;
    }
    int bad = ferror(out->fp) != 0;
    bad |= fflush(out->fp) != 0;
    bad |= fsync(fileno(out->fp)) != 0;
    int err = errno;
    bad |= fclose(out->fp) != 0;
    out->fp = NULL;
    if (bad || rename(out->tmp_path, out->path) != 0) {
        cli_fail(cmd, out->path, "write failed: %s", strerror(bad ? err : errno));
        cli_out_abort(out);
        return -1;
    }
    free(out->tmp_path);
    out->tmp_path = NULL;
    cli_out_abort(out);
    return 0;
}

void cli_out_abort(struct cli_out *out)
{
    if (out->fp && out->fp != stdout) {
        fclose(out->fp);
    }
    out->fp = NULL;
    if (out->tmp_path) {
        unlink(out->tmp_path);
    }
    free(out->tmp_path);
    free(out->path);
    out->tmp_path = NULL;
    out->path = NULL;
}

int cli_path_begin(const char *cmd, const char *path, const char *ext, char *buf, size_t cap)
{
    if (strcmp(path, "-") != 0) {
        if (strlen(path) >= cap) {
            cli_fail(cmd, path, "path too long");
            return -1;
        }
        memcpy(buf, path, strlen(path) + 1);
        return 0;
    }
    const char *tmp = getenv("TMPDIR");
    snprintf(buf, cap, "%s/emgtwitch-XXXXXX", tmp && tmp[0] ? tmp : "/tmp");
    if (!mkdtemp(buf)) {
        cli_fail(cmd, buf, "cannot create a temporary folder: %s", strerror(errno));
        return -1;
    }
    size_t len = strlen(buf);
    snprintf(buf + len, cap - len, "/stdout%s", ext);
    return 0;
}

int cli_path_finish(const char *cmd, const char *path, const char *written, int ok)
{
    if (strcmp(path, "-") != 0) {
        return 0;
    }
    int rc = 0;
    FILE *in = fopen(written, "rb");
    if (ok && !in) {
        cli_fail(cmd, written, "cannot read back: %s", strerror(errno));
        rc = -1;
    }
    if (in) {
        char block[65536];
        size_t n;
        while (ok && (n = fread(block, 1, sizeof block, in)) > 0) {
            if (fwrite(block, 1, n, stdout) != n) {
                cli_fail(cmd, "(stdout)", "write failed: %s", strerror(errno));
                rc = -1;
                break;
            }
        }
        fclose(in);
        unlink(written);
    }
    if (fflush(stdout) != 0) {
        rc = -1;
    }
    char dir[4096];
    snprintf(dir, sizeof dir, "%s", written);
    char *slash = strrchr(dir, '/');
    if (slash) {
        *slash = '\0';
        rmdir(dir);
    }
    return rc;
}
