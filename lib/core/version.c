/* Version and build-configuration queries. */
#include "emgtwitch/common.h"

const char *etw_version_string(void)
{
    return ETW_VERSION_STRING;
}

int etw_version_number(void)
{
    return ETW_VERSION_NUMBER;
}

const char *etw_fft_backend(void)
{
#if defined(ETW_FFT_FFTW)
    return "fftw";
#else
    return "kissfft";
#endif
}
