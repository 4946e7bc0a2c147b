/* Robust adaptive noise floor: the median of block mean-square values over a sliding window,
 * blocks that contain burst activity left out (unless activity lasts a whole window, so a
 * permanent level change is still followed). */
#ifndef ETW_TWITCH_FLOOR_H
#define ETW_TWITCH_FLOOR_H

#include <stddef.h>
#include <stdint.h>

typedef struct etw_floor {
    double *ring;      /* block mean squares, capacity entries */
    double *scratch;   /* capacity entries for the median selection */
    size_t capacity;
    size_t count;
    size_t pos;
    int64_t block_len; /* samples per block */
    int64_t filled;    /* samples in the current block */
    double acc;
    int active;        /* ETW_FLOOR_* marks of the current block */
    size_t excluded_run;
    int update_every;  /* blocks between median updates */
    int since_update;
    double value;      /* current floor (RMS), 0 until the first block */
} etw_floor;

/* Bytes of the two arrays for a window of `capacity` blocks. */
size_t etw_floor_array_bytes(size_t capacity);

/* Sets up a floor using `mem` (etw_floor_array_bytes(capacity) bytes, double-aligned). */
void etw_floor_init(etw_floor *f, void *mem, size_t capacity, int64_t block_len,
                    int update_every);

void etw_floor_reset(etw_floor *f);

/* Marks of a sample for etw_floor_push(). */
enum { ETW_FLOOR_BURST = 1, ETW_FLOOR_BLANK = 2 };

/* Ends the current block (called by etw_floor_push). */
void etw_floor_close_block(etw_floor *f);

/* Adds one sample's power x*x. A block touching ETW_FLOOR_BLANK is never used; one touching
 * ETW_FLOOR_BURST only after a whole window of such blocks in a row. */
static inline void etw_floor_push(etw_floor *f, double x2, int marks)
{
    f->acc += x2;
    f->active |= marks;
    if (++f->filled == f->block_len) {
        etw_floor_close_block(f);
    }
}

/* 1 once a floor value exists. */
static inline int etw_floor_ready(const etw_floor *f)
{
    return f->count > 0;
}

/* k-th smallest of a[0..n) (0-based), reordering a. */
double etw_select_kth(double *a, size_t n, size_t k);

#endif
