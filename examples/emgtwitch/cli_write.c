/* Tables and signal files through the io library's writers (see cli_write.h). */
#include "cli_write.h"

#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "cli_args.h"

static int begin(const char *cmd, const char *path, enum cli_format fmt, struct cli_writer *w)
{
    memset(w, 0, sizeof *w);
    w->path = path;
    char ext[16];
    snprintf(ext, sizeof ext, ".%s", cli_format_name(fmt));
    return cli_path_begin(cmd, path, ext, w->tmp, sizeof w->tmp);
}

/* Reports a failed create and removes the temporary folder of a stdout write. */
static int fail_create(const char *cmd, struct cli_writer *w, etw_status st, const char *d)
{
    cli_fail(cmd, w->path, "%s%s%s", etw_strerror(st), d[0] ? ": " : "", d);
    cli_path_finish(cmd, w->path, w->tmp, 0);
    return -1;
}

int cli_table_open(const char *cmd, const char *path, enum cli_format fmt,
                   const char *const *columns, size_t ncol, int force, struct cli_writer *w)
{
    if (begin(cmd, path, fmt, w) != 0) {
        return -1;
    }
    etw_table_format tf = fmt == CLI_FMT_CSV    ? ETW_TABLE_CSV
                          : fmt == CLI_FMT_JSON ? ETW_TABLE_JSON
                                                : ETW_TABLE_TSV;
    char detail[512] = "";
    etw_status st = etw_table_writer_create(w->tmp, tf, columns, ncol, force, &w->table, detail,
                                            sizeof detail);
    return st == ETW_OK ? 0 : fail_create(cmd, w, st, detail);
}

int cli_signal_open(const char *cmd, const char *path, enum cli_format fmt,
                    etw_signal_spec *spec, struct cli_writer *w)
{
    if (begin(cmd, path, fmt, w) != 0) {
        return -1;
    }
    spec->format = fmt == CLI_FMT_BDF    ? ETW_SIGNAL_BDF
                   : fmt == CLI_FMT_WAV  ? ETW_SIGNAL_WAV
                   : fmt == CLI_FMT_FLAC ? ETW_SIGNAL_FLAC
                   : fmt == CLI_FMT_CSV  ? ETW_SIGNAL_CSV
                                         : ETW_SIGNAL_EDF;
    char detail[512] = "";
    etw_status st = etw_signal_writer_create(w->tmp, spec, &w->signal, detail, sizeof detail);
    return st == ETW_OK ? 0 : fail_create(cmd, w, st, detail);
}

int cli_writer_close(const char *cmd, struct cli_writer *w, etw_status st)
{
    if (st == ETW_OK) {
        st = w->table ? etw_table_writer_commit(w->table) : etw_signal_writer_commit(w->signal);
    }
    if (st != ETW_OK) {
        const char *d = w->table ? etw_table_writer_error(w->table)
                                 : etw_signal_writer_error(w->signal);
        cli_fail(cmd, w->path, "%s%s%s", etw_strerror(st), d[0] ? ": " : "", d);
    }
    etw_table_writer_destroy(w->table);
    etw_signal_writer_destroy(w->signal);
    w->table = NULL;
    w->signal = NULL;
    int delivered = cli_path_finish(cmd, w->path, w->tmp, st == ETW_OK) == 0;
    return st == ETW_OK && delivered ? CLI_OK : CLI_FAILED;
}

void cli_writer_abandon(const char *cmd, struct cli_writer *w)
{
    etw_table_writer_destroy(w->table);
    etw_signal_writer_destroy(w->signal);
    w->table = NULL;
    w->signal = NULL;
    cli_path_finish(cmd, w->path, w->tmp, 0);
}
