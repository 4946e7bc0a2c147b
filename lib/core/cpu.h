/* Run-time CPU feature checks for choosing the SIMD kernels (internal). Only meaningful on
 * x86; callers compile them inside their x86 guard. */
#ifndef ETW_CORE_CPU_H
#define ETW_CORE_CPU_H

/* 1 if the CPU running us has AVX2. */
static inline int etw_cpu_has_avx2(void)
{
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx2");
}

/* 1 if the CPU running us has AVX2 and FMA. */
static inline int etw_cpu_has_avx2_fma(void)
{
    return etw_cpu_has_avx2() && __builtin_cpu_supports("fma");
}

#endif
