/* Internal: the arithmetic of one channel in double precision (direct form I), written once
 * for the portable kernel (double, multiply then add) and the AVX2 one (fused multiply-adds
 * on vectors: lanes holding one value, or the sections of the pipeline side by side). A file
 * includes this one after defining:
 *
 *   ONE_T               value type
 *   ONE_MAC(a, b, c)    a * b + c (fused or not: the includer decides)
 *   ONE_COEF(c, k)      coefficient k of the section at c (b0, b1, b2, -a1, -a2) as ONE_T
 *   ONE_NAME(name)      name of a generated function
 *   ONE_INLINE          specifiers of the generated functions (static inline ...)
 *
 * and may include it again with other definitions (it undefines them at the end).
 *
 * Every section maps its input u to its output y in this order of operations:
 *     v    = b0 u(n) + (b1 u(n-1) + (b2 u(n-2) + g))      feed-forward
 *     y(n) = -a1 y(n-1) + (-a2 y(n-2) + v)                 feedback
 * g is ETW_DENORMAL_GUARD. The inputs enter from the oldest to the newest, so each path from
 * an input to the output is as short as its age allows: the loop-carried part is one
 * multiply-add, y(n-2) enters two multiply-adds before the output, and v does not depend on
 * the outputs, so a kernel can compute it ahead (for section 0, from the input alone).
 * The history h[2k], h[2k+1] = u_k(n-1), u_k(n-2) (k = 0 .. nsec) of the signal u_k before
 * section k is shared: a section's output history is the next section's input history. */

/* The feed-forward part v of a frame u with history u1, u2. */
ONE_INLINE ONE_T ONE_NAME(feed)(const double *c, ONE_T u, ONE_T u1, ONE_T u2, ONE_T g)
{
    return ONE_MAC(ONE_COEF(c, 0), u,
                   ONE_MAC(ONE_COEF(c, 1), u1, ONE_MAC(ONE_COEF(c, 2), u2, g)));
}

/* The output from v and the output history. */
ONE_INLINE ONE_T ONE_NAME(back)(const double *c, ONE_T v, ONE_T y1, ONE_T y2)
{
    return ONE_MAC(ONE_COEF(c, 3), y1, ONE_MAC(ONE_COEF(c, 4), y2, v));
}

#undef ONE_T
#undef ONE_MAC
#undef ONE_COEF
#undef ONE_NAME
#undef ONE_INLINE
