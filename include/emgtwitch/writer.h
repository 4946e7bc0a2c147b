/**
 * @file writer.h
 * @brief Writing results: event tables (BIDS-style TSV, CSV, JSON) and signals (EDF+/BDF+
 *        with annotations, WAV/FLAC float, CSV).
 *
 * Every writer writes into a temporary file in the destination folder and moves it into place
 * only when committed, so a failed or abandoned write never leaves a half file that looks
 * complete. An existing destination is kept (::ETW_ERR_EXISTS) unless `overwrite` is set.
 * Each writer keeps the detail of its last error (etw_table_writer_error(),
 * etw_signal_writer_error()); creating writes it into a caller buffer. No function here is
 * real-time safe (they do file I/O).
 */
#ifndef EMGTWITCH_WRITER_H
#define EMGTWITCH_WRITER_H

#include "emgtwitch/recording.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- event tables ------------------------------------------------------------------ */

/** Table file formats. */
typedef enum etw_table_format {
    ETW_TABLE_TSV = 0, /**< tab-separated, header row, "n/a" for missing (BIDS events.tsv) */
    ETW_TABLE_CSV = 1, /**< comma-separated (RFC 4180 quoting), header row, empty missing */
    ETW_TABLE_JSON = 2 /**< {"software","version","parameters":{..},"columns":[..],
                            "rows":[{..},..]}, null for missing */
} etw_table_format;

/** Kind of value in an ::etw_cell. */
typedef enum etw_cell_type {
    ETW_CELL_NONE = 0,   /**< missing value */
    ETW_CELL_NUMBER = 1, /**< `number` (written with 9 significant digits; NaN = missing) */
    ETW_CELL_INT = 2,    /**< `integer` */
    ETW_CELL_TEXT = 3    /**< `text` (UTF-8; NULL = missing) */
} etw_cell_type;

/** One value of a table row (or of a parameter). */
typedef struct etw_cell {
    etw_cell_type type; /**< which member is used */
    double number;      /**< for ::ETW_CELL_NUMBER */
    int64_t integer;    /**< for ::ETW_CELL_INT */
    const char *text;   /**< for ::ETW_CELL_TEXT; copied by the writer */
} etw_cell;

/** A table writer (opaque). Events are rows; by convention the first columns are `onset`
 * and `duration` in seconds, then `trial_type`, `channel`, then the measures. */
typedef struct etw_table_writer etw_table_writer;

/**
 * Table format implied by a file name: ".tsv" TSV, ".csv" CSV, ".json" JSON
 * (case-insensitive).
 * @param path   the file name.
 * @param format out.
 * @return ::ETW_OK; ::ETW_ERR_NULL; ::ETW_ERR_UNSUPPORTED for any other extension.
 */
ETW_IO_EXPORT ETW_NODISCARD etw_status etw_table_format_from_path(const char *path,
                                                                  etw_table_format *format);

/**
 * Starts a table.
 * @param path        destination.
 * @param format      ::ETW_TABLE_TSV, ::ETW_TABLE_CSV or ::ETW_TABLE_JSON.
 * @param columns     `ncol` column names (copied).
 * @param ncol        1 .. 1024.
 * @param overwrite   nonzero to replace an existing file.
 * @param writer      out: the writer, NULL on error.
 * @param detail      out (may be NULL): error detail.
 * @param detail_size capacity of detail.
 * @return ::ETW_OK; ::ETW_ERR_NULL; ::ETW_ERR_RANGE (ncol, format); ::ETW_ERR_EXISTS;
 *         ::ETW_ERR_OPEN (folder missing or not writable); ::ETW_ERR_NOMEM.
 */
ETW_IO_EXPORT ETW_NODISCARD etw_status etw_table_writer_create(
    const char *path, etw_table_format format, const char *const *columns, size_t ncol,
    int overwrite, etw_table_writer **writer, char *detail, size_t detail_size);

/**
 * Records a parameter (name and value) used to produce the table. JSON writes them under
 * "parameters"; TSV and CSV have no place for them and ignore them (BIDS keeps them in a
 * JSON sidecar: write one with ::ETW_TABLE_JSON). Must precede the first row.
 * @param writer the writer.
 * @param name   parameter name (copied).
 * @param value  its value.
 * @return ::ETW_OK; ::ETW_ERR_NULL; ::ETW_ERR_STATE after the first row; ::ETW_ERR_IO;
 *         ::ETW_ERR_NOMEM.
 */
