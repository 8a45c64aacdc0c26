#include "ElementwiseKernels.h"

// No fused multiply-adds: every clone (AVX-512, AVX2, baseline) must round like the Swift fastTanh, bit for bit.
// A pragma rather than -ffp-contract=off, so the target needs no unsafe flags and dependents can build it.
#pragma STDC FP_CONTRACT OFF
#pragma clang fp contract(off)

#if defined(__x86_64__) && defined(__linux__)
#define EK_CLONES __attribute__((target_clones("avx512f", "avx2", "default")))
#else
#define EK_CLONES
#endif

static inline float ek_tanh(float x) {
    const float c = x < -7.90531110763549805f ? -7.90531110763549805f : (x > 7.90531110763549805f ? 7.90531110763549805f : x);
    const float x2 = c * c;
    float p = -2.76076847742355e-16f;
    p = p * x2 + 2.00018790482477e-13f;
    p = p * x2 - 8.60467152213735e-11f;
    p = p * x2 + 5.12229709037114e-08f;
    p = p * x2 + 1.48572235717979e-05f;
    p = p * x2 + 6.37261928875436e-04f;
    p = p * x2 + 4.89352455891786e-03f;
    p = p * c;
    float q = 1.19825839466702e-06f;
    q = q * x2 + 1.18534705686654e-04f;
    q = q * x2 + 2.26843463243900e-03f;
    q = q * x2 + 4.89352518554385e-03f;
    return p / q;
}

EK_CLONES void ek_tanh_inplace(float *restrict x, size_t n) {
    for (size_t i = 0; i < n; i++) x[i] = ek_tanh(x[i]);
}

EK_CLONES void ek_tanh_slope_product(float *restrict out, const float *restrict u, const float *restrict h, size_t n) {
    for (size_t i = 0; i < n; i++) out[i] = u[i] * (1 - h[i] * h[i]);
}

EK_CLONES void ek_tanh_slope_adjoint(float *restrict zbar, float *restrict ubar, const float *restrict vbar,
                                     const float *restrict u, const float *restrict h, size_t n) {
    for (size_t i = 0; i < n; i++) {
        const float s = 1 - h[i] * h[i];
        zbar[i] = vbar[i] * u[i] * (-2 * h[i] * s);
        ubar[i] = vbar[i] * s;
    }
}

EK_CLONES void ek_tanh_slope_backward(float *restrict dz, const float *restrict dh, const float *restrict zbar,
                                      const float *restrict h, size_t n) {
    for (size_t i = 0; i < n; i++) dz[i] = dh[i] * (1 - h[i] * h[i]) + zbar[i];
}
