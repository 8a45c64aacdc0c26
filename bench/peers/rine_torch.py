"""Peer benchmark: one RINE training on a canonical task (UNQ, beta = 15 with the schedule) in PyTorch on the CPU, with
the setup of the paper's Appendix C.4 (two decoders 1-25-15-4 with batch norm and ReLU, SGD momentum 0.9,
lr 0.01*0.97^epoch, weight decay 0.005, batch 128, 30 epochs, 10 000 samples split 80/20).
Prints one JSON line with the training time and the test redundancy. Usage: rine_torch.py EPOCHS"""
import json, math, os, sys, time
import torch
import torch.nn as nn

epochs = int(sys.argv[1]) if len(sys.argv) > 1 else 30
torch.set_num_threads(int(os.environ.get("PEER_THREADS", "1")))  # Swift trains on one thread too
torch.manual_seed(0)
n = 10000
x1 = torch.randint(0, 2, (n, 1)).float()
x2 = torch.randint(0, 2, (n, 1)).float()
y = (2 * x1 + x2).long().squeeze(1)
perm = torch.randperm(n)
tr, te = perm[:8000], perm[8000:]

def net():
    return nn.Sequential(nn.Linear(1, 25), nn.BatchNorm1d(25), nn.ReLU(), nn.Linear(25, 15), nn.BatchNorm1d(15), nn.ReLU(),
                         nn.Linear(15, 4))

m1, m2 = net(), net()
opt = torch.optim.SGD(list(m1.parameters()) + list(m2.parameters()), lr=0.01, momentum=0.9, weight_decay=0.005)
ce = nn.CrossEntropyLoss()
start = time.perf_counter()
for epoch in range(epochs):
    for g in opt.param_groups:
        g["lr"] = 0.01 * 0.97 ** epoch
    beta = 15 * (1 - 0.97 ** epoch)
    m1.train(); m2.train()
    order = tr[torch.randperm(len(tr))]
    for i in range(0, len(order), 128):
        b = order[i:i + 128]
        if len(b) < 2:
            continue
        o1, o2 = m1(x1[b]), m2(x2[b])
        d = torch.mean(torch.abs(torch.softmax(o1, -1) - torch.softmax(o2, -1)))
        loss = 0.5 * (ce(o1, y[b]) + ce(o2, y[b])) + beta * d
        opt.zero_grad(); loss.backward(); opt.step()
elapsed = time.perf_counter() - start
m1.eval(); m2.eval()
with torch.no_grad():
    l = 0.5 * (ce(m1(x1[te]), y[te]) + ce(m2(x2[te]), y[te])).item() / math.log(2)
print(json.dumps({"seconds": elapsed, "redundancy_bits": 2 - l, "torch": torch.__version__, "threads": torch.get_num_threads()}))
