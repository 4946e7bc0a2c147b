/* Internal: the chunked, section-by-section cascade kernel of float precision
 * (kernel_avx2_f.c), written over a vector type so that its vector and scalar parts read
 * as one piece. The kernel file includes it after filter/dfi.h has generated PV_NAME(step),
 * PV_NAME(feed) (vector) and PV_ONE(frame), PV_ONE(back) (one value), and after defining:
 *
 *   PV_T, PV_S          vector type, value type (double or float)
 *   PV_N                lanes per vector (= channels per group)
 *   PV_LOADV(p), PV_STOREV(p, v)   aligned vector load and store
 *   PV_LOADU(p), PV_STOREU(p, v)   unaligned vector load and store
 *   PV_WIDEN(p)         PV_N floats at p as a vector; PV_NARROW(p, v) stores v as floats
 *   PV_SET1(x)          broadcast
 *   PV_GUARD            the denormal guard (ETW_DENORMAL_GUARD in PV_S)
 *   PV_COEF             member of etw_cascade with the coefficients of this precision
 *   PV_STATE            member of etw_cascade with the state of this precision
 *   PV_NAME(name)       names of the generated functions
 *   PV_LOAD_FRAMES, PV_STORE_FRAMES   names of the load and store of a group's frames
 *                       (transposing planar data), which the includer defines after this
 *                       file (prototypes below)
 *
 * A block is filtered in chunks of PV_CHUNK frames: up to PV_GROUPS groups are loaded
 * (transposed so each vector holds one frame of a group), passed through one section at a
 * time for all their frames, then transposed back and stored. In a pass the only
 * loop-carried operation is one multiply-add per group and the interleaved groups are
 * independent, so a pass runs at the multiply-add throughput rather than at its latency;
 * the section kind is fixed for the whole pass and only the output history of each group
 * stays in registers (the input history is read back from the chunk buffer, which holds two
 * history frames before the chunk). A group with a single channel runs on scalars (run_one
 * below: skewed for long blocks, frame by frame otherwise), with the same operations, so it
 * gives the bits a vector lane would. */

#define PV_GROUPS 3 /* channel groups interleaved in a pass */
#define PV_CHUNK 128 /* frames per pass */
#define PV_SPAN (PV_CHUNK + 2)

/* One group's lanes from frame n0: lanes beyond the last channel read that channel and are
 * not stored. */
typedef struct PV_NAME(lanes) {
    const float *in[PV_N]; /* frame i of a lane at in[lane][i * stride] */
    float *out[PV_N];
    size_t nvalid, stride;
} PV_NAME(lanes);

/* Channel ch of a block from frame n0. */
static const float *PV_NAME(in_of)(const etw_block *b, size_t ch, size_t n0)
{
    return b->in != NULL ? b->in[ch] + n0 : b->in_base + n0 * b->stride + ch;
}

static float *PV_NAME(out_of)(const etw_block *b, size_t ch, size_t n0)
{
    return b->in != NULL ? b->out[ch] + n0 : b->out_base + n0 * b->stride + ch;
}

static PV_NAME(lanes) PV_NAME(lanes_of)(const etw_cascade *c, size_t g, const etw_block *b,
                                        size_t n0)
{
    PV_NAME(lanes) l;
    size_t first = g * PV_N;
    l.nvalid = c->nch - first < PV_N ? c->nch - first : PV_N;
    l.stride = b->stride;
    for (size_t lane = 0; lane < PV_N; lane++) {
        size_t ch = first + (lane < l.nvalid ? lane : l.nvalid - 1);
        l.in[lane] = PV_NAME(in_of)(b, ch, n0);
        l.out[lane] = PV_NAME(out_of)(b, ch, n0);
    }
    return l;
}

/* Transposing loads and stores of len frames of a group, defined by the includer: x[i] is
 * frame i; ok[i] holds the finite lanes of the input when masked > 0 (then the input is
 * zeroed there on load and the output NaN there on store). With masked < 0 the load checks
 * the samples instead and returns nonzero when one may be non-finite (then the caller loads
 * again with masked = 1); else it returns 0. */
