/* Loader of shared recordings for the module tests (see etw_test_io.h). */
#include "etw_test_io.h"

#include <stdio.h>
#include <string.h>

#include "etw_test.h"

#ifdef ETW_TEST_WITH_IO
#include "emgtwitch/recording.h"

int etw_test_load_shared(const char *relative, double fs_hz, int event_column,
                         etw_test_recording *out)
{
    memset(out, 0, sizeof *out);
    const char *path = etw_test_shared_data(relative);
    if (path == NULL) {
        return 0;
    }
    etw_open_options o;
    etw_open_options_default(&o);
    o.fs_hz = fs_hz;
    o.event_column = event_column;
    etw_recording *rec = NULL;
    char detail[512];
    etw_status st = etw_recording_load(path, &o, NULL, 0, &rec, detail, sizeof detail);
    if (st != ETW_OK) {
        print_error("loading %s: %s (%s)\n", path, etw_status_name(st), detail);
        fail();
    }
    out->x = rec->data;
    out->nch = rec->nch;
    out->n = (size_t)rec->nframes;
    out->fs = rec->fs_hz;
    out->owner = rec;
    return 1;
}

void etw_test_recording_free(etw_test_recording *r)
{
    if (r != NULL) {
        etw_recording_free(r->owner);
        memset(r, 0, sizeof *r);
    }
}

#else

int etw_test_load_shared(const char *relative, double fs_hz, int event_column,
                         etw_test_recording *out)
{
    (void)fs_hz;
    (void)event_column;
    memset(out, 0, sizeof *out);
    printf("# skipped: %s needs the io library (built with ETW_WITH_IO=OFF)\n", relative);
    return 0;
}

void etw_test_recording_free(etw_test_recording *r)
{
    if (r != NULL) {
        memset(r, 0, sizeof *r);
    }
}

#endif
