"""Peer benchmark for the Retina module at equal M: the best hard clustering of the states x of a joint P(x, y), y binary,
into at most M clusters, for M = 1..MMAX, by two implementations other than ours.

1. embo (PyPI) deterministic information bottleneck (alpha = 0) with its bottleneck size fixed to M, run at every beta of
   a geometric grid 10^0 ... 10^5 (embo is allowed the beta it needs; the DIB tends to the hard IB at fixed M as beta
   grows), 3 restarts and 100 iterations each, as embo's own defaults; the best I(M;Y) over the grid is kept.
2. A numpy port of our own algorithm (Sources/Core/Retina/HardBottleneck.swift, `HardBottleneck.cluster`): Eqs (4)-(7) of
   the retina paper iterated to a fixed point, best of an equal-mass contiguous start, 2 random starts and a warm start
   from the M-1 solution (its cluster of largest entropy mass split at its median). The reassignment is the vectorised
   O(nM) argmin over clusters (numpy's natural form) instead of our O(n + M) monotone sweep.

Usage: retina_ib_equal_m.py PXY.txt MMAX REPEATS
Prints one JSON line: {"m": [...], "embo_bits": [...], "embo_s": total seconds (best of REPEATS), "embo_s_per_m": [...],
"numpy_bits": [...], "numpy_s": seconds for the whole curve M = 1..MMAX (best of REPEATS), "embo": version}.
"""
import json, sys, time
import numpy as np

pxy = np.loadtxt(sys.argv[1])
mmax = int(sys.argv[2])
repeats = int(sys.argv[3])
n0, n1 = pxy[:, 0].copy(), pxy[:, 1].copy()
q = n1 / (n0 + n1)
order = np.lexsort((np.arange(q.size), q))


def information(a, m):
    """Plug-in I(Y; cluster) in bits."""
    c0 = np.bincount(a, weights=n0, minlength=m)
    c1 = np.bincount(a, weights=n1, minlength=m)
    t = c0 + c1
    tot = t.sum()
    p1 = c1.sum() / tot

    def h(p):
        p = np.clip(p, 1e-300, 1)
        return -p * np.log2(p)
    hy = h(p1) + h(1 - p1)
    nz = t > 0
    r = c1[nz] / t[nz]
    return max(0.0, hy - float(np.sum(t[nz] / tot * (h(r) + h(1 - r)))))


def iterate(a, m, max_iter=500):
    n = a.size
    rows = np.arange(n)
    for _ in range(max_iter):
        c0 = np.bincount(a, weights=n0, minlength=m)
        c1 = np.bincount(a, weights=n1, minlength=m)
        t = c0 + c1
        active = t > 0
        tt = np.where(active, t, 1.0)
        la = np.log(np.maximum(c1, 1e-300) / tt)
        lb = np.log(np.maximum(c0, 1e-300) / tt)
        score = np.outer(q, la) + np.outer(1 - q, lb)
        score[:, ~active] = -np.inf
        best = np.argmax(score, axis=1)
        move = (best != a) & (score[rows, best] > score[rows, a])
        if not move.any():
            return a
        a = np.where(move, best, a)
    return a


def cluster(m, rng, warm=None, restarts=3):
    n = q.size
    if n <= m:
        return np.arange(n), information(np.arange(n), n)
    best, best_i = None, -1.0
    starts = restarts + (0 if warm is None else 1)
    for r in range(starts):
        if warm is not None and r == restarts:
            a = np.minimum(warm, m - 1).copy()
            c0 = np.bincount(a, weights=n0, minlength=m)
            c1 = np.bincount(a, weights=n1, minlength=m)
            t = c0 + c1
            with np.errstate(divide="ignore", invalid="ignore"):
                r1 = np.where(t > 0, c1 / np.where(t > 0, t, 1), 0.5)
                hm = -t * (np.nan_to_num(r1 * np.log(r1)) + np.nan_to_num((1 - r1) * np.log(1 - r1)))
            worst = int(np.argmax(hm))
            members = order[a[order] == worst]
            acc = np.cumsum(n0[members] + n1[members])
            a[members[acc > t[worst] / 2]] = m - 1
        elif r == 0:
            w = (n0 + n1)[order]
            acc = np.cumsum(w) - w
            a = np.empty(n, dtype=np.int64)
            a[order] = np.minimum(m - 1, ((acc + w / 2) / w.sum() * m).astype(np.int64))
        else:
            a = rng.integers(0, m, size=n)
        a = iterate(a, m)
        info = information(a, m)
        if info > best_i + 1e-13:
            best, best_i = a, info
    return best, best_i


ms = list(range(1, mmax + 1))

# numpy port of our algorithm: the whole curve with warm starts, best time of REPEATS.
numpy_s, numpy_bits = float("inf"), []
for rep in range(repeats):
    rng = np.random.default_rng(rep)
    t0 = time.perf_counter()
    prev, bits = None, []
    for m in ms:
        a, i = cluster(m, rng, warm=prev)
        prev, bits = a, bits + [i]
    numpy_s = min(numpy_s, time.perf_counter() - t0)
    numpy_bits = bits

# embo at equal M.
import embo
from embo import InformationBottleneck
px = pxy.sum(axis=1)
py = pxy.sum(axis=0)
pyx_c = pxy.T / px
betas = np.geomspace(1.0, 1e5, 11)
embo_s, embo_bits, embo_s_per_m = float("inf"), [], []
for rep in range(repeats):
    np.random.seed(rep)
    bits, per_m = [], []
    t0 = time.perf_counter()
    for m in ms:
        tm = time.perf_counter()
        best = 0.0
        for b in betas:
            _, iy, _, _ = InformationBottleneck.beta_iter(0, b, px, py, pyx_c, m, 3, 100)
            best = max(best, float(iy))
        bits.append(best)
        per_m.append(time.perf_counter() - tm)
    total = time.perf_counter() - t0
    if total < embo_s:
        embo_s, embo_bits, embo_s_per_m = total, bits, per_m

version = getattr(embo, "__version__", None)
if version is None:
    try:
        from importlib.metadata import version as v
        version = v("embo")
    except Exception:
        version = "?"
print(json.dumps({"m": ms, "embo_bits": embo_bits, "embo_s": embo_s, "embo_s_per_m": embo_s_per_m,
                  "numpy_bits": numpy_bits, "numpy_s": numpy_s, "embo": version, "betas": len(betas)}))
