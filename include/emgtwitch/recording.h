/**
 * @file recording.h
 * @brief Reading recordings: PhysioNet WFDB, delimited text (CSV/TSV/space, OpenSignals),
 *        EDF/EDF+/BDF/BDF+ and everything libsndfile reads (WAV, FLAC, ...), as a streaming
 *        reader with constant memory and a whole-file convenience.
 *
 * A reader is opened on a file, describes its channels (label, sample rate, unit, factor to
 * volts, physical and digital range), its start time and its annotations, and reads frames of
 * a *selection* of channels as planar `float` in physical units. All selected channels must
 * share one sample rate (EDF allows per-signal rates; choose channels of one rate).
 *
 * Errors: every function returns an ::etw_status; a reader keeps the detail of its last error
 * (file, line or byte offset, field) in etw_reader_error(). Opening writes the detail into a
 * caller buffer instead, since no reader exists when it fails. Nothing is kept globally.
 *
 * Threads: distinct readers may be used from distinct threads. EDFlib's open/close are
 * serialised internally by a process-wide lock. No function here is real-time safe (they do
 * file I/O).
 */
#ifndef EMGTWITCH_RECORDING_H
#define EMGTWITCH_RECORDING_H

#include "emgtwitch/common.h"
#include "emgtwitch/export_io.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Capacity of channel labels (bytes, with the terminating NUL). Longer labels are cut. */
#define ETW_LABEL_MAX 64
/** Capacity of unit strings (bytes, with the terminating NUL). */
#define ETW_UNIT_MAX 16
/** Most channels a reader accepts; more is ::ETW_ERR_OVERFLOW. */
#define ETW_MAX_CHANNELS 4096

/** File formats. */
typedef enum etw_format {
    ETW_FORMAT_AUTO = 0, /**< detect from content and extension (open option only) */
    ETW_FORMAT_WFDB = 1, /**< PhysioNet WFDB: .hea header + .dat signal file(s) */
    ETW_FORMAT_TEXT = 2, /**< delimited text: CSV/TSV/space, OpenSignals text */
    ETW_FORMAT_EDF = 3,  /**< EDF, EDF+, BDF, BDF+ (through EDFlib) */
    ETW_FORMAT_SOUND = 4 /**< WAV, FLAC and the other formats libsndfile reads */
} etw_format;

/** Options for etw_reader_open(); fill with etw_open_options_default() first. */
typedef struct etw_open_options {
    /** ::ETW_FORMAT_AUTO (default) or the format to force. */
    etw_format format;
    /** Sample rate in Hz for text files that state none (no time column, no header rate),
     *  or whose time column is irregular (steps off by more than 25 %, or not increasing:
     *  the column is then ignored); 0 (default) = none: such files are ::ETW_ERR_FORMAT.
     *  Ignored when the header or a regular time column gives a rate. */
    double fs_hz;
    /** Sound files: physical value = sample * scale, where samples are nominally -1..1.
     *  Default 1. Must be finite and nonzero. */
    double scale;
    /** Sound files: unit of the scaled samples ("V", "mV", "uV", ...); NULL or "" (default)
     *  = unknown. */
    const char *unit;
    /** Text files: 1-based column that holds event/cue labels (becomes annotations, not a
     *  channel); -1 = the last column; 0 (default) = only a column whose header names it
     *  (event, marker, trigger, cue, annotation). */
    int event_column;
    /** WFDB: verify the header's initial values and checksums at open (a full pass over
     *  the data). 1 (default) or 0. */
    int verify;
    /** Text files: decimal separator of the numbers, '.' or ','; 0 (default) = detect: ','
     *  when the fields are separated by ';' or tabs, and the first data row has a number
     *  with a comma and no field with a '.'; else '.'. With ',' the fields are separated by
     *  tabs, ';' or blanks, never by commas. */
    char decimal;
} etw_open_options;

/** A calendar date and time of day (local time of the recording, as the file states it). */
typedef struct etw_datetime {
    int year;      /**< e.g. 2017 */
    int month;     /**< 1..12 */
    int day;       /**< 1..31 */
    int hour;      /**< 0..23 */
    int minute;    /**< 0..59 */
    double second; /**< 0 <= second < 61, with fraction */
} etw_datetime;

