/* Internal: the arithmetic of one channel in double precision (direct form I), written once
 * for the portable kernel (double, multiply then add) and the AVX2 one (fused multiply-adds
 * on vectors whose lanes hold the same value). A file includes this one after defining:
 *
 *   ONE_T               value type
 *   ONE_ADD(a, b)       a + b
 *   ONE_SUB(a, b)       a - b
 *   ONE_MAC(a, b, c)    a * b + c (fused or not: the includer decides)
 *   ONE_COEF(c, k)      coefficient k of the section at c (b0, b1, b2, -a1, -a2, each
 *                       broadcast over ETW_LANES doubles), as ONE_T
 *   ONE_NAME(name)      name of a generated function
 *   ONE_INLINE          specifiers of the generated functions (static inline ...)
 *
 * and may include it again with other definitions (it undefines them at the end).
 *
 * Section 0 computes its feed-forward first, so that it can be computed ahead for a chunk of
 * input frames:
 *     v    = b0 x(n) + (b2 x(n-2) + (b1 x(n-1) + g))
 *     y(n) = -a1 y(n-1) + (-a2 y(n-2) + v)
 * A later section k >= 1 takes its input u(n) last but one, so that the path from a
 * section's input to its output is two operations while the loop-carried part is one
 * multiply-add (-a1 y(n-1) enters last):
 *     r    = -a2 y(n-2) + (b2 u(n-2) + (b1 u(n-1) + g))
 *     y(n) = -a1 y(n-1) + (b0 u(n) + r)
 * (Taking u(n-1) after -a2 y(n-2), which shortens the path from u(n-1), was measured 8 %
 * slower.) g is ETW_DENORMAL_GUARD. Numerators of an etw_section_kind use additions where
 * the general form multiplies by 0, +-1 or +-2; those products are exact, so every kind
 * rounds exactly like the general form. The history h[2k], h[2k+1] = u_k(n-1), u_k(n-2) (k = 0 .. nsec) of
 * the signal u_k before section k is shared: a section's output history is the next
 * section's input history. */

/* Section 0: the feed-forward part v of a frame x with history x1, x2. */
ONE_INLINE ONE_T ONE_NAME(feed0)(const double *c, ONE_T x, ONE_T x1, ONE_T x2, ONE_T g)
{
    return ONE_MAC(ONE_COEF(c, 0), x, ONE_MAC(ONE_COEF(c, 2), x2, ONE_MAC(ONE_COEF(c, 1), x1, g)));
}

/* Section 0: the output from v and the output history. */
ONE_INLINE ONE_T ONE_NAME(back0)(const double *c, ONE_T v, ONE_T y1, ONE_T y2)
{
    return ONE_MAC(ONE_COEF(c, 3), y1, ONE_MAC(ONE_COEF(c, 4), y2, v));
}

/* Section k >= 1: r from the history (kind a constant where inlined). */
ONE_INLINE ONE_T ONE_NAME(rest)(unsigned char kind, const double *c, ONE_T u1, ONE_T u2,
                                ONE_T y2, ONE_T g)
{
    ONE_T f;
    switch (kind) {
    case ETW_SECTION_1_0_M1: /* 0 u1 + g = g exactly, then - u2 */
        f = ONE_SUB(g, u2);
        break;
    case ETW_SECTION_1_2_1: /* 2 u1 + g = (u1 + u1) + g, then + u2 */
        f = ONE_ADD(u2, ONE_ADD(g, ONE_ADD(u1, u1)));
        break;
    case ETW_SECTION_1_M2_1:
        f = ONE_ADD(u2, ONE_SUB(g, ONE_ADD(u1, u1)));
        break;
    default:
        f = ONE_MAC(ONE_COEF(c, 2), u2, ONE_MAC(ONE_COEF(c, 1), u1, g));
        break;
    }
    return ONE_MAC(ONE_COEF(c, 4), y2, f);
}

/* Section k >= 1: the output from the input u, r and y(n-1). */
ONE_INLINE ONE_T ONE_NAME(out)(unsigned char kind, const double *c, ONE_T u, ONE_T r, ONE_T y1)
{
    ONE_T t = kind == ETW_SECTION_GENERIC ? ONE_MAC(ONE_COEF(c, 0), u, r) : ONE_ADD(u, r);
    return ONE_MAC(ONE_COEF(c, 3), y1, t);
}

#undef ONE_T
#undef ONE_ADD
#undef ONE_SUB
#undef ONE_MAC
#undef ONE_COEF
#undef ONE_NAME
#undef ONE_INLINE
