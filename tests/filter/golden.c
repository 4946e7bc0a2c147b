#include "golden.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "etw_test.h"

struct golden {
    FILE *f;
    char word[128];
};

golden *golden_open(void)
{
    golden *g = malloc(sizeof *g);
    assert_non_null(g);
    g->f = fopen(ETW_TEST_DATA_DIR "/golden.txt", "r");
    if (g->f == NULL) {
        print_error("cannot open %s\n", ETW_TEST_DATA_DIR "/golden.txt");
        fail();
    }
    return g;
}

void golden_close(golden *g)
{
    fclose(g->f);
    free(g);
}

const char *golden_word(golden *g)
{
    for (;;) {
        if (fscanf(g->f, "%127s", g->word) != 1) {
            return NULL;
        }
        if (g->word[0] != '#') {
            return g->word;
        }
        int c;
        while ((c = fgetc(g->f)) != EOF && c != '\n') {
        }
    }
}

double golden_number(golden *g)
{
    const char *w = golden_word(g);
    assert_non_null(w);
    char *end;
    double v = strtod(w, &end);
    assert_true(*end == '\0');
    return v;
}

void golden_numbers(golden *g, double *out, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        out[i] = golden_number(g);
    }
}

size_t golden_runs(float **x, size_t *n, golden_run *runs, size_t max)
{
    golden *g = golden_open();
    size_t count = 0;
    *x = NULL;
    const char *w;
    while ((w = golden_word(g)) != NULL) {
        if (strcmp(w, "signal") == 0) {
            *n = (size_t)golden_number(g);
            *x = malloc(*n * sizeof **x);
            assert_non_null(*x);
            for (size_t i = 0; i < *n; i++) {
                (*x)[i] = (float)golden_number(g);
            }
        } else if (strcmp(w, "run") == 0 && count < max) {
            golden_run *r = &runs[count++];
            snprintf(r->name, sizeof r->name, "%.31s", golden_word(g));
            r->nsec = (size_t)golden_number(g);
            r->n = (size_t)golden_number(g);
            assert_true(r->nsec <= 8 && r->n == *n);
            golden_numbers(g, &r->sos[0][0], 6 * r->nsec);
            golden_numbers(g, &r->zi[0][0], 2 * r->nsec);
            r->sosfilt = malloc(r->n * sizeof(double));
            r->filtfilt = malloc(r->n * sizeof(double));
            assert_true(r->sosfilt != NULL && r->filtfilt != NULL);
            golden_numbers(g, r->sosfilt, r->n);
            golden_numbers(g, r->filtfilt, r->n);
        }
    }
    golden_close(g);
    assert_non_null(*x);
    return count;
}

void golden_runs_free(float *x, golden_run *runs, size_t count)
{
    for (size_t i = 0; i < count; i++) {
        free(runs[i].sosfilt);
        free(runs[i].filtfilt);
    }
    free(x);
}
