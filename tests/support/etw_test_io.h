/* Real recordings for the module tests, loaded through the io library's reader
 * (etw_recording_load) instead of hand parsers. Linked by tests declared with
 * `etw_add_test(... IO)`; in a build without the io library (ETW_WITH_IO=OFF) the loader
 * reports every recording as absent, so those tests skip. */
#ifndef ETW_TEST_IO_H
#define ETW_TEST_IO_H

#include <stddef.h>

/* A loaded recording: planar float in the file's physical units. */
typedef struct etw_test_recording {
    float **x;   /* x[c][0 .. n-1] */
    size_t nch;  /* number of channels */
    size_t n;    /* frames per channel */
    double fs;   /* sample rate in Hz */
    void *owner; /* the library's etw_recording, freed by etw_test_recording_free() */
} etw_test_recording;

/* Loads ../shared/data/<relative> (all channels). fs_hz: rate for text files that state none
 * (0 = the file's own); event_column: as etw_open_options.event_column (0 = by header name,
 * -1 = the last column, whose values become annotations rather than a channel). Returns 1
 * when loaded; 0 with a printed message when the data folder or the io library is absent
 * (the caller skips). A file that is present but fails to load fails the test. */
int etw_test_load_shared(const char *relative, double fs_hz, int event_column,
                         etw_test_recording *out);

/* Frees what etw_test_load_shared() loaded and clears *r; NULL or an empty one is ignored. */
void etw_test_recording_free(etw_test_recording *r);

#endif