TARGET static int PV_LOAD_FRAMES(const PV_NAME(lanes) *l, size_t len, PV_T *x, PV_T *ok,
                                  int masked);
TARGET static void PV_STORE_FRAMES(const PV_NAME(lanes) *l, size_t len, PV_T *x,
                                   const PV_T *ok, int masked);

/* Section s over len frames of ng groups (kind and ng known at compile time where
 * inlined): u[j * PV_SPAN + 2 + i] is input frame i of group j, after two history frames;
 * the outputs go to y[] in the same layout; h[j] is the group's history at section s. */
TARGET static ALWAYS_INLINE void PV_NAME(pass_as)(unsigned char kind, int ng, const PV_S *c,
                                                  PV_S *const *h, int last, const PV_T *u,
                                                  PV_T *y, size_t len)
{
    const PV_T g = PV_SET1(PV_GUARD);
    PV_T y1[PV_GROUPS], y2[PV_GROUPS];
    for (int j = 0; j < ng; j++) {
        y1[j] = PV_LOADV(h[j] + 2 * PV_N);
        y2[j] = PV_LOADV(h[j] + 3 * PV_N);
        y[j * PV_SPAN] = y2[j];
        y[j * PV_SPAN + 1] = y1[j];
    }
    size_t i = 0;
    for (; i + 2 <= len; i += 2) { /* two frames: the histories swap roles, no copies */
        PV_T a[PV_GROUPS], b[PV_GROUPS];
        for (int j = 0; j < ng; j++) {
            const PV_T *uj = u + j * PV_SPAN + i;
            a[j] = PV_NAME(step)(kind, c, uj[2], uj[1], uj[0], y1[j], y2[j], g);
        }
        for (int j = 0; j < ng; j++) {
            const PV_T *uj = u + j * PV_SPAN + i;
            b[j] = PV_NAME(step)(kind, c, uj[3], uj[2], uj[1], a[j], y1[j], g);
        }
        for (int j = 0; j < ng; j++) {
            y[j * PV_SPAN + 2 + i] = a[j];
            y[j * PV_SPAN + 3 + i] = b[j];
            y2[j] = a[j];
            y1[j] = b[j];
        }
    }
    for (; i < len; i++) {
        for (int j = 0; j < ng; j++) {
            const PV_T *uj = u + j * PV_SPAN + i;
            PV_T out = PV_NAME(step)(kind, c, uj[2], uj[1], uj[0], y1[j], y2[j], g);
            y2[j] = y1[j];
            y1[j] = out;
            y[j * PV_SPAN + 2 + i] = out;
        }
    }
    for (int j = 0; j < ng; j++) {
        PV_STOREV(h[j], u[j * PV_SPAN + len + 1]);
        PV_STOREV(h[j] + PV_N, u[j * PV_SPAN + len]);
        if (last) {
            PV_STOREV(h[j] + 2 * PV_N, y1[j]);
            PV_STOREV(h[j] + 3 * PV_N, y2[j]);
        }
    }
}

/* pass_as() with the kind as a constant */
TARGET static ALWAYS_INLINE void PV_NAME(pass_groups)(unsigned char kind, int ng,
                                                      const PV_S *c, PV_S *const *h, int last,
                                                      const PV_T *u, PV_T *y, size_t len)
{
    switch (kind) {
    case ETW_SECTION_1_0_M1:
        PV_NAME(pass_as)(ETW_SECTION_1_0_M1, ng, c, h, last, u, y, len);
        break;
    case ETW_SECTION_1_2_1:
        PV_NAME(pass_as)(ETW_SECTION_1_2_1, ng, c, h, last, u, y, len);
        break;
    case ETW_SECTION_1_M2_1:
        PV_NAME(pass_as)(ETW_SECTION_1_M2_1, ng, c, h, last, u, y, len);
        break;
    default:
        PV_NAME(pass_as)(ETW_SECTION_GENERIC, ng, c, h, last, u, y, len);
        break;
    }
}

