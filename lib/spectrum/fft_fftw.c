/* FFTW backend of fft.h: one r2c plan on the object's own buffers, made at create time. */
#include "spectrum/fft.h"

#include <stdlib.h>

#include <fftw3.h>

struct etw_fft {
    fftw_plan plan;
    double *in;
    fftw_complex *out;
};

etw_status etw_fft_create(size_t n, etw_fft **out)
{
    *out = NULL;
    if (n < 1 || n > ((size_t)1 << 28)) {
        return ETW_ERR_RANGE;
    }
    etw_fft *f = calloc(1, sizeof *f);
    if (f == NULL) {
        return ETW_ERR_NOMEM;
    }
    f->in = fftw_malloc(n * sizeof *f->in);
    f->out = fftw_malloc((n / 2 + 1) * sizeof *f->out);
    if (f->in != NULL && f->out != NULL) {
        /* FFTW's planner keeps global state and is not thread-safe; planning only happens
         * here. FFTW_ESTIMATE keeps create fast and deterministic. */
        f->plan = fftw_plan_dft_r2c_1d((int)n, f->in, f->out, FFTW_ESTIMATE);
    }
    if (f->plan == NULL) {
        etw_fft_destroy(f);
        return ETW_ERR_NOMEM;
    }
    *out = f;
    return ETW_OK;
}

void etw_fft_destroy(etw_fft *fft)
{
    if (fft == NULL) {
        return;
    }
    if (fft->plan != NULL) {
        fftw_destroy_plan(fft->plan);
    }
    fftw_free(fft->in);
    fftw_free(fft->out);
    free(fft);
}

etw_fft_real *etw_fft_input(etw_fft *fft)
{
    return fft->in;
}

const etw_fft_real *etw_fft_output(const etw_fft *fft)
{
    return &fft->out[0][0];
}

void etw_fft_execute(etw_fft *fft)
{
    fftw_execute(fft->plan);
}
