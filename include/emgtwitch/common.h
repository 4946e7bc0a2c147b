/**
 * @file common.h
 * @brief Status codes, version queries and the conventions every emgtwitch API follows.
 *
 * @section etw_conventions API conventions
 * - **Units.** Times are in seconds (`_s`), milliseconds (`_ms`) or samples (`int64_t`
 *   sample indices counted from create/reset); frequencies in hertz (`_hz`); levels in dB.
 *   Samples are `float` in the physical unit of the recording (volts unless the file
 *   declares another unit). Filter designs and filter state are `double`.
 * - **Planar multi-channel data.** Channel `c` of a block is `in[c][0 .. nframes-1]`,
 *   passed as `const float *const *in`, `nch` channels and `nframes` frames *per channel*.
 *   Helpers convert from interleaved buffers. Blocks of any size are accepted, 0 and 1 included.
 * - **Status.** Every function that can fail returns an ::etw_status: `ETW_OK` (0) or a
 *   negative error. Objects are returned through out-parameters; on error an out-parameter
 *   object is left NULL. Nothing is printed, `errno` is not used and the library keeps no
 *   global mutable state.
 * - **Ownership.** `*_create` allocates and `*_destroy` frees (destroy accepts NULL).
 *   Where `*_get_size` + `*_init` exist, the caller provides the memory instead and no
 *   allocation happens at all. Caller buffers are never retained after a call returns
 *   unless the documentation says so.
 * - **Threads.** Distinct objects may be used from distinct threads at the same time; one
 *   object must not be used from two threads at once. Pure functions (designs, responses)
 *   are thread-safe.
 * - **Real time.** Functions marked *real-time safe* (the `*_process` and `*_flush` calls)
 *   never allocate, lock, block or do I/O, and their cost is bounded by the block size.
 * - **Non-finite input.** Each module documents what it does with NaN/Inf samples; no call
 *   lets a NaN silently poison state forever.
 */
#ifndef EMGTWITCH_COMMON_H
#define EMGTWITCH_COMMON_H

#include <stddef.h>
#include <stdint.h>

#include "emgtwitch/export.h"
#include "emgtwitch/version.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Marks a function whose return value must not be ignored (GCC/Clang; empty elsewhere). */
#if defined(__GNUC__) || defined(__clang__)
#define ETW_NODISCARD __attribute__((warn_unused_result))
#else
#define ETW_NODISCARD
#endif

/**
 * The one list of status codes: X(NAME, value, message). It generates ::etw_status,
 * etw_status_name() and etw_strerror() so the three can never drift apart.
 */
#define ETW_STATUS_LIST(X)                                                              \
    X(OK, 0, "success")                                                                 \
    X(ERR_NULL, -1, "a required pointer argument is NULL")                              \
    X(ERR_RANGE, -2, "a parameter is outside its valid range")                          \
    X(ERR_NYQUIST, -3, "a frequency is at or above the Nyquist frequency (fs/2)")       \
    X(ERR_NOMEM, -4, "memory allocation failed")                                        \
    X(ERR_SIZE, -5, "a caller-provided buffer is too small")                            \
    X(ERR_CAPACITY, -6, "the output event array is full; drain it and call again")     \
    X(ERR_NONFINITE, -7, "input or parameter contains NaN or infinity")                 \
    X(ERR_STATE, -8, "the call is not valid in the object's current state")             \
    X(ERR_OPEN, -9, "the file could not be opened")                                     \
    X(ERR_IO, -10, "reading or writing the file failed")                                \
    X(ERR_FORMAT, -11, "the file content is malformed or not recognised")               \
    X(ERR_TRUNCATED, -12, "the file ends before the data its header announces")         \
    X(ERR_UNSUPPORTED, -13, "the format or feature is not supported")                   \
    X(ERR_NOT_FOUND, -14, "the requested channel or item does not exist")               \
    X(ERR_MISMATCH, -15, "channels or inputs disagree (sample rate, length, count)")    \
    X(ERR_EXISTS, -16, "the output file exists and overwriting was not requested")      \
    X(ERR_OVERFLOW, -17, "a size or count would overflow or exceed the allowed limit")  \
    X(ERR_CHECKSUM, -18, "a checksum in the file does not match its data")              \
    X(ERR_INTERNAL, -19, "internal error (a bug in emgtwitch; please report it)")

/** Status returned by every fallible emgtwitch function: `ETW_OK` (0) is success, errors are
 * negative. The values `ETW_<NAME>` and their messages are those of ::ETW_STATUS_LIST. */
typedef enum etw_status {
/** Expands one ::ETW_STATUS_LIST entry into an enumerator (internal to this header). */
#define ETW_STATUS_ENUM_(name, value, message) ETW_##name = (value), /**< message */
    ETW_STATUS_LIST(ETW_STATUS_ENUM_)
#undef ETW_STATUS_ENUM_
} etw_status;

/**
 * Human-readable message for a status code.
 * @param status any value; unknown values give "unknown emgtwitch status".
 * @return a static string, never NULL. Thread-safe.
 */
ETW_EXPORT const char *etw_strerror(etw_status status);

/**
 * Symbolic name of a status code, e.g. "ETW_ERR_RANGE".
 * @param status any value; unknown values give "ETW_UNKNOWN".
 * @return a static string, never NULL. Thread-safe.
 */
ETW_EXPORT const char *etw_status_name(etw_status status);

/**
 * Version of the linked library (not of the header).
 * @return the static string "MAJOR.MINOR.PATCH".
 */
ETW_EXPORT const char *etw_version_string(void);

/**
 * Version of the linked library as a number.
 * @return MAJOR*10000 + MINOR*100 + PATCH.
 */
ETW_EXPORT int etw_version_number(void);

/**
 * FFT backend the library was built with.
 * @return the static string "kissfft" or "fftw".
 */
ETW_EXPORT const char *etw_fft_backend(void);

#ifdef __cplusplus
}
#endif

#endif /* EMGTWITCH_COMMON_H */
