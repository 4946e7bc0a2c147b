/* KissFFT backend of fft.h: kiss_fftr for even n, the complex kiss_fft for odd n. */
#include "spectrum/fft.h"

#include <stdlib.h>

#include <kiss_fft.h>
#include <kiss_fftr.h>

struct etw_fft {
    size_t n;
    kiss_fftr_cfg real_cfg; /* even n */
    kiss_fft_cfg cpx_cfg;   /* odd n */
    kiss_fft_scalar *in;
    kiss_fft_cpx *cin;      /* odd n: complex copy of the input */
    kiss_fft_cpx *out;      /* odd n: n bins; even n: n/2+1 bins */
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
    f->n = n;
    f->in = malloc(n * sizeof *f->in);
    f->out = malloc(n * sizeof *f->out);
    if (n % 2 == 0) {
        f->real_cfg = kiss_fftr_alloc((int)n, 0, NULL, NULL);
    } else {
        f->cpx_cfg = kiss_fft_alloc((int)n, 0, NULL, NULL);
        f->cin = malloc(n * sizeof *f->cin);
    }
    if (f->in == NULL || f->out == NULL ||
        (n % 2 == 0 ? f->real_cfg == NULL : f->cpx_cfg == NULL || f->cin == NULL)) {
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
    kiss_fftr_free(fft->real_cfg);
    kiss_fft_free(fft->cpx_cfg);
    free(fft->in);
    free(fft->cin);
    free(fft->out);
    free(fft);
}

etw_fft_real *etw_fft_input(etw_fft *fft)
{
    return fft->in;
}

const etw_fft_real *etw_fft_output(const etw_fft *fft)
{
    return &fft->out[0].r;
}

void etw_fft_execute(etw_fft *fft)
{
    if (fft->real_cfg != NULL) {
        kiss_fftr(fft->real_cfg, fft->in, fft->out);
        return;
    }
    for (size_t i = 0; i < fft->n; i++) {
        fft->cin[i].r = fft->in[i];
        fft->cin[i].i = 0;
    }
    kiss_fft(fft->cpx_cfg, fft->cin, fft->out);
}