ETW_IO_EXPORT ETW_NODISCARD etw_status etw_table_writer_param(etw_table_writer *writer,
                                                              const char *name, etw_cell value);

/**
 * Appends a row.
 * @param writer the writer.
 * @param cells  `ncol` values.
 * @return ::ETW_OK; ::ETW_ERR_NULL; ::ETW_ERR_STATE after commit; ::ETW_ERR_IO.
 */
ETW_IO_EXPORT ETW_NODISCARD etw_status etw_table_writer_row(etw_table_writer *writer,
                                                            const etw_cell *cells);

/**
 * Finishes the file and moves it into place. The writer must still be destroyed.
 * @param writer the writer.
 * @return ::ETW_OK; ::ETW_ERR_NULL; ::ETW_ERR_STATE if already committed; ::ETW_ERR_IO;
 *         ::ETW_ERR_EXISTS if the destination appeared meanwhile and overwrite is off.
 *         On error the temporary file is removed.
 */
ETW_IO_EXPORT ETW_NODISCARD etw_status etw_table_writer_commit(etw_table_writer *writer);

/**
 * Frees the writer; an uncommitted table is discarded (its temporary file removed).
 * @param writer NULL is ignored.
 */
ETW_IO_EXPORT void etw_table_writer_destroy(etw_table_writer *writer);

/**
 * Detail of the writer's last error, "" if none.
 * @param writer the writer; NULL gives "".
 * @return a string owned by the writer.
 */
ETW_IO_EXPORT const char *etw_table_writer_error(const etw_table_writer *writer);

/**
 * A number cell.
 * @param x the value (NaN is written as missing).
 * @return the cell.
 */
ETW_IO_EXPORT etw_cell etw_cell_number(double x);
/**
 * An integer cell.
 * @param x the value.
 * @return the cell.
 */
ETW_IO_EXPORT etw_cell etw_cell_int(int64_t x);
/**
 * A text cell.
 * @param text the text (not copied until the cell is written; NULL is missing).
 * @return the cell.
 */
ETW_IO_EXPORT etw_cell etw_cell_text(const char *text);
/**
 * A missing value.
 * @return the cell.
 */
ETW_IO_EXPORT etw_cell etw_cell_none(void);

/* ---- signals ------------------------------------------------------------------------ */

/** Signal file formats. */
typedef enum etw_signal_format {
    ETW_SIGNAL_EDF = 0,  /**< EDF+ (16-bit), with annotations */
    ETW_SIGNAL_BDF = 1,  /**< BDF+ (24-bit), with annotations */
    ETW_SIGNAL_WAV = 2,  /**< WAV, 32-bit float samples divided by `full_scale` */
    ETW_SIGNAL_FLAC = 3, /**< FLAC, 24-bit, samples divided by `full_scale` (clipped to +-1) */
    ETW_SIGNAL_CSV = 4   /**< CSV: header `time_s,<labels>`, one row per frame */
} etw_signal_format;

/** Description of a signal file to write; fill with etw_signal_spec_default() first. */
typedef struct etw_signal_spec {
    etw_signal_format format; /**< the format (default ::ETW_SIGNAL_EDF) */
    size_t nch;               /**< channels, 1 .. ::ETW_MAX_CHANNELS (EDF/BDF: 1 .. 512) */
    double fs_hz;             /**< sample rate in Hz, > 0. EDF/BDF: fs times 1, 10, 100,
                                   0.1 or 0.01 s must be a whole number of samples (that is
                                   the data-record length); WAV/FLAC: an integer */
    const char *const *labels;/**< nch labels, or NULL for "ch1".. (EDF cuts them at 16) */
    const char *unit;         /**< unit of all channels ("uV", "mV", ...), NULL = "" */
    double phys_min;          /**< EDF/BDF: physical minimum of all channels (values below
                                   are clipped); default -1 */
    double phys_max;          /**< EDF/BDF: physical maximum, > phys_min; default 1 */
    const double *phys_min_ch;/**< EDF/BDF: nch per-channel physical minima, or NULL (default)
                                   for phys_min on every channel; copied at create */
    const double *phys_max_ch;/**< EDF/BDF: nch per-channel physical maxima (each above its
                                   minimum), or NULL (default) for phys_max; copied */
    double full_scale;        /**< WAV/FLAC: the value written as 1.0; > 0; default 1 */
    int has_start;            /**< EDF/BDF: 1 to write `start`; 0 (default) writes
                                   1985-01-01 00:00:00, the EDF convention for an unknown
                                   start, which etw_reader_open() reports as unknown */
    etw_datetime start;       /**< EDF/BDF: start date/time when has_start */
    int overwrite;            /**< nonzero to replace an existing file (default 0) */
} etw_signal_spec;

