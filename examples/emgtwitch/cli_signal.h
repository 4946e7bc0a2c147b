/* Planar sample buffers read from a recording, and signal files written with the input's
 * metadata (labels, unit, start time, annotations) for `filter` and `synth`. */
#ifndef ETW_CLI_SIGNAL_H
#define ETW_CLI_SIGNAL_H

#include <stddef.h>
#include <stdint.h>

#include "cli_io.h"
#include "cli_output.h"
#include "cli_write.h"
#include "emgtwitch/emgtwitch.h"
#include "emgtwitch/envelope.h"
#include "emgtwitch/io.h"

/* Output formats of signal writers. */
#define CLI_SIGNAL_FORMATS                                                              \
    (CLI_FMT_BIT(CLI_FMT_EDF) | CLI_FMT_BIT(CLI_FMT_BDF) | CLI_FMT_BIT(CLI_FMT_WAV) | \
     CLI_FMT_BIT(CLI_FMT_FLAC) | CLI_FMT_BIT(CLI_FMT_CSV))

/* nch channels of up to `cap` frames each; `n` frames hold data. */
struct cli_block {
    size_t nch;
    size_t cap;
    size_t n;
    float **ch;
};

/* Allocates nch x cap frames. Returns 0 or -1 after printing "out of memory" for `file`. */
int cli_block_alloc(const char *cmd, const char *file, size_t nch, size_t cap,
                    struct cli_block *b);
void cli_block_free(struct cli_block *b);

/* Reads up to `count` frames of the reader's selection from frame `start` into a new block
 * (which holds at most `max_bytes` of samples; more is an error suggesting --start/--end).
 * Returns 0 or -1 after printing the reason. */
int cli_read_range(const char *cmd, const char *file, etw_reader *r, int64_t start,
                   int64_t count, size_t max_bytes, struct cli_block *b);

/* Starts a signal file at `path` ("-" = stdout) with the selected channels' labels and unit,
 * the start time and an amplitude range covering `range` (the largest magnitude expected, in
 * the channels' unit); end it with cli_writer_close(). Returns 0, or -1 after printing the
 * reason. */
int cli_signal_writer_open(const char *cmd, const char *path, etw_reader *r,
                           enum cli_format fmt, double range, int force, struct cli_writer *w);

/* Copies the reader's annotations into the writer (EDF+/BDF+ keep them). Returns 0 or -1. */
int cli_signal_copy_annotations(const char *cmd, const char *path, etw_reader *r,
                                etw_signal_writer *w);

/* Frames per block when streaming. */
#define CLI_BLOCK_FRAMES 4096

/* Streams the reader's selection from its current position to the end into `w`, filtered by
 * `cas` and then turned into an envelope by `env` (either may be NULL), in constant memory with
 * a progress bar on a terminal. Returns CLI_OK or CLI_FAILED after printing the reason. */
int cli_signal_stream(const char *cmd, const char *in_path, etw_reader *r, etw_cascade *cas,
                      etw_envelope *env, etw_signal_writer *w, const char *out_path);

/* Label and unit of the k-th selected channel (into caller buffers of ETW_LABEL_MAX and
 * ETW_UNIT_MAX bytes). */
void cli_selected_channel(const etw_reader *r, size_t k, char *label, char *unit);

/* Opens `path` with the reader options (cli_open_reader); NULL after printing the reason. */
etw_reader *cli_open_selected(const char *cmd, const char *path, const cli_read_options *o);

/* As cli_open_selected(), but refuses a recording with gaps (EDF+D/BDF+D with more than one
 * segment) with a message naming the file, for commands that would process the samples across
 * the gaps as one stream; NULL after printing the reason. */
etw_reader *cli_open_continuous(const char *cmd, const char *path, const cli_read_options *o);

/* The part of contiguous segment `index` (etw_reader_segment) inside frames [first, last) of
 * the selection: frames lo..hi-1, the first of which lies t0_s seconds after the recording's
 * start time (true time across EDF+D gaps). */
struct cli_piece {
    int64_t lo, hi;
    double t0_s;
};

/* Fills `p` for segment `index`; returns 0 if that segment has frames in [first, last), -1 if
 * not (or index is out of range). */
int cli_piece_of(const etw_reader *r, size_t index, int64_t first, int64_t last,
                 struct cli_piece *p);

/* Largest |physical min/max| over the selected channels (1 when unknown). */
double cli_signal_range(const etw_reader *r);

#endif
