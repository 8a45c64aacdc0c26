"""Peer benchmark for the InfoGeometry denoisers: the training loop of report 001's ring denoisers in PyTorch on the CPU.
Two MLPs with tanh, (3 + N)-64-64-1 (conditional) and 3-64-64-1 (unconditional), Glorot-uniform weights and zero biases,
Adam (lr 5e-3, cosine decay to 5 %), mean-squared error, batch 256, both trained every step, as in
Sources/Core/InfoGeometry/RingDenoiserEstimator.swift. The inputs are a fixed pool of 16 random batches cycled, so the
time is the networks' alone (ours is timed on the same kind of pool). Usage: geometry_torch.py STEPS NEURONS
Prints one JSON line: {"seconds": training time, "torch": version, "threads": n}."""
import json, math, os, sys, time
import torch
import torch.nn as nn

steps, neurons = int(sys.argv[1]), int(sys.argv[2])
torch.set_num_threads(int(os.environ.get("PEER_THREADS", "1")))
torch.manual_seed(0)
batch, hidden, lr0 = 256, 64, 5e-3


def mlp(inputs):
    layers = [nn.Linear(inputs, hidden), nn.Tanh(), nn.Linear(hidden, hidden), nn.Tanh(), nn.Linear(hidden, 1)]
    for l in layers:
        if isinstance(l, nn.Linear):
            nn.init.xavier_uniform_(l.weight); nn.init.zeros_(l.bias)
    return nn.Sequential(*layers)


cond, uncond = mlp(3 + neurons), mlp(3)
opt_c, opt_u = torch.optim.Adam(cond.parameters(), lr=lr0), torch.optim.Adam(uncond.parameters(), lr=lr0)
pool_c = [torch.randn(batch, 3 + neurons) for _ in range(16)]
pool_u = [c[:, :3].clone() for c in pool_c]
targets = [torch.randn(batch, 1) for _ in range(16)]
mse = nn.MSELoss()
start = time.perf_counter()
for step in range(steps):
    lr = lr0 * (0.05 + 0.95 * 0.5 * (1 + math.cos(math.pi * step / steps)))
    for o in (opt_c, opt_u):
        for g in o.param_groups:
            g["lr"] = lr
    k = step % 16
    loss = mse(cond(pool_c[k]), targets[k])
    opt_c.zero_grad(); loss.backward(); opt_c.step()
    loss = mse(uncond(pool_u[k]), targets[k])
    opt_u.zero_grad(); loss.backward(); opt_u.step()
elapsed = time.perf_counter() - start
print(json.dumps({"seconds": elapsed, "torch": torch.__version__, "threads": torch.get_num_threads()}))