/* pass_groups() with the group count as a constant */
TARGET static void PV_NAME(pass)(unsigned char kind, int ng, const PV_S *c, PV_S *const *h,
                                 int last, const PV_T *u, PV_T *y, size_t len)
{
    switch (ng) {
    case 1:
        PV_NAME(pass_groups)(kind, 1, c, h, last, u, y, len);
        break;
    case 2:
        PV_NAME(pass_groups)(kind, 2, c, h, last, u, y, len);
        break;
    default:
        PV_NAME(pass_groups)(kind, PV_GROUPS, c, h, last, u, y, len);
        break;
    }
}

/* Groups first .. first + ng - 1 (each with at least 2 channels), frames n0 .. n0+len-1;
 * the signal between sections goes back and forth between two buffers. masked as for
 * PV_LOAD_FRAMES: with -1 each group's chunk is checked as it is loaded (no separate scan of
 * the block) and loaded again, masked, when the check fails. */
TARGET static void PV_NAME(run_chunk)(const etw_cascade *c, size_t first, int ng,
                                      const etw_block *b, size_t n0, size_t len, int masked)
{
    PV_T buf[2][PV_GROUPS * PV_SPAN], ok[PV_GROUPS * PV_CHUNK];
    PV_NAME(lanes) l[PV_GROUPS];
    int bad[PV_GROUPS];
    size_t nhist = 2 * (c->nsec + 1) * PV_N;
    for (int j = 0; j < ng; j++) {
        const PV_S *h = c->PV_STATE + (first + (size_t)j) * nhist;
        l[j] = PV_NAME(lanes_of)(c, first + (size_t)j, b, n0);
        buf[0][j * PV_SPAN] = PV_LOADV(h + PV_N);
        buf[0][j * PV_SPAN + 1] = PV_LOADV(h);
        bad[j] = masked > 0;
        if (PV_LOAD_FRAMES(&l[j], len, buf[0] + j * PV_SPAN + 2, ok + j * PV_CHUNK, masked)) {
            PV_LOAD_FRAMES(&l[j], len, buf[0] + j * PV_SPAN + 2, ok + j * PV_CHUNK, 1);
            bad[j] = 1;
        }
    }
    for (size_t s = 0; s < c->nsec; s++) {
        PV_S *h[PV_GROUPS];
        for (int j = 0; j < ng; j++) {
            h[j] = c->PV_STATE + (first + (size_t)j) * nhist + 2 * s * PV_N;
        }
        PV_NAME(pass)(c->kinds[s], ng, c->PV_COEF + s * ETW_COEFS * PV_N, h,
                      s + 1 == c->nsec, buf[s % 2], buf[(s + 1) % 2], len);
    }
    for (int j = 0; j < ng; j++) {
        PV_STORE_FRAMES(&l[j], len, buf[c->nsec % 2] + j * PV_SPAN + 2, ok + j * PV_CHUNK,
                        bad[j]);
    }
}

/* A group with one channel (lane 0 of its state) on scalars, frame by frame, nsec sections
 * (a compile-time constant where inlined: the history then stays in registers). Every
 * section takes the general form, which gives the bits of every kind without a branch. */
TARGET static ALWAYS_INLINE void PV_NAME(frames_as)(const etw_cascade *c, size_t nsec,
                                                    size_t g, const float *in, float *out,
                                                    size_t stride, size_t nframes, int masked)
{
    PV_S h[2 * (ETW_MAX_SECTIONS + 1)];
    size_t nhist = 2 * (nsec + 1);
    PV_S *state = c->PV_STATE + g * nhist * PV_N;
    for (size_t k = 0; k < nhist; k++) {
        h[k] = state[k * PV_N];
    }
    for (size_t n = 0; n < nframes; n++) {
        PV_S x = in[n * stride];
        int ok = !masked || x - x == 0;
        PV_S y = PV_ONE(frame)(c->PV_COEF, c->kinds, nsec, h, ok ? x : 0, PV_GUARD, 1);
        out[n * stride] = ok ? (float)y : NAN;
    }
    for (size_t k = 0; k < nhist; k++) {
        state[k * PV_N] = h[k];
    }
}

