#!/bin/sh
# Prints the OpenBLAS kernel (OPENBLAS_CORETYPE value) to use on this CPU, or nothing to keep the library's choice.
#
# Debian's OpenBLAS 0.3.21 (DYNAMIC_ARCH) does not recognise newer Intel CPUs (e.g. family 6 model 207) and falls
# back to its SSE3 "Prescott" kernels, about 5x slower in sgemm. When the library reports such a generic core, pick the
# kernel from the CPU's feature flags instead: SkylakeX when avx512f, avx512bw, avx512dq and avx512vl are present,
# Haswell when avx2 and fma are. An OPENBLAS_CORETYPE already set in the environment is kept. Used by `make reports`,
# `make check` and `make bench`; `make test` keeps the library default.
set -eu
if [ -n "${OPENBLAS_CORETYPE:-}" ]; then echo "$OPENBLAS_CORETYPE"; exit 0; fi
flags=$(grep -m1 '^flags' /proc/cpuinfo 2>/dev/null || true)
has() { case " $flags " in *" $1 "*) return 0;; *) return 1;; esac; }
# The core the library picks by itself (python3 is needed only for this query; without it, trust the flags).
core=$(python3 -c 'import ctypes; l = ctypes.CDLL("libopenblas.so.0"); l.openblas_get_corename.restype = ctypes.c_char_p; print(l.openblas_get_corename().decode())' 2>/dev/null || echo unknown)
case "$core" in
  Prescott|Core2|Penryn|Dunnington|Nehalem|Atom|Generic|Katmai|Coppermine|Northwood|Banias|unknown) ;;
  *) exit 0 ;; # the library recognised the CPU
esac
if has avx512f && has avx512bw && has avx512dq && has avx512vl; then echo SKYLAKEX
elif has avx2 && has fma; then echo HASWELL
fi
