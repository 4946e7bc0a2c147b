/* Reader for golden.txt (written by gen_golden.py): a stream of words and numbers. */
#ifndef ETW_TEST_GOLDEN_H
#define ETW_TEST_GOLDEN_H

#include <stddef.h>

typedef struct golden golden;

/* Opens tests/filter/golden.txt; fails the test when it is missing. */
golden *golden_open(void);
void golden_close(golden *g);
/* Next word (NULL at the end); the string lives until the next call. */
const char *golden_word(golden *g);
double golden_number(golden *g);
void golden_numbers(golden *g, double *out, size_t n);

/* A "run" record: sections, sosfilt_zi, sosfilt and sosfiltfilt of the "signal" record. */
typedef struct golden_run {
    char name[32];
    size_t nsec, n;
    double sos[8][6];
    double zi[8][2];
    double *sosfilt, *filtfilt;
} golden_run;

/* Loads the signal (n samples, malloc'd into *x) and up to max runs; returns the run count. */
size_t golden_runs(float **x, size_t *n, golden_run *runs, size_t max);
void golden_runs_free(float *x, golden_run *runs, size_t count);

#endif