/** A signal writer (opaque). */
typedef struct etw_signal_writer etw_signal_writer;

/**
 * Fills a spec with defaults (EDF+, 0 channels, fs 0, range -1..1, full scale 1, no start,
 * no overwrite): set at least nch and fs_hz.
 * @param spec out; NULL is ignored.
 */
ETW_IO_EXPORT void etw_signal_spec_default(etw_signal_spec *spec);

/**
 * Signal format implied by a file name: ".edf" EDF+, ".bdf" BDF+, ".wav", ".flac", ".csv"
 * (case-insensitive).
 * @param path   the file name.
 * @param format out.
 * @return ::ETW_OK; ::ETW_ERR_NULL; ::ETW_ERR_UNSUPPORTED for any other extension.
 */
ETW_IO_EXPORT ETW_NODISCARD etw_status etw_signal_format_from_path(const char *path,
                                                                   etw_signal_format *format);

/**
 * Starts a signal file.
 * @param path        destination.
 * @param spec        what to write.
 * @param writer      out: the writer, NULL on error.
 * @param detail      out (may be NULL): error detail.
 * @param detail_size capacity of detail.
 * @return ::ETW_OK; ::ETW_ERR_NULL; ::ETW_ERR_RANGE (nch, fs, ranges, scale);
 *         ::ETW_ERR_UNSUPPORTED (a rate EDF cannot represent); ::ETW_ERR_EXISTS;
 *         ::ETW_ERR_OPEN; ::ETW_ERR_NOMEM.
 */
ETW_IO_EXPORT ETW_NODISCARD etw_status etw_signal_writer_create(const char *path,
                                                                const etw_signal_spec *spec,
                                                                etw_signal_writer **writer,
                                                                char *detail,
                                                                size_t detail_size);

/**
 * Appends frames (planar, physical units). NaN is written as 0 (EDF/BDF/WAV/FLAC) or as
 * "nan" (CSV).
 * @param writer  the writer.
 * @param in      nch channel buffers of nframes samples.
 * @param nframes frames per channel (0 allowed).
 * @return ::ETW_OK; ::ETW_ERR_NULL; ::ETW_ERR_STATE after commit; ::ETW_ERR_IO.
 */
ETW_IO_EXPORT ETW_NODISCARD etw_status etw_signal_writer_write(etw_signal_writer *writer,
                                                               const float *const *in,
                                                               size_t nframes);

/**
 * Adds an annotation (EDF/BDF only; 100 us resolution; other formats ignore it).
 * @param writer     the writer.
 * @param onset_s    onset in seconds from the start, >= 0.
 * @param duration_s duration in seconds, or < 0 for none.
 * @param text       UTF-8 text (cut at 40 bytes in EDF+ records).
 * @return ::ETW_OK; ::ETW_ERR_NULL; ::ETW_ERR_RANGE; ::ETW_ERR_STATE after commit;
 *         ::ETW_ERR_IO.
 */
ETW_IO_EXPORT ETW_NODISCARD etw_status etw_signal_writer_annotate(etw_signal_writer *writer,
                                                                  double onset_s,
                                                                  double duration_s,
                                                                  const char *text);

/**
 * Finishes the file and moves it into place. EDF/BDF files hold whole data records: the last
 * record is padded with zeros. The writer must still be destroyed.
 * @param writer the writer.
 * @return ::ETW_OK; ::ETW_ERR_NULL; ::ETW_ERR_STATE if already committed; ::ETW_ERR_IO;
 *         ::ETW_ERR_EXISTS. On error nothing is left behind.
 */
ETW_IO_EXPORT ETW_NODISCARD etw_status etw_signal_writer_commit(etw_signal_writer *writer);

/**
 * Frees the writer; an uncommitted file is discarded.
 * @param writer NULL is ignored.
 */
ETW_IO_EXPORT void etw_signal_writer_destroy(etw_signal_writer *writer);

/**
 * Detail of the writer's last error, "" if none.
 * @param writer the writer; NULL gives "".
 * @return a string owned by the writer.
 */
ETW_IO_EXPORT const char *etw_signal_writer_error(const etw_signal_writer *writer);

#ifdef __cplusplus
}
#endif

#endif /* EMGTWITCH_WRITER_H */