TARGET static void PV_NAME(run_frames)(const etw_cascade *c, size_t g, const float *in,
                                       float *out, size_t stride, size_t nframes, int masked)
{
    switch (c->nsec) {
#define PV_FRAMES_CASE(N)                                                                  \
    case N:                                                                                \
        PV_NAME(frames_as)(c, N, g, in, out, stride, nframes, masked);                             \
        break;
        PV_FRAMES_CASE(1)
        PV_FRAMES_CASE(2)
        PV_FRAMES_CASE(3)
        PV_FRAMES_CASE(4)
        PV_FRAMES_CASE(5)
        PV_FRAMES_CASE(6)
        PV_FRAMES_CASE(7)
        PV_FRAMES_CASE(8)
#undef PV_FRAMES_CASE
    default:
        PV_NAME(frames_as)(c, c->nsec, g, in, out, stride, nframes, masked);
        break;
    }
}

/* One channel, skewed: at step k section s filters chunk k - s, so the recursions of all
 * sections (one multiply-add chain each) run interleaved in one loop, while the
 * feed-forward parts of each chunk are computed beforehand with vectors. */
#define PV_SKEW_MAX 8  /* most sections of the skewed path */
#define PV_SKEW_CHUNK 64
#define PV_SKEW_SPAN (PV_SKEW_CHUNK + 2) /* two history frames, then the chunk */

/* v[i] = feed-forward v of frame i of u (u[2 + i], after two history frames), whole chunk */
TARGET static ALWAYS_INLINE void PV_NAME(feed_as)(unsigned char kind, const PV_S *c,
                                                  const PV_S *u, PV_S *v)
{
    const PV_T g = PV_SET1(PV_GUARD);
    for (size_t i = 0; i < PV_SKEW_CHUNK; i += PV_N) {
        PV_STOREU(v + i, PV_NAME(feed)(kind, c, PV_LOADU(u + 2 + i), PV_LOADU(u + 1 + i),
                                      PV_LOADU(u + i), g));
    }
}

TARGET static void PV_NAME(feed_chunk)(unsigned char kind, const PV_S *c, const PV_S *u,
                                       PV_S *v)
{
    switch (kind) {
    case ETW_SECTION_1_0_M1:
        PV_NAME(feed_as)(ETW_SECTION_1_0_M1, c, u, v);
        break;
    case ETW_SECTION_1_2_1:
        PV_NAME(feed_as)(ETW_SECTION_1_2_1, c, u, v);
        break;
    case ETW_SECTION_1_M2_1:
        PV_NAME(feed_as)(ETW_SECTION_1_M2_1, c, u, v);
        break;
    default:
        PV_NAME(feed_as)(ETW_SECTION_GENERIC, c, u, v);
        break;
    }
}

/* The recursions of nsec sections (a compile-time constant where inlined) over a chunk:
 * out[s][2 + i] from the feed-forward part v[s][i] of its input and the output history
 * y1[s], y2[s] (updated). */
TARGET static ALWAYS_INLINE void PV_NAME(recur_as)(size_t nsec, const PV_S *coef,
                                                   PV_S (*v)[PV_SKEW_CHUNK],
                                                   PV_S (*out)[PV_SKEW_SPAN], PV_S *y1,
                                                   PV_S *y2)
{
    PV_S a[PV_SKEW_MAX], b[PV_SKEW_MAX];
    for (size_t s = 0; s < nsec; s++) {
        a[s] = y1[s];
        b[s] = y2[s];
    }
    for (size_t i = 0; i < PV_SKEW_CHUNK; i++) {
        for (size_t s = 0; s < nsec; s++) {
            PV_S y = PV_ONE(back)(coef + s * ETW_COEFS * PV_N, v[s][i], a[s], b[s]);
            b[s] = a[s];
            a[s] = y;
            out[s][2 + i] = y;
        }
    }
    for (size_t s = 0; s < nsec; s++) {
        y1[s] = a[s];
        y2[s] = b[s];
    }
}

