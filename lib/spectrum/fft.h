/* Real-input forward FFT behind one small interface (internal; never in a public header).
 *
 * The backend is chosen at configure time: ETW_FFT_KISSFFT (Debian's kissfft-float, single
 * precision) or ETW_FFT_FFTW (fftw3, double precision). All planning happens in
 * etw_fft_create(); etw_fft_execute() transforms the object's own input buffer into its own
 * output buffer, so neither backend copies data and the wrapper costs one call. */
#ifndef ETW_SPECTRUM_FFT_H
#define ETW_SPECTRUM_FFT_H

#include <stddef.h>

#include "emgtwitch/common.h"

#if defined(ETW_FFT_FFTW)
typedef double etw_fft_real; /* sample type of the backend */
#else
typedef float etw_fft_real;
#endif

typedef struct etw_fft etw_fft;

/* Plans a forward transform of n >= 1 real samples. ETW_ERR_RANGE, ETW_ERR_NOMEM. */
etw_status etw_fft_create(size_t n, etw_fft **out);
void etw_fft_destroy(etw_fft *fft);

/* The n input samples to fill before etw_fft_execute(). */
etw_fft_real *etw_fft_input(etw_fft *fft);

/* The n/2+1 output bins as interleaved (re, im) pairs, valid after etw_fft_execute(). */
const etw_fft_real *etw_fft_output(const etw_fft *fft);

/* Transforms the input buffer (which it may overwrite) into the output buffer. No allocation. */
void etw_fft_execute(etw_fft *fft);

#endif
