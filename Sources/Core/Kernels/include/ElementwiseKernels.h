#ifndef ELEMENTWISE_KERNELS_H
#define ELEMENTWISE_KERNELS_H
#include <stddef.h>

/* Elementwise float kernels for the tanh layers of NeuralNet, compiled for several instruction sets and chosen at load
   time (AVX-512, AVX2 or baseline x86-64). Floating-point contraction is off, so every variant gives the same bits. */

/* x[i] = tanh(x[i]) by the clamped rational approximation also used by the Swift `fastTanh`. */
void ek_tanh_inplace(float *x, size_t n);
/* out[i] = u[i] * (1 - h[i]^2): multiplies by tanh' given the activation output h. */
void ek_tanh_slope_product(float *out, const float *u, const float *h, size_t n);
/* zbar[i] = vbar[i] * u[i] * tanh''; ubar[i] = vbar[i] * tanh' (tanh' = 1 - h^2, tanh'' = -2 h tanh'). */
void ek_tanh_slope_adjoint(float *zbar, float *ubar, const float *vbar, const float *u, const float *h, size_t n);
/* dz[i] = dh[i] * tanh' + zbar[i]. */
void ek_tanh_slope_backward(float *dz, const float *dh, const float *zbar, const float *h, size_t n);

/* The module's other header (this one is its umbrella): products with fused epilogues for the tanh tiles. */
#include "DenseTileKernels.h"

#endif
