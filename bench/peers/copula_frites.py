"""Peer benchmark: Gaussian-copula MI I(x0,x1; x2,x3) and total correlation of 4 variables with frites' gcmi
(frites.core: copnorm_nd, mi_1d_gg, ent_1d_g; no bias correction, as ours). The copula transform is done once and
shared by MI and TC, as in ours. Usage: copula_frites.py DATA.f64 N D REPEATS, DATA.f64 = N x D float64, row-major.
Prints one JSON line: the per-call times of REPEATS calls and the values in bits."""
import json, sys, time
import numpy as np
import frites
from frites.core import copnorm_nd, mi_1d_gg, ent_1d_g

path, n, d, repeats = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
x = np.fromfile(path, dtype=np.float64).reshape(n, d).T.copy()  # frites: (variables, trials)

def mi_tc(x):
    c = copnorm_nd(x, axis=1)
    mi = mi_1d_gg(c[:2], c[2:], biascorrect=False, demeaned=True)
    tc = sum(ent_1d_g(c[i:i + 1], biascorrect=False) for i in range(d)) - ent_1d_g(c, biascorrect=False)
    return float(mi), float(tc)

times = []
for _ in range(repeats):
    t0 = time.perf_counter()
    mi, tc = mi_tc(x)
    times.append(time.perf_counter() - t0)
print(json.dumps({"seconds": times, "mi_bits": mi, "tc_bits": tc, "frites": frites.__version__,
                  "numpy": np.__version__}))
