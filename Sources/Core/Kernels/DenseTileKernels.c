#include "DenseTileKernels.h"
#include <stdlib.h>

// No contraction: the epilogues must round like ElementwiseKernels.c (products and sums separately); the products'
// fused multiply-adds are written explicitly.
#pragma STDC FP_CONTRACT OFF
#pragma clang fp contract(off)

float *dtk_alloc(size_t count) {
    void *p = 0;
    if (posix_memalign(&p, 64, (count ? count : 1) * sizeof(float)) != 0) abort();
    return p;
}
void dtk_free(float *p) { free(p); }

#if defined(__x86_64__)
#include <immintrin.h>

#define DTK_PANEL 48                 // columns per packed panel: 3 vectors of 16
#define DTK_MR 8                     // rows per register block (8 × 3 accumulators)
#define DTK_NARROW 8                 // a last panel of at most 8 columns runs on 256-bit vectors (see dtk_stride)
#define DTK_INLINE static inline __attribute__((target("avx512f,avx512vl"), always_inline))
#define DTK_TARGET __attribute__((target("avx512f,avx512vl")))

enum { EPI_STORE, EPI_BIAS_TANH, EPI_SLOPE, EPI_ADJOINT, EPI_BACKWARD };

typedef struct {
    const float *bias, *h, *u, *zbar;
    float *out2, *biasGrad;
} dtk_extra;

