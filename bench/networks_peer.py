"""PyTorch peer of bench/Companion.Networks.Bench: the same models and loops, timed the same way.

Run with Debian's python3 (python3-torch): /usr/bin/python3 bench/networks_peer.py THREADS NAMES_FOLDER
Prints one line per measurement: "<name> <milliseconds>".
"""
import os, sys, time, random
import torch

threads = int(sys.argv[1]); folder = sys.argv[2] if len(sys.argv) > 2 else ""
torch.set_num_threads(threads)
torch.manual_seed(0)

# Q1 RNN: hidden 32, T = 50, batch 64, Adam (lr 1e-2), the step-by-step layer h_t = tanh(Wh h + Wx x + b), head Wf h + bf.
H, T, B, N = 32, 50, 64, 1024
bound = 1 / H ** 0.5
Wh = torch.nn.Parameter(torch.empty(H, H).uniform_(-bound, bound))
Wx = torch.nn.Parameter(torch.empty(H, 1).uniform_(-bound, bound))
b = torch.nn.Parameter(torch.empty(H).uniform_(-bound, bound))
head = torch.nn.Linear(H, 1)
opt = torch.optim.Adam([Wh, Wx, b, *head.parameters()], 1e-2)
x = torch.rand(N, T, 1); y = x.cumsum(1) / torch.arange(1, T + 1, dtype=torch.float32).reshape(1, T, 1)
order = torch.randperm(N); cursor = 0
def rnn_step():
    global order, cursor
    if cursor + B > N: order = torch.randperm(N); cursor = 0
    idx = order[cursor:cursor + B]; cursor += B
    xb, yb = x[idx], y[idx]
    h = torch.zeros(B, H); hs = []
    inputs = xb @ Wx.t() + b; whT = Wh.t()  # the input terms of every step at once, as RnnLayer.Steps does
    for t in range(T):
        h = torch.tanh(h @ whT + inputs[:, t, :]); hs.append(h)
    opt.zero_grad()
    loss = ((head(torch.stack(hs, 1)) - yb) ** 2).mean()
    loss.backward(); opt.step()
    return loss.item()
for _ in range(10): rnn_step()
t0 = time.perf_counter()
for _ in range(100): rnn_step()
print(f"rnn_step_ms {(time.perf_counter() - t0) * 10:.3f}", flush=True)

# Q2 names classifier: embedding 32 -> nn.RNN(tanh, 128) -> linear(18) on the state after the last character;
# distinct (name, language) pairs, 80 % for training, shuffled batches of 64 padded to their longest name, Adam 3e-3.
if folder and os.path.isdir(folder):
    langs = sorted(f[:-4] for f in os.listdir(folder) if f.endswith(".txt"))
    pairs = sorted({(l.rstrip(), k) for k, lang in enumerate(langs)
                    for l in open(os.path.join(folder, lang + ".txt"), encoding="utf-8") if l.strip()})
    random.seed(0); random.shuffle(pairs)
    train = pairs[: int(0.8 * len(pairs))]
    chars = sorted({c for n, _ in train for c in n}); index = {c: i + 2 for i, c in enumerate(chars)}
    class Net(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.embed = torch.nn.Embedding(len(chars) + 2, 32, padding_idx=0)
            self.rnn = torch.nn.RNN(32, 128, batch_first=True)
            self.out = torch.nn.Linear(128, len(langs))
        def forward(self, idx, lengths):
            states, _ = self.rnn(self.embed(idx))
            return self.out(states[torch.arange(idx.shape[0]), lengths - 1])
    net = Net(); opt2 = torch.optim.Adam(net.parameters(), 3e-3)
    def epoch():
        random.shuffle(train)
        for s in range(0, len(train), 64):
            batch = train[s:s + 64]
            enc = [[index.get(c, 1) for c in n] for n, _ in batch]
            width = max(len(e) for e in enc)
            idx = torch.tensor([e + [0] * (width - len(e)) for e in enc])
            lengths = torch.tensor([len(e) for e in enc]); target = torch.tensor([k for _, k in batch])
            opt2.zero_grad()
            loss = torch.nn.functional.cross_entropy(net(idx, lengths), target)
            loss.backward(); opt2.step()
    epoch()
    t0 = time.perf_counter(); epoch()
    print(f"names_epoch_ms {(time.perf_counter() - t0) * 1000:.1f}", flush=True)
