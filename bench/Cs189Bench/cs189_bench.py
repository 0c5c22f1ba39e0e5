"""PyTorch side of the CS189 HW7 benchmark, run by Program.cs with Debian's /usr/bin/python3 as a server, so the two
sides take turns on the same machine state: same model (CIFAR ResNet18, K. Liu's pytorch-cifar layout), batch,
optimiser and parity loop as the C# side.
usage: cs189_bench.py THREADS, then one command per line on stdin:
  resnet      one ResNet18 forward + backward + SGD step; prints "wall_s cpu_s"
  parity N    N parity-loop iterations; prints "wall_s cpu_s" per iteration
  version     prints torch.__version__"""
import sys, time
import torch, torch.nn as nn, torch.nn.functional as F

class BasicBlock(nn.Module):
    def __init__(self, cin, cout, stride):
        super().__init__()
        self.conv1 = nn.Conv2d(cin, cout, 3, stride, 1, bias=False); self.bn1 = nn.BatchNorm2d(cout)
        self.conv2 = nn.Conv2d(cout, cout, 3, 1, 1, bias=False); self.bn2 = nn.BatchNorm2d(cout)
        self.shortcut = nn.Sequential()
        if stride != 1 or cin != cout:
            self.shortcut = nn.Sequential(nn.Conv2d(cin, cout, 1, stride, bias=False), nn.BatchNorm2d(cout))
    def forward(self, x):
        out = F.relu(self.bn1(self.conv1(x)))
        return F.relu(self.bn2(self.conv2(out)) + self.shortcut(x))

class ResNet18(nn.Module):
    def __init__(self, classes=10):
        super().__init__()
        self.conv1 = nn.Conv2d(3, 64, 3, 1, 1, bias=False); self.bn1 = nn.BatchNorm2d(64)
        blocks, cin = [], 64
        for c, s in [(64, 1), (128, 2), (256, 2), (512, 2)]:
            blocks += [BasicBlock(cin, c, s), BasicBlock(c, c, 1)]; cin = c
        self.blocks = nn.Sequential(*blocks); self.linear = nn.Linear(512, classes)
    def forward(self, x):
        out = self.blocks(F.relu(self.bn1(self.conv1(x))))
        return self.linear(F.avg_pool2d(out, 4).flatten(1))

def timed(f, n=1):
    t, c = time.perf_counter(), time.process_time()
    for _ in range(n): f()
    return (time.perf_counter() - t) / n, (time.process_time() - c) / n

def main(threads):
    torch.set_num_threads(threads); torch.manual_seed(0)
    model = ResNet18(); opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9, weight_decay=5e-4)
    x = torch.randn(128, 3, 32, 32); y = torch.randint(0, 10, (128,))
    def step():
        opt.zero_grad(); loss = F.cross_entropy(model(x), y); loss.backward(); opt.step()
    d, k, n = 30, 300, 1000
    mlp = nn.Sequential(nn.Linear(d, k), nn.ReLU(), nn.Linear(k, 1)).double()
    xs = torch.randint(0, 2, (n, d)).double(); v = torch.randint(0, 2, (d,)).double()
    ys = 1 - 2 * ((xs @ v) % 2)
    popt = torch.optim.SGD(mlp.parameters(), lr=0.05, momentum=0.9)
    def pstep():
        popt.zero_grad(); f = mlp(xs).squeeze(-1); loss = (1 - f * ys).clamp_min(0).mean(); loss.backward(); popt.step()
    step(); timed(pstep, 20)  # warm-up
    print("ready", flush=True)
    for line in sys.stdin:
        cmd = line.split()
        if not cmd: continue
        if cmd[0] == "resnet": w, c = timed(step)
        elif cmd[0] == "parity": w, c = timed(pstep, int(cmd[1]))
        elif cmd[0] == "version": print(torch.__version__, flush=True); continue
        else: print(f"unknown command {cmd[0]}", file=sys.stderr, flush=True); continue
        print(f"{w} {c}", flush=True)

if __name__ == "__main__":
    main(int(sys.argv[1]))