int dtk_available(void) { return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512vl") ? 1 : 0; }

size_t dtk_packed_count(int K, int N) { return (size_t)K * (size_t)((N + 15) / 16 * 16); }

// Floats per packed row of a panel of w columns: whole 16-lane vectors, except that a last panel of at most 8 columns
// (width 150 = 3 · 48 + 6) is one 8-lane vector. Its products then cost half a 512-bit FMA per row and k on CPUs that
// split 512-bit operations into two 256-bit halves (AMD Zen 4): 9.5 instead of 10 vectors of work at width 150. The
// lanes compute the same chains either way, so the results do not depend on the vector width.
static int dtk_stride(int w) { return w <= DTK_NARROW ? DTK_NARROW : (w + 15) / 16 * 16; }

void dtk_pack(const float *B, int ldb, int K, int N, int trans, float *packed) {
    for (int col0 = 0; col0 < N; col0 += DTK_PANEL) {
        const int w = N - col0 < DTK_PANEL ? N - col0 : DTK_PANEL, wp = dtk_stride(w);
        float *panel = packed + (size_t)K * col0;
        for (int k = 0; k < K; k++) {
            for (int c = 0; c < wp; c++) {
                float v = 0;
                if (c < w) v = trans ? B[(size_t)(col0 + c) * ldb + k] : B[(size_t)k * ldb + col0 + c];
                panel[(size_t)k * wp + c] = v;
            }
        }
    }
}

// The clamped rational tanh of ElementwiseKernels.c, 16 lanes (same operations in the same order).
DTK_INLINE __m512 dtk_tanh(__m512 x) {
    const __m512 lim = _mm512_set1_ps(7.90531110763549805f), nlim = _mm512_set1_ps(-7.90531110763549805f);
    __m512 c = _mm512_mask_mov_ps(x, _mm512_cmp_ps_mask(x, lim, _CMP_GT_OQ), lim);
    c = _mm512_mask_mov_ps(c, _mm512_cmp_ps_mask(x, nlim, _CMP_LT_OQ), nlim);
    const __m512 x2 = _mm512_mul_ps(c, c);
    __m512 p = _mm512_set1_ps(-2.76076847742355e-16f);
    p = _mm512_add_ps(_mm512_mul_ps(p, x2), _mm512_set1_ps(2.00018790482477e-13f));
    p = _mm512_sub_ps(_mm512_mul_ps(p, x2), _mm512_set1_ps(8.60467152213735e-11f));
    p = _mm512_add_ps(_mm512_mul_ps(p, x2), _mm512_set1_ps(5.12229709037114e-08f));
    p = _mm512_add_ps(_mm512_mul_ps(p, x2), _mm512_set1_ps(1.48572235717979e-05f));
    p = _mm512_add_ps(_mm512_mul_ps(p, x2), _mm512_set1_ps(6.37261928875436e-04f));
    p = _mm512_add_ps(_mm512_mul_ps(p, x2), _mm512_set1_ps(4.89352455891786e-03f));
    p = _mm512_mul_ps(p, c);
    __m512 q = _mm512_set1_ps(1.19825839466702e-06f);
    q = _mm512_add_ps(_mm512_mul_ps(q, x2), _mm512_set1_ps(1.18534705686654e-04f));
    q = _mm512_add_ps(_mm512_mul_ps(q, x2), _mm512_set1_ps(2.26843463243900e-03f));
    q = _mm512_add_ps(_mm512_mul_ps(q, x2), _mm512_set1_ps(4.89352518554385e-03f));
    return _mm512_div_ps(p, q);
}

// The same on 8 lanes.
DTK_INLINE __m256 dtk_tanh8(__m256 x) {
    const __m256 lim = _mm256_set1_ps(7.90531110763549805f), nlim = _mm256_set1_ps(-7.90531110763549805f);
    __m256 c = _mm256_mask_mov_ps(x, _mm256_cmp_ps_mask(x, lim, _CMP_GT_OQ), lim);
    c = _mm256_mask_mov_ps(c, _mm256_cmp_ps_mask(x, nlim, _CMP_LT_OQ), nlim);
    const __m256 x2 = _mm256_mul_ps(c, c);
    __m256 p = _mm256_set1_ps(-2.76076847742355e-16f);
    p = _mm256_add_ps(_mm256_mul_ps(p, x2), _mm256_set1_ps(2.00018790482477e-13f));
    p = _mm256_sub_ps(_mm256_mul_ps(p, x2), _mm256_set1_ps(8.60467152213735e-11f));
    p = _mm256_add_ps(_mm256_mul_ps(p, x2), _mm256_set1_ps(5.12229709037114e-08f));
    p = _mm256_add_ps(_mm256_mul_ps(p, x2), _mm256_set1_ps(1.48572235717979e-05f));
    p = _mm256_add_ps(_mm256_mul_ps(p, x2), _mm256_set1_ps(6.37261928875436e-04f));
    p = _mm256_add_ps(_mm256_mul_ps(p, x2), _mm256_set1_ps(4.89352455891786e-03f));
    p = _mm256_mul_ps(p, c);
    __m256 q = _mm256_set1_ps(1.19825839466702e-06f);
    q = _mm256_add_ps(_mm256_mul_ps(q, x2), _mm256_set1_ps(1.18534705686654e-04f));
    q = _mm256_add_ps(_mm256_mul_ps(q, x2), _mm256_set1_ps(2.26843463243900e-03f));
    q = _mm256_add_ps(_mm256_mul_ps(q, x2), _mm256_set1_ps(4.89352518554385e-03f));
    return _mm256_div_ps(p, q);
}

// One register block: rows [i, i+MR) × the NV vectors of one panel (the last masked to `last` lanes), then its
// epilogue. MR, NV and EPI are compile-time constants at every call site.
DTK_INLINE void dtk_block(const int MR, const int NV, const int EPI, int K, const float *A, int lda,
                          const float *panel, int i, int col0, __mmask16 last, float *C, int ldc, const dtk_extra *x) {
    __m512 acc[DTK_MR][3];
    for (int r = 0; r < MR; r++) for (int v = 0; v < NV; v++) acc[r][v] = _mm512_setzero_ps();
    const float *a = A + (size_t)i * lda;
    const int wp = NV * 16;
    for (int k = 0; k < K; k++) {
        const float *b = panel + (size_t)k * wp;
        __m512 bv[3];
        for (int v = 0; v < NV; v++) bv[v] = _mm512_load_ps(b + 16 * v);
        for (int r = 0; r < MR; r++) {
            const __m512 s = _mm512_set1_ps(a[(size_t)r * lda + k]);
            for (int v = 0; v < NV; v++) acc[r][v] = _mm512_fmadd_ps(s, bv[v], acc[r][v]);
        }
    }
    const __m512 one = _mm512_set1_ps(1), minusTwo = _mm512_set1_ps(-2);
    for (int v = 0; v < NV; v++) {
        const __mmask16 m = v == NV - 1 ? last : (__mmask16)0xFFFF;
        const int col = col0 + 16 * v;
        __m512 grad = _mm512_setzero_ps();
        if (EPI == EPI_BACKWARD) grad = _mm512_maskz_loadu_ps(m, x->biasGrad + col);
        const __m512 bias = EPI == EPI_BIAS_TANH ? _mm512_maskz_loadu_ps(m, x->bias + col) : _mm512_setzero_ps();
        for (int r = 0; r < MR; r++) {
            const size_t at = (size_t)(i + r) * ldc + col;
            const __m512 y = acc[r][v];
            if (EPI == EPI_STORE) {
                _mm512_mask_storeu_ps(C + at, m, y);
            } else if (EPI == EPI_BIAS_TANH) {
                _mm512_mask_storeu_ps(C + at, m, dtk_tanh(_mm512_add_ps(y, bias)));
            } else if (EPI == EPI_SLOPE) {
                const __m512 h = _mm512_maskz_loadu_ps(m, x->h + at);
                const __m512 s = _mm512_sub_ps(one, _mm512_mul_ps(h, h));
                _mm512_mask_storeu_ps(C + at, m, y);
                _mm512_mask_storeu_ps(x->out2 + at, m, _mm512_mul_ps(y, s));
            } else if (EPI == EPI_ADJOINT) {
                const __m512 h = _mm512_maskz_loadu_ps(m, x->h + at), u = _mm512_maskz_loadu_ps(m, x->u + at);
                const __m512 s = _mm512_sub_ps(one, _mm512_mul_ps(h, h));
                const __m512 d2 = _mm512_mul_ps(_mm512_mul_ps(minusTwo, h), s);
                _mm512_mask_storeu_ps(C + at, m, _mm512_mul_ps(_mm512_mul_ps(y, u), d2));
                _mm512_mask_storeu_ps(x->out2 + at, m, _mm512_mul_ps(y, s));
            } else {
                const __m512 h = _mm512_maskz_loadu_ps(m, x->h + at), zb = _mm512_maskz_loadu_ps(m, x->zbar + at);
                const __m512 dz = _mm512_add_ps(_mm512_mul_ps(y, _mm512_sub_ps(one, _mm512_mul_ps(h, h))), zb);
                _mm512_mask_storeu_ps(C + at, m, dz);
                grad = _mm512_add_ps(grad, dz);
            }
        }
        if (EPI == EPI_BACKWARD) _mm512_mask_storeu_ps(x->biasGrad + col, m, grad);
    }
}

// `dtk_block` for a last panel of at most 8 columns (`last` lanes of one 8-lane vector), same operations per lane.
DTK_INLINE void dtk_block8(const int MR, const int EPI, int K, const float *A, int lda, const float *panel, int i,
                           int col0, __mmask8 m, float *C, int ldc, const dtk_extra *x) {
    __m256 acc[DTK_MR];
    for (int r = 0; r < MR; r++) acc[r] = _mm256_setzero_ps();
    const float *a = A + (size_t)i * lda;
    for (int k = 0; k < K; k++) {
        const __m256 bv = _mm256_load_ps(panel + (size_t)k * DTK_NARROW);
        for (int r = 0; r < MR; r++) acc[r] = _mm256_fmadd_ps(_mm256_set1_ps(a[(size_t)r * lda + k]), bv, acc[r]);
    }
    const __m256 one = _mm256_set1_ps(1), minusTwo = _mm256_set1_ps(-2);
    __m256 grad = _mm256_setzero_ps();
    if (EPI == EPI_BACKWARD) grad = _mm256_maskz_loadu_ps(m, x->biasGrad + col0);
    const __m256 bias = EPI == EPI_BIAS_TANH ? _mm256_maskz_loadu_ps(m, x->bias + col0) : _mm256_setzero_ps();
    for (int r = 0; r < MR; r++) {
        const size_t at = (size_t)(i + r) * ldc + col0;
        const __m256 y = acc[r];
        if (EPI == EPI_STORE) {
            _mm256_mask_storeu_ps(C + at, m, y);
        } else if (EPI == EPI_BIAS_TANH) {
            _mm256_mask_storeu_ps(C + at, m, dtk_tanh8(_mm256_add_ps(y, bias)));
        } else if (EPI == EPI_SLOPE) {
            const __m256 h = _mm256_maskz_loadu_ps(m, x->h + at);
            const __m256 s = _mm256_sub_ps(one, _mm256_mul_ps(h, h));
            _mm256_mask_storeu_ps(C + at, m, y);
            _mm256_mask_storeu_ps(x->out2 + at, m, _mm256_mul_ps(y, s));
        } else if (EPI == EPI_ADJOINT) {
            const __m256 h = _mm256_maskz_loadu_ps(m, x->h + at), u = _mm256_maskz_loadu_ps(m, x->u + at);
            const __m256 s = _mm256_sub_ps(one, _mm256_mul_ps(h, h));
            const __m256 d2 = _mm256_mul_ps(_mm256_mul_ps(minusTwo, h), s);
            _mm256_mask_storeu_ps(C + at, m, _mm256_mul_ps(_mm256_mul_ps(y, u), d2));
            _mm256_mask_storeu_ps(x->out2 + at, m, _mm256_mul_ps(y, s));
        } else {
            const __m256 h = _mm256_maskz_loadu_ps(m, x->h + at), zb = _mm256_maskz_loadu_ps(m, x->zbar + at);
            const __m256 dz = _mm256_add_ps(_mm256_mul_ps(y, _mm256_sub_ps(one, _mm256_mul_ps(h, h))), zb);
            _mm256_mask_storeu_ps(C + at, m, dz);
            grad = _mm256_add_ps(grad, dz);
        }
    }
    if (EPI == EPI_BACKWARD) _mm256_mask_storeu_ps(x->biasGrad + col0, m, grad);
}

// Row blocks of DTK_MR, then the remaining rows as one block (each C element is its own chain, so the blocking does
// not change results).
#define DTK_REMAINDER(CALL_MR)                                                                                         \
    switch (rest) {                                                                                                    \
    case 1: CALL_MR(1); break; case 2: CALL_MR(2); break; case 3: CALL_MR(3); break; case 4: CALL_MR(4); break;        \
    case 5: CALL_MR(5); break; case 6: CALL_MR(6); break; case 7: CALL_MR(7); break; default: break;                   \
    }

DTK_INLINE void dtk_rows(const int NV, const int EPI, int M, int K, const float *A, int lda, const float *panel,
                         int col0, __mmask16 last, float *C, int ldc, const dtk_extra *x) {
    int i = 0;
    for (; i + DTK_MR <= M; i += DTK_MR) dtk_block(DTK_MR, NV, EPI, K, A, lda, panel, i, col0, last, C, ldc, x);
    const int rest = M - i;
#define DTK_CALL(R) dtk_block(R, NV, EPI, K, A, lda, panel, i, col0, last, C, ldc, x)
    DTK_REMAINDER(DTK_CALL)
#undef DTK_CALL
}

DTK_INLINE void dtk_rows8(const int EPI, int M, int K, const float *A, int lda, const float *panel, int col0,
                          __mmask8 last, float *C, int ldc, const dtk_extra *x) {
    int i = 0;
    for (; i + DTK_MR <= M; i += DTK_MR) dtk_block8(DTK_MR, EPI, K, A, lda, panel, i, col0, last, C, ldc, x);
    const int rest = M - i;
#define DTK_CALL(R) dtk_block8(R, EPI, K, A, lda, panel, i, col0, last, C, ldc, x)
    DTK_REMAINDER(DTK_CALL)
#undef DTK_CALL
}

// Panels in order, rows in order within each panel (so a column's bias gradient is summed over rows in order).
DTK_INLINE void dtk_run(const int EPI, int M, int N, int K, const float *A, int lda, const float *packed, float *C,
                        int ldc, const dtk_extra *x) {
    for (int col0 = 0; col0 < N; col0 += DTK_PANEL) {
        const int w = N - col0 < DTK_PANEL ? N - col0 : DTK_PANEL, nv = (w + 15) / 16, tail = w - 16 * (nv - 1);
        const __mmask16 last = tail == 16 ? (__mmask16)0xFFFF : (__mmask16)((1u << tail) - 1);
        const float *panel = packed + (size_t)K * col0;
        if (w <= DTK_NARROW) dtk_rows8(EPI, M, K, A, lda, panel, col0, (__mmask8)((1u << w) - 1), C, ldc, x);
        else if (nv == 3) dtk_rows(3, EPI, M, K, A, lda, panel, col0, last, C, ldc, x);
        else if (nv == 2) dtk_rows(2, EPI, M, K, A, lda, panel, col0, last, C, ldc, x);
        else dtk_rows(1, EPI, M, K, A, lda, panel, col0, last, C, ldc, x);
    }
}

DTK_TARGET void dtk_gemm(int M, int N, int K, const float *A, int lda, const float *packed, float *C, int ldc) {
    const dtk_extra x = {0};
    dtk_run(EPI_STORE, M, N, K, A, lda, packed, C, ldc, &x);
}

DTK_TARGET void dtk_gemm_bias_tanh(int M, int N, int K, const float *A, int lda, const float *packed,
                                   const float *bias, float *H, int ldc) {
    const dtk_extra x = {.bias = bias};
    dtk_run(EPI_BIAS_TANH, M, N, K, A, lda, packed, H, ldc, &x);
}

DTK_TARGET void dtk_gemm_tanh_slope(int M, int N, int K, const float *A, int lda, const float *packed,
                                    const float *h, float *U, float *V, int ldc) {
    const dtk_extra x = {.h = h, .out2 = V};
    dtk_run(EPI_SLOPE, M, N, K, A, lda, packed, U, ldc, &x);
}

DTK_TARGET void dtk_gemm_tanh_adjoint(int M, int N, int K, const float *A, int lda, const float *packed,
                                      const float *u, const float *h, float *zbar, float *ubar, int ldc) {
    const dtk_extra x = {.h = h, .u = u, .out2 = ubar};
    dtk_run(EPI_ADJOINT, M, N, K, A, lda, packed, zbar, ldc, &x);
}

DTK_TARGET void dtk_gemm_tanh_backward(int M, int N, int K, const float *A, int lda, const float *packed,
                                       const float *h, const float *zbar, float *dz, int ldc, float *biasGrad) {
    const dtk_extra x = {.h = h, .zbar = zbar, .biasGrad = biasGrad};
    dtk_run(EPI_BACKWARD, M, N, K, A, lda, packed, dz, ldc, &x);
}

// C (Mc × N) += Aᵀ B for A (K × Mc, row stride lda) and B (K × N, row stride ldb), unpacked: one chain over
// k ∈ [k0, k1) per element and depth block, added to C. Register blocks of 8 rows of C × 3 vectors.
DTK_INLINE void dtk_tn_block(const int MR, const int NV, int k0, int k1, const float *A, int lda, const float *B, int ldb,
                             int m0, int col0, __mmask16 last, float *C, int ldc) {
    __m512 acc[DTK_MR][3];
    for (int r = 0; r < MR; r++) for (int v = 0; v < NV; v++) acc[r][v] = _mm512_setzero_ps();
    for (int k = k0; k < k1; k++) {
        const float *b = B + (size_t)k * ldb + col0, *a = A + (size_t)k * lda + m0;
        __m512 bv[3];
        for (int v = 0; v < NV; v++) bv[v] = _mm512_maskz_loadu_ps(v == NV - 1 ? last : (__mmask16)0xFFFF, b + 16 * v);
        for (int r = 0; r < MR; r++) {
            const __m512 s = _mm512_set1_ps(a[r]);
            for (int v = 0; v < NV; v++) acc[r][v] = _mm512_fmadd_ps(s, bv[v], acc[r][v]);
        }
    }
    for (int r = 0; r < MR; r++) for (int v = 0; v < NV; v++) {
        const __mmask16 m = v == NV - 1 ? last : (__mmask16)0xFFFF;
        float *c = C + (size_t)(m0 + r) * ldc + col0 + 16 * v;
        _mm512_mask_storeu_ps(c, m, _mm512_add_ps(_mm512_maskz_loadu_ps(m, c), acc[r][v]));
    }
}

// `dtk_tn_block` for a last panel of at most 8 columns, on one 8-lane vector.
DTK_INLINE void dtk_tn_block8(const int MR, int k0, int k1, const float *A, int lda, const float *B, int ldb, int m0,
                              int col0, __mmask8 m, float *C, int ldc) {
    __m256 acc[DTK_MR];
    for (int r = 0; r < MR; r++) acc[r] = _mm256_setzero_ps();
    for (int k = k0; k < k1; k++) {
        const float *a = A + (size_t)k * lda + m0;
        const __m256 bv = _mm256_maskz_loadu_ps(m, B + (size_t)k * ldb + col0);
        for (int r = 0; r < MR; r++) acc[r] = _mm256_fmadd_ps(_mm256_set1_ps(a[r]), bv, acc[r]);
    }
    for (int r = 0; r < MR; r++) {
        float *c = C + (size_t)(m0 + r) * ldc + col0;
        _mm256_mask_storeu_ps(c, m, _mm256_add_ps(_mm256_maskz_loadu_ps(m, c), acc[r]));
    }
}

DTK_INLINE void dtk_tn_rows(const int NV, int Mc, int k0, int k1, const float *A, int lda, const float *B, int ldb,
                            int col0, __mmask16 last, float *C, int ldc) {
    int m = 0;
    for (; m + DTK_MR <= Mc; m += DTK_MR) dtk_tn_block(DTK_MR, NV, k0, k1, A, lda, B, ldb, m, col0, last, C, ldc);
    const int rest = Mc - m;
#define DTK_CALL(R) dtk_tn_block(R, NV, k0, k1, A, lda, B, ldb, m, col0, last, C, ldc)
    DTK_REMAINDER(DTK_CALL)
#undef DTK_CALL
}

DTK_INLINE void dtk_tn_rows8(int Mc, int k0, int k1, const float *A, int lda, const float *B, int ldb, int col0,
                             __mmask8 last, float *C, int ldc) {
    int m = 0;
    for (; m + DTK_MR <= Mc; m += DTK_MR) dtk_tn_block8(DTK_MR, k0, k1, A, lda, B, ldb, m, col0, last, C, ldc);
    const int rest = Mc - m;
#define DTK_CALL(R) dtk_tn_block8(R, k0, k1, A, lda, B, ldb, m, col0, last, C, ldc)
    DTK_REMAINDER(DTK_CALL)
#undef DTK_CALL
}

DTK_TARGET void dtk_gemm_tn_accumulate(int Mc, int N, int K, const float *A, int lda, const float *B, int ldb,
                                       float *C, int ldc, int depth, int unroll) {
    for (int k0 = 0, step; k0 < K; k0 += step) {
        // OpenBLAS's level-3 driver: blocks of `depth`, the last two halved (rounded up to `unroll`) when longer.
        step = K - k0;
        if (depth > 0 && step >= 2 * depth) step = depth;
        else if (depth > 0 && step > depth) step = (step / 2 + unroll - 1) / unroll * unroll;
        const int k1 = k0 + step;
        for (int col0 = 0; col0 < N; col0 += DTK_PANEL) {
            const int w = N - col0 < DTK_PANEL ? N - col0 : DTK_PANEL, nv = (w + 15) / 16, tail = w - 16 * (nv - 1);
            const __mmask16 last = tail == 16 ? (__mmask16)0xFFFF : (__mmask16)((1u << tail) - 1);
            if (w <= DTK_NARROW) dtk_tn_rows8(Mc, k0, k1, A, lda, B, ldb, col0, (__mmask8)((1u << w) - 1), C, ldc);
            else if (nv == 3) dtk_tn_rows(3, Mc, k0, k1, A, lda, B, ldb, col0, last, C, ldc);
            else if (nv == 2) dtk_tn_rows(2, Mc, k0, k1, A, lda, B, ldb, col0, last, C, ldc);
            else dtk_tn_rows(1, Mc, k0, k1, A, lda, B, ldb, col0, last, C, ldc);
        }
    }
}

#else
int dtk_available(void) { return 0; }
size_t dtk_packed_count(int K, int N) { return (size_t)K * (size_t)((N + 15) / 16 * 16); }
void dtk_pack(const float *B, int ldb, int K, int N, int trans, float *packed) { abort(); }
void dtk_gemm(int M, int N, int K, const float *A, int lda, const float *packed, float *C, int ldc) { abort(); }
void dtk_gemm_bias_tanh(int M, int N, int K, const float *A, int lda, const float *packed, const float *bias,
                        float *H, int ldc) { abort(); }
void dtk_gemm_tanh_slope(int M, int N, int K, const float *A, int lda, const float *packed, const float *h,
                         float *U, float *V, int ldc) { abort(); }
void dtk_gemm_tanh_adjoint(int M, int N, int K, const float *A, int lda, const float *packed, const float *u,
                           const float *h, float *zbar, float *ubar, int ldc) { abort(); }
void dtk_gemm_tanh_backward(int M, int N, int K, const float *A, int lda, const float *packed, const float *h,
                            const float *zbar, float *dz, int ldc, float *biasGrad) { abort(); }
void dtk_gemm_tn_accumulate(int Mc, int N, int K, const float *A, int lda, const float *B, int ldb, float *C, int ldc,
                            int depth, int unroll) { abort(); }
#endif
