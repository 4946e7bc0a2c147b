/* Internal: the direct-form-I section arithmetic of float precision, written once for every
 * value type that uses it (a vector of ETW_LANES_F floats, one float with fused or with
 * unfused multiply-add, and one double for the accuracy probe). A file includes this one
 * after defining:
 *
 *   DFI_T               value type
 *   DFI_C               coefficient type (double or float)
 *   DFI_STRIDE          coefficient layout: lanes each coefficient is broadcast over
 *   DFI_ADD(a, b)       a + b
 *   DFI_SUB(a, b)       a - b
 *   DFI_MAC(a, b, c)    a * b + c (fused or not: the includer decides)
 *   DFI_COEF(c, k)      coefficient k of the section at c (b0, b1, b2, -a1, -a2, each
 *                       broadcast over DFI_STRIDE lanes), as DFI_T
 *   DFI_NAME(name)      name of a generated function
 *   DFI_INLINE          specifiers of the generated functions (static inline ...)
 *
 * and may include it again with other definitions (it undefines them at the end).
 *
 * Section s maps its input u = u_s to its output y = u_{s+1} in this order of operations:
 *     v    = b0 u(n) + (b2 u(n-2) + (b1 u(n-1) + ETW_DENORMAL_GUARD))    feed-forward
 *     y(n) = -a1 y(n-1) + (-a2 y(n-2) + v)                               feedback
 * v does not depend on the outputs, so it can be computed ahead (for a whole chunk, with
 * vectors), and the feedback is a chain of two multiply-adds whose loop-carried part is one
 * multiply-add per frame (y(n-2) enters first, a frame ahead), so a section can run at one
 * multiply-add latency per frame. The history h[2k], h[2k+1] = u_k(n-1), u_k(n-2) for
 * k = 0..nsec is shared: a section's output history is the next section's input history.
 * Sections of an etw_section_kind compute v with additions (coefficients 0 and +-1) and, for
 * b1 = +-2, one multiply-add, which round exactly like the general multiply-adds, so every
 * kind gives the bits of the general form. Every frame goes through the same operations on the same values however a
 * kernel tiles the stream, so the output does not depend on how the stream is cut. */

/* Feed-forward part v of one frame of one section (kind a constant where inlined). */
DFI_INLINE DFI_T DFI_NAME(feed)(unsigned char kind, const DFI_C *c, DFI_T u, DFI_T u1,
                                DFI_T u2, DFI_T g)
{
    switch (kind) {
    case ETW_SECTION_1_0_M1: /* 0 u1 + g = g exactly, then - u2 and + u */
        return DFI_ADD(u, DFI_SUB(g, u2));
    case ETW_SECTION_1_2_1: /* b1 = +-2: b1 u1 is exact, one multiply-add */
    case ETW_SECTION_1_M2_1:
        return DFI_ADD(u, DFI_ADD(u2, DFI_MAC(DFI_COEF(c, 1), u1, g)));
    default:
        return DFI_MAC(DFI_COEF(c, 0), u,
                       DFI_MAC(DFI_COEF(c, 2), u2, DFI_MAC(DFI_COEF(c, 1), u1, g)));
    }
}

/* The output from v and the output history. */
DFI_INLINE DFI_T DFI_NAME(back)(const DFI_C *c, DFI_T v, DFI_T y1, DFI_T y2)
{
    return DFI_MAC(DFI_COEF(c, 3), y1, DFI_MAC(DFI_COEF(c, 4), y2, v));
}

/* One frame of one section (kind a constant where inlined). */
DFI_INLINE DFI_T DFI_NAME(step)(unsigned char kind, const DFI_C *c, DFI_T u, DFI_T u1,
                                DFI_T u2, DFI_T y1, DFI_T y2, DFI_T g)
{
    return DFI_NAME(back)(c, DFI_NAME(feed)(kind, c, u, u1, u2, g), y1, y2);
}

/* One frame u through all nsec sections (history h[0 .. 2 nsec + 1]); returns the output.
 * With generic set (a constant where inlined) every section takes the general form, which
 * gives the same bits without a branch per section. */
DFI_INLINE DFI_T DFI_NAME(frame)(const DFI_C *coef, const unsigned char *kinds, size_t nsec,
                                 DFI_T *h, DFI_T u, DFI_T g, int generic)
{
    for (size_t s = 0; s < nsec; s++) {
        const DFI_C *c = coef + s * ETW_COEFS * DFI_STRIDE;
        DFI_T *hs = h + 2 * s;
        DFI_T y;
        switch (generic ? ETW_SECTION_GENERIC : kinds[s]) { /* each kind as a constant */
        case ETW_SECTION_1_0_M1:
            y = DFI_NAME(step)(ETW_SECTION_1_0_M1, c, u, hs[0], hs[1], hs[2], hs[3], g);
            break;
        case ETW_SECTION_1_2_1:
            y = DFI_NAME(step)(ETW_SECTION_1_2_1, c, u, hs[0], hs[1], hs[2], hs[3], g);
            break;
        case ETW_SECTION_1_M2_1:
            y = DFI_NAME(step)(ETW_SECTION_1_M2_1, c, u, hs[0], hs[1], hs[2], hs[3], g);
            break;
        default:
            y = DFI_NAME(step)(ETW_SECTION_GENERIC, c, u, hs[0], hs[1], hs[2], hs[3], g);
            break;
        }
        hs[1] = hs[0];
        hs[0] = u;
        u = y;
    }
    h[2 * nsec + 1] = h[2 * nsec];
    h[2 * nsec] = u;
    return u;
}

#undef DFI_T
#undef DFI_C
#undef DFI_STRIDE
#undef DFI_ADD
#undef DFI_SUB
#undef DFI_MAC
#undef DFI_COEF
#undef DFI_NAME
#undef DFI_INLINE