/** One channel of a recording. Unknown numeric fields are NaN (to_volts: 0). */
typedef struct etw_channel_info {
    char label[ETW_LABEL_MAX]; /**< label as the file gives it, or "chN" (1-based) */
    char unit[ETW_UNIT_MAX];   /**< physical unit ("mV", "uV", ...), "" when unknown */
    double fs_hz;              /**< sample rate in Hz, > 0 */
    double to_volts;           /**< multiply a sample by this to get volts; 0 = unit unknown
                                    or not a voltage */
    double phys_min;           /**< physical minimum (EDF, WFDB: the digital range scaled;
                                    text: the smallest value in the file) */
    double phys_max;           /**< physical maximum, likewise */
    double dig_min;            /**< digital minimum (ADC counts), NaN for text/sound */
    double dig_max;            /**< digital maximum (ADC counts), NaN for text/sound */
    int64_t nframes;           /**< number of samples of this channel */
} etw_channel_info;

/** What a reader knows about the whole recording. */
typedef struct etw_recording_info {
    etw_format format;       /**< the detected or forced format */
    char format_name[32];    /**< e.g. "WFDB (format 16)", "EDF+", "BDF", "CSV", "WAV" */
    size_t nch;              /**< number of channels (EDF annotation signals excluded) */
    int has_start;           /**< 1 when `start` is known */
    etw_datetime start;      /**< start date/time when has_start */
    double duration_s;       /**< duration in seconds of the samples (the longest channel);
                                  for a discontinuous file the gaps are not counted */
    size_t nannotations;     /**< number of annotations (etw_reader_annotation()) */
    size_t nsegments;        /**< number of contiguous segments (etw_reader_segment()): 1,
                                  or more for a discontinuous EDF+D/BDF+D file */
} etw_recording_info;

/**
 * A stretch of contiguous samples. Every format gives one segment covering the whole file,
 * except EDF+D/BDF+D, whose data records may be separated by gaps: there the samples read by
 * etw_reader_read() are the data records one after another (gaps omitted), and each segment
 * is a run of records that follow each other without a gap. Frame `first_frame + k` of the
 * selection was sampled at `onset_s + k / fs_hz` seconds from the recording start.
 */
typedef struct etw_recording_segment {
    double onset_s;      /**< start in seconds from the recording start (etw_recording_info
                              start; EDF+: the header's start time, so the first segment of
                              an EDF+D file may begin after 0) */
    double duration_s;   /**< nframes / fs_hz, in seconds */
    int64_t first_frame; /**< index of its first frame in the selection's frames */
    int64_t nframes;     /**< number of frames of the selection in it (>= 1) */
} etw_recording_segment;

/** One annotation (EDF+ annotation, WFDB .atr annotation, text event-column run, WAV cue
 *  point). */
typedef struct etw_annotation {
    double onset_s;    /**< onset in seconds from the start of the recording */
    double duration_s; /**< duration in seconds, or -1 when the file gives none */
    const char *text;  /**< UTF-8 text, owned by the reader, valid until it is closed */
} etw_annotation;

/** A streaming reader (opaque). */
typedef struct etw_reader etw_reader;

/**
 * Fills options with the defaults: automatic format, no text sample rate, sound scale 1 and
 * unknown unit, event column only by header name, WFDB verification on, decimal separator of
 * text detected.
 * @param options out; NULL is ignored.
 */
ETW_IO_EXPORT void etw_open_options_default(etw_open_options *options);

/**
 * Parses a format name: "auto", "wfdb", "text" (also "csv", "tsv", "txt"), "edf" (also
 * "bdf"), "sound" (also "wav", "flac"); case-insensitive.
 * @param name   the name.
 * @param format out: the format.
 * @return ::ETW_OK; ::ETW_ERR_NULL; ::ETW_ERR_NOT_FOUND for an unknown name.
 */
ETW_IO_EXPORT ETW_NODISCARD etw_status etw_format_from_name(const char *name, etw_format *format);

/**
 * Opens a recording for streaming. WFDB records may be named by their .hea, their .dat or
 * the record name without extension. Memory use is bounded and independent of the file
 * length (text files keep one offset per 4096 lines for seeking). The initial selection is
 * every channel whose sample rate equals the first channel's (all channels, unless an EDF
 * file mixes rates).
 *
 * @param path        the file.
 * @param options     NULL for the defaults.
 * @param reader      out: the reader, NULL on error.
 * @param detail      out (may be NULL): on error, a NUL-terminated description naming the
 *                    file and the line, byte offset or field at fault; "" on success.
 * @param detail_size capacity of detail in bytes (256 or more recommended).
 * @return ::ETW_OK; ::ETW_ERR_NULL; ::ETW_ERR_RANGE for invalid options; ::ETW_ERR_OPEN
 *         (missing, unreadable); ::ETW_ERR_IO; ::ETW_ERR_FORMAT (wrong magic, malformed or
 *         non-numeric field, empty file, irregular time column, inconsistent counts);
 *         ::ETW_ERR_TRUNCATED (data shorter than the header says); ::ETW_ERR_MISMATCH
 *         (.dat size disagrees with the header, rows with differing column counts);
 *         ::ETW_ERR_UNSUPPORTED (feature or format not handled); ::ETW_ERR_OVERFLOW (absurd
 *         sizes: channels, rates, lines); ::ETW_ERR_CHECKSUM (WFDB checksum or initial
 *         value); ::ETW_ERR_NONFINITE (NaN/Inf in the data or header); ::ETW_ERR_NOMEM.
 */