/* (GCC's straight-line vectorizer packs the scalar histories into vectors here, which
 * costs shuffles on the critical path; it is turned off for this function) */
TARGET __attribute__((optimize("no-tree-slp-vectorize"))) static void
PV_NAME(recur)(size_t nsec, const PV_S *coef, PV_S (*v)[PV_SKEW_CHUNK],
               PV_S (*out)[PV_SKEW_SPAN], PV_S *y1, PV_S *y2)
{
    switch (nsec) {
#define PV_RECUR_CASE(N)                                                                   \
    case N:                                                                                \
        PV_NAME(recur_as)(N, coef, v, out, y1, y2);                                    \
        break;
        PV_RECUR_CASE(1)
        PV_RECUR_CASE(2)
        PV_RECUR_CASE(3)
        PV_RECUR_CASE(4)
        PV_RECUR_CASE(5)
        PV_RECUR_CASE(6)
        PV_RECUR_CASE(7)
    default:
        PV_NAME(recur_as)(PV_SKEW_MAX, coef, v, out, y1, y2);
        break;
#undef PV_RECUR_CASE
    }
}

/* Frames of chunk k of the block, from frame 0. */
static size_t PV_NAME(chunk_len)(size_t k, size_t nframes)
{
    size_t n0 = k * PV_SKEW_CHUNK;
    return nframes - n0 < PV_SKEW_CHUNK ? nframes - n0 : PV_SKEW_CHUNK;
}

/* in[s]: the chunk section s filters at this step, after two history frames; out[s] its
 * output in the same layout, which becomes in[s + 1] for the next step. Sections outside
 * the stream (at the start and the end of the block) run on finite leftovers and get their
 * output history back afterwards. */
