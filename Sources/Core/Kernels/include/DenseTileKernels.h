#ifndef DENSE_TILE_KERNELS_H
#define DENSE_TILE_KERNELS_H
#include <stddef.h>

/* Row-major float products C (M × N) = A (M × K) · B (K × N) for the row tiles of a tanh MLP, with the elementwise
   step that follows each product done on the accumulators before they are stored ("epilogues"), so that the tile is
   written once instead of being re-read by separate passes. B is a weight matrix, packed once per call of the engine
   by `dtk_pack` into column panels of up to 48 columns (zero-padded to a multiple of 16, or to 8 for a last panel of
   at most 8 columns, which runs on 256-bit vectors). Each C element is one fused-multiply-add chain over
   k = 0 … K−1 from 0, as in OpenBLAS's SkylakeX sgemm kernel for K ≤ its block depth; the epilogues round like the
   ElementwiseKernels functions (no contraction). AVX-512 F and VL only: `dtk_available()` says whether the CPU has
   them; without them the functions must not be called. */

/* 1 when the CPU supports AVX-512 F and VL (the kernels may be called), else 0. */
int dtk_available(void);
/* A buffer of `count` floats aligned to 64 bytes (for `dtk_pack`), and its release. */
float *dtk_alloc(size_t count);
void dtk_free(float *p);
/* Floats needed to pack a K × N matrix. */
size_t dtk_packed_count(int K, int N);
/* Packs B (K × N, row stride ldb) or, with trans = 1, the transpose of B (B is then N × K, row stride ldb). */
void dtk_pack(const float *B, int ldb, int K, int N, int trans, float *packed);

/* C = A · B. */
void dtk_gemm(int M, int N, int K, const float *A, int lda, const float *packed, float *C, int ldc);
/* H = tanh(A · B + bias) (bias of length N, broadcast over rows; the Swift fastTanh approximation). */
void dtk_gemm_bias_tanh(int M, int N, int K, const float *A, int lda, const float *packed, const float *bias,
                        float *H, int ldc);
/* U = A · B; V = U ⊙ (1 − h²) (h, U, V: M × N with row stride ldc). */
void dtk_gemm_tanh_slope(int M, int N, int K, const float *A, int lda, const float *packed, const float *h,
                         float *U, float *V, int ldc);
/* v̄ = A · B; zbar = v̄ ⊙ u ⊙ tanh″ and ubar = v̄ ⊙ tanh′ (tanh′ = 1 − h², tanh″ = −2h tanh′). */
void dtk_gemm_tanh_adjoint(int M, int N, int K, const float *A, int lda, const float *packed, const float *u,
                           const float *h, float *zbar, float *ubar, int ldc);
/* δh = A · B; dz = δh ⊙ (1 − h²) + zbar; biasGrad[j] += dz[i][j] for i = 0 … M−1 in order. */
void dtk_gemm_tanh_backward(int M, int N, int K, const float *A, int lda, const float *packed, const float *h,
                            const float *zbar, float *dz, int ldc, float *biasGrad);
/* C (Mc × N) += Aᵀ · B for A (K × Mc) and B (K × N), both unpacked and row-major: the weight gradient summed over
   the K rows of a tile. The sum over k runs in blocks, each one chain per element added to C: with depth ≤ 0 one
   block; else blocks of `depth` rows while at least 2·depth remain, then the rest in two halves rounded up to
   `unroll` if longer than `depth` (OpenBLAS 0.3.21's level-3 driver, whose SkylakeX sgemm has depth 448, unroll 16,
   and which takes a single-chain small-matrix kernel when Mc·N·K ≤ 10⁶). */
void dtk_gemm_tn_accumulate(int Mc, int N, int K, const float *A, int lda, const float *B, int ldb, float *C, int ldc,
                            int depth, int unroll);

#endif