ETW_IO_EXPORT ETW_NODISCARD etw_status etw_reader_open(const char *path,
                                                       const etw_open_options *options,
                                                       etw_reader **reader, char *detail,
                                                       size_t detail_size);

/**
 * Closes the reader and frees everything it owns (annotation texts included).
 * @param reader NULL is ignored.
 */
ETW_IO_EXPORT void etw_reader_close(etw_reader *reader);

/**
 * Detail of the reader's last error: file and line, byte offset or field; "" if none.
 * @param reader the reader; NULL gives "".
 * @return a string owned by the reader, valid until its next call.
 */
ETW_IO_EXPORT const char *etw_reader_error(const etw_reader *reader);

/**
 * Recording-level information.
 * @param reader the reader.
 * @param info   out.
 * @return ::ETW_OK; ::ETW_ERR_NULL.
 */
ETW_IO_EXPORT etw_status etw_reader_info(const etw_reader *reader,
                                                       etw_recording_info *info);

/**
 * Information on one channel of the file (independent of the selection).
 * @param reader  the reader.
 * @param index   0 .. nch-1.
 * @param channel out.
 * @return ::ETW_OK; ::ETW_ERR_NULL; ::ETW_ERR_NOT_FOUND for an index out of range.
 */
ETW_IO_EXPORT etw_status etw_reader_channel(const etw_reader *reader, size_t index,
                                                          etw_channel_info *channel);

/**
 * One annotation, in file order.
 * @param reader     the reader.
 * @param index      0 .. nannotations-1.
 * @param annotation out; its text belongs to the reader.
 * @return ::ETW_OK; ::ETW_ERR_NULL; ::ETW_ERR_NOT_FOUND for an index out of range.
 */
ETW_IO_EXPORT etw_status etw_reader_annotation(const etw_reader *reader,
                                                             size_t index,
                                                             etw_annotation *annotation);

/**
 * One contiguous segment, in frames of the current selection (see ::etw_recording_segment;
 * the frame numbers change when a selection of another sample rate is made).
 * @param reader  the reader.
 * @param index   0 .. nsegments-1 (etw_recording_info), in time order.
 * @param segment out.
 * @return ::ETW_OK; ::ETW_ERR_NULL; ::ETW_ERR_NOT_FOUND for an index out of range.
 */
ETW_IO_EXPORT etw_status etw_reader_segment(const etw_reader *reader, size_t index,
                                            etw_recording_segment *segment);

/**
 * Selects the channels etw_reader_read() returns, in the given order, and rewinds to frame
 * 0. Duplicates are allowed.
 * @param reader  the reader.
 * @param indices channel indices (0-based), `count` of them.
 * @param count   1 .. ::ETW_MAX_CHANNELS.
 * @return ::ETW_OK; ::ETW_ERR_NULL; ::ETW_ERR_RANGE for count 0 or too large;
 *         ::ETW_ERR_NOT_FOUND for an index out of range; ::ETW_ERR_MISMATCH when the
 *         channels have different sample rates (the detail names two of them). On error the
 *         previous selection stays.
 */
ETW_IO_EXPORT ETW_NODISCARD etw_status etw_reader_select(etw_reader *reader,
                                                         const size_t *indices, size_t count);

/**
 * Selects channels by a specification: comma-separated items, each a label or a glob on
 * labels (`*` any run, `?` one character; case-insensitive, e.g. "EMG*") or, when no label
 * matches, a 0-based channel index. Items are taken in order; each glob adds its matches in
 * file order. NULL, "" or "*" selects all channels. Rewinds to frame 0.
 * @param reader the reader.
 * @param spec   the specification.
 * @return as etw_reader_select(), with ::ETW_ERR_NOT_FOUND naming an item that matches
 *         nothing.
 */