TARGET static void PV_NAME(run_skew)(const etw_cascade *c, size_t g, const float *in,
                                     float *out, size_t stride, size_t nframes, int masked)
{
    enum { C = PV_SKEW_CHUNK };
    size_t nsec = c->nsec, nhist = 2 * (nsec + 1), nchunks = (nframes + C - 1) / C;
    PV_S *state = c->PV_STATE + g * nhist * PV_N;
    PV_S bin[PV_SKEW_MAX][PV_SKEW_SPAN] = {{0}}, bout[PV_SKEW_MAX][PV_SKEW_SPAN] = {{0}};
    PV_S v[PV_SKEW_MAX][C];
    PV_S y1[PV_SKEW_MAX], y2[PV_SKEW_MAX];
    bin[0][0] = state[PV_N];
    bin[0][1] = state[0];
    for (size_t s = 0; s < nsec; s++) {
        y1[s] = state[(2 * s + 2) * PV_N];
        y2[s] = state[(2 * s + 3) * PV_N];
    }
    for (size_t k = 0; k + 1 < nchunks + nsec; k++) {
        if (k < nchunks) { /* chunk k of the input, zero-padded */
            size_t len = PV_NAME(chunk_len)(k, nframes);
            PV_S *u = bin[0] + 2;
            if (len == C && !masked && stride == 1) {
                for (size_t i = 0; i < C; i += PV_N) {
                    PV_STOREU(u + i, PV_WIDEN(in + k * C + i));
                }
            } else {
                for (size_t i = 0; i < C; i++) {
                    PV_S x = i < len ? in[(k * C + i) * stride] : 0;
                    u[i] = !masked || x - x == 0 ? x : 0;
                }
            }
        }
        PV_S keep[PV_SKEW_MAX][2];
        for (size_t s = 0; s < nsec; s++) {
            bout[s][0] = y2[s];
            bout[s][1] = y1[s];
            keep[s][0] = y1[s];
            keep[s][1] = y2[s];
            PV_NAME(feed_chunk)(c->kinds[s], c->PV_COEF + s * ETW_COEFS * PV_N, bin[s], v[s]);
        }
        PV_NAME(recur)(nsec, c->PV_COEF, v, bout, y1, y2);
        for (size_t s = 0; s < nsec; s++) {
            size_t j = k - s;
            if (k < s || j >= nchunks) { /* idle section: keep its history */
                y1[s] = keep[s][0];
                y2[s] = keep[s][1];
            } else if (j + 1 == nchunks) { /* its last chunk: store its input history */
                size_t len = PV_NAME(chunk_len)(j, nframes);
                state[2 * s * PV_N] = bin[s][len + 1];
                state[(2 * s + 1) * PV_N] = bin[s][len];
                if (s + 1 == nsec) {
                    state[2 * nsec * PV_N] = bout[s][len + 1];
                    state[(2 * nsec + 1) * PV_N] = bout[s][len];
                }
            }
        }
        if (k + 1 >= nsec) { /* the last section finished chunk k + 1 - nsec */
            size_t j = k + 1 - nsec, len = PV_NAME(chunk_len)(j, nframes);
            const PV_S *y = bout[nsec - 1] + 2;
            if (len == C && !masked && stride == 1) {
                for (size_t i = 0; i < C; i += PV_N) {
                    PV_NARROW(out + j * C + i, PV_LOADU(y + i));
                }
            } else {
                for (size_t i = 0; i < len; i++) {
                    float x = in[(j * C + i) * stride];
                    out[(j * C + i) * stride] = !masked || x - x == 0 ? (float)y[i] : NAN;
                }
            }
        }
        /* next step: each section's output is the next one's input */
        bin[0][0] = bin[0][C];
        bin[0][1] = bin[0][C + 1];
        for (size_t s = 1; s < nsec; s++) {
            for (size_t i = 0; i < PV_SKEW_SPAN; i++) {
                bin[s][i] = bout[s - 1][i];
            }
        }
    }
}

#define PV_SKEW_FROM 1024 /* shortest block for the skewed path (its start and end cost) */

/* A group with one channel (lane 0 of its state), on scalars. */
TARGET static void PV_NAME(run_one)(const etw_cascade *c, size_t g, const float *in,
                                    float *out, size_t stride, size_t nframes, int masked)
{
    if (c->nsec <= PV_SKEW_MAX && nframes >= PV_SKEW_FROM) {
        PV_NAME(run_skew)(c, g, in, out, stride, nframes, masked);
    } else {
        PV_NAME(run_frames)(c, g, in, out, stride, nframes, masked);
    }
}

TARGET static void PV_NAME(kernel)(const etw_cascade *c, const etw_block *b, size_t nframes,
                                   int masked)
{
    size_t ngroups = (c->nch + PV_N - 1) / PV_N;
    /* a last group holding a single channel goes to the scalar path */
    size_t nvec = c->nch % PV_N == 1 ? ngroups - 1 : ngroups;
    for (size_t first = 0; first < nvec; first += PV_GROUPS) {
        int ng = nvec - first < PV_GROUPS ? (int)(nvec - first) : PV_GROUPS;
        for (size_t n0 = 0; n0 < nframes; n0 += PV_CHUNK) {
            size_t len = nframes - n0 < PV_CHUNK ? nframes - n0 : PV_CHUNK;
            PV_NAME(run_chunk)(c, first, ng, b, n0, len, masked);
        }
    }
    if (nvec < ngroups) {
        size_t ch = c->nch - 1;
        const float *in = PV_NAME(in_of)(b, ch, 0);
        int bad = masked >= 0 ? masked : c->scan(&in, 1, nframes);
        PV_NAME(run_one)(c, nvec, in, PV_NAME(out_of)(b, ch, 0), b->stride, nframes, bad);
    }
}

#undef PV_GROUPS
#undef PV_CHUNK
#undef PV_SPAN
