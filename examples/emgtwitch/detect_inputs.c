/* Expanding folders into recordings (see detect_inputs.h). */
#define _POSIX_C_SOURCE 200809L
#include "detect_inputs.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "cli_args.h"
#include "emgtwitch/io.h"

static int push(struct input_list *l, const char *path)
{
    if (l->n == l->cap) {
        size_t cap = l->cap ? 2 * l->cap : 16;
        char **p = realloc(l->paths, cap * sizeof *p);
        if (!p) {
            return -1;
        }
        l->paths = p;
        l->cap = cap;
    }
    l->paths[l->n] = strdup(path);
    if (!l->paths[l->n]) {
        return -1;
    }
    l->n++;
    return 0;
}

/* Extensions of recordings (WFDB records by their .hea header). */
static int is_recording(const char *name)
{
    static const char *const ext[] = {".edf", ".bdf", ".wav", ".flac", ".csv",
                                      ".txt", ".tsv", ".hea", NULL};
    size_t n = strlen(name);
    for (int i = 0; ext[i]; i++) {
        size_t e = strlen(ext[i]);
        if (n > e && strcasecmp(name + n - e, ext[i]) == 0) {
            return 1;
        }
    }
    return 0;
}

/* Whether a folder entry opens as a recording; notes on stderr when it is skipped (a folder
 * holds README.txt and the like next to the recordings). */
static int opens(const char *cmd, const char *path)
{
    etw_open_options o;
    etw_open_options_default(&o);
    o.verify = 0;
    etw_reader *r = NULL;
    char detail[512] = "";
    etw_status st = etw_reader_open(path, &o, &r, detail, sizeof detail);
    etw_reader_close(r);
    if (st != ETW_OK) {
        fprintf(stderr, "emgtwitch %s: skipped %s: not a readable recording (%s)\n", cmd, path,
                etw_status_name(st));
    }
    return st == ETW_OK;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

int inputs_add(const char *cmd, const char *arg, struct input_list *l)
{
    struct stat st;
    if (stat(arg, &st) != 0 || !S_ISDIR(st.st_mode)) {
        if (push(l, arg) != 0) {
            cli_fail(cmd, arg, "out of memory");
            return -1;
        }
        return 0; /* a missing file is reported when it is opened */
    }
    DIR *d = opendir(arg);
    if (!d) {
        cli_fail(cmd, arg, "cannot read the folder: %s", strerror(errno));
        return -1;
    }
    size_t first = l->n;
    struct dirent *e;
    int rc = 0;
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.' || !is_recording(e->d_name)) {
            continue;
        }
        char path[4096];
        size_t len = strlen(arg);
        snprintf(path, sizeof path, "%.*s/%s", (int)(len > 1 && arg[len - 1] == '/' ? len - 1 : len),
                 arg, e->d_name);
        if (!opens(cmd, path)) {
            continue;
        }
        if (push(l, path) != 0) {
            cli_fail(cmd, arg, "out of memory");
            rc = -1;
            break;
        }
    }
    closedir(d);
    if (l->n > first) {
        qsort(l->paths + first, l->n - first, sizeof *l->paths, cmp_str);
    }
    if (rc == 0 && l->n == first) {
        cli_fail(cmd, arg, "the folder holds no recordings (.edf .bdf .wav .flac .csv .txt "
                 ".tsv .hea)");
        rc = -1;
    }
    return rc;
}

void inputs_free(struct input_list *l)
{
    for (size_t i = 0; i < l->n; i++) {
        free(l->paths[i]);
    }
    free(l->paths);
    memset(l, 0, sizeof *l);
}