ETW_IO_EXPORT ETW_NODISCARD etw_status etw_reader_select_spec(etw_reader *reader,
                                                              const char *spec);

/**
 * The current selection.
 * @param reader   the reader.
 * @param nsel     out (may be NULL): number of selected channels.
 * @param fs_hz    out (may be NULL): their common sample rate.
 * @param nframes  out (may be NULL): frames available (the shortest selected channel).
 * @return a pointer to `nsel` channel indices owned by the reader, or NULL if reader is NULL.
 */
ETW_IO_EXPORT const size_t *etw_reader_selection(const etw_reader *reader, size_t *nsel,
                                                 double *fs_hz, int64_t *nframes);

/**
 * Reads up to `nframes` frames of the selected channels from the current position as planar
 * float in physical units and advances. Fewer frames are returned only at the end.
 * WFDB samples equal to the format's "invalid" code (e.g. -32768 in format 16) read as NaN;
 * other formats never produce NaN/Inf.
 * @param reader  the reader.
 * @param out     nsel channel buffers of at least nframes floats each.
 * @param nframes frames wanted (any, 0 included).
 * @param nread   out: frames written (0 at the end).
 * @return ::ETW_OK; ::ETW_ERR_NULL; ::ETW_ERR_IO; ::ETW_ERR_TRUNCATED (the file shrank or
 *         ends early); ::ETW_ERR_FORMAT (content changed since open).
 */
ETW_IO_EXPORT ETW_NODISCARD etw_status etw_reader_read(etw_reader *reader, float *const *out,
                                                       size_t nframes, size_t *nread);

/**
 * Moves to a frame of the selection (0 .. nframes; nframes = end).
 * @param reader the reader.
 * @param frame  the frame index.
 * @return ::ETW_OK; ::ETW_ERR_NULL; ::ETW_ERR_RANGE outside 0 .. nframes; ::ETW_ERR_IO.
 */
ETW_IO_EXPORT ETW_NODISCARD etw_status etw_reader_seek(etw_reader *reader, int64_t frame);

/**
 * Current frame position of the selection.
 * @param reader the reader; NULL gives -1.
 * @return the position.
 */
ETW_IO_EXPORT int64_t etw_reader_tell(const etw_reader *reader);

/** A whole recording in memory (etw_recording_load()). */
typedef struct etw_recording {
    etw_recording_info info;     /**< recording information */
    size_t nch;                  /**< number of loaded (selected) channels */
    double fs_hz;                /**< their common sample rate */
    int64_t nframes;             /**< frames per channel */
    float **data;                /**< data[c][0 .. nframes-1], physical units */
    etw_channel_info *channels;  /**< channels[c] describes data[c] */
    etw_annotation *annotations; /**< info.nannotations annotations (texts owned here) */
    etw_recording_segment *segments; /**< info.nsegments segments, in frames of data */
} etw_recording;

/**
 * Loads selected channels of a (small) recording into memory.
 * @param path        the file.
 * @param options     NULL for defaults.
 * @param select      channel specification as etw_reader_select_spec(); NULL = all.
 * @param max_bytes   refuse recordings whose samples need more than this many bytes
 *                    (::ETW_ERR_OVERFLOW); 0 = no limit beyond address space.
 * @param recording   out: the recording, NULL on error; free with etw_recording_free().
 * @param detail      out (may be NULL): the error detail, as for etw_reader_open().
 * @param detail_size capacity of detail.
 * @return the statuses of etw_reader_open(), etw_reader_select_spec() and
 *         etw_reader_read(); ::ETW_ERR_OVERFLOW; ::ETW_ERR_NOMEM.
 */
ETW_IO_EXPORT ETW_NODISCARD etw_status etw_recording_load(const char *path,
                                                          const etw_open_options *options,
                                                          const char *select, size_t max_bytes,
                                                          etw_recording **recording,
                                                          char *detail, size_t detail_size);

/**
 * Frees a loaded recording.
 * @param recording NULL is ignored.
 */
ETW_IO_EXPORT void etw_recording_free(etw_recording *recording);

/**
 * Factor from a unit string to volts: "V" 1, "mV" 1e-3, "uV"/"µV" 1e-6, "nV" 1e-9
 * (case-insensitive for the prefix letter m/u/n only where unambiguous: "mv" = mV).
 * @param unit the unit; NULL gives 0.
 * @return the factor, or 0 for unknown or non-voltage units.
 */
ETW_IO_EXPORT double etw_unit_to_volts(const char *unit);

#ifdef __cplusplus
}
#endif

#endif /* EMGTWITCH_RECORDING_H */
