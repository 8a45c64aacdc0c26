"""Peer benchmark for the Retina module: the information-bottleneck curve of a fixed joint distribution P(x, y)
computed by the Python package embo (deterministic IB, alpha = 0). Usage: retina_embo.py PXY.txt REPEATS
PXY.txt holds one row per state x with P(x, y=0) and P(x, y=1). Prints one line: seconds (best of REPEATS), max I(T;Y) in bits, number of curve points."""
import sys, time
import numpy as np
from embo import InformationBottleneck

pxy = np.loadtxt(sys.argv[1])
repeats = int(sys.argv[2]) if len(sys.argv) > 2 else 3
times, best = [], 0.0
for r in range(repeats):
    t0 = time.perf_counter()
    ib = InformationBottleneck(pxy=pxy, alpha=0, numbeta=30, restarts=3, iterations=100, maxbeta=50)
    ix, iy, hm, beta = ib.get_bottleneck()
    times.append(time.perf_counter() - t0)
    best = float(np.max(iy))
# embo reports information in bits
print(f"{min(times):.6f} {best:.6f} {int(np.size(iy))}")
