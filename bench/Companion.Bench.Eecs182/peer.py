# Python peer of Program.cs: the same work on the same data, timed the same way (median of repeats).
import sys, time, json, numpy as np
from scipy.spatial.distance import cdist
import scipy.sparse.linalg as sl
def median_time(f, reps):
    ts = []
    for _ in range(reps):
        t = time.perf_counter(); f(); ts.append(time.perf_counter() - t)
    return float(np.median(ts))
mode = sys.argv[1]
if mode == "spectral":
    X = np.loadtxt(sys.argv[2], delimiter=",")
    def run():
        A = np.exp(-7.5 * cdist(X, X, "sqeuclidean")); d = A.sum(0); M = A / np.sqrt(np.outer(d, d))
        sl.eigsh(M, k=3, which="LA", v0=np.ones(len(X)))
    print(json.dumps({"seconds": median_time(run, int(sys.argv[3]))}))
else:
    import torch, gzip
    torch.manual_seed(0); torch.set_num_threads(int(sys.argv[4]))
    with gzip.open(sys.argv[2], "rb") as f: raw = f.read()
    x = torch.tensor(np.frombuffer(raw, np.uint8, offset=16).reshape(-1, 784).astype(np.float32) / 255)
    k, batch = int(sys.argv[3]), 64
    model = torch.nn.Sequential(torch.nn.Linear(784, k), torch.nn.Linear(k, 784))
    opt = torch.optim.Adam(model.parameters(), 3e-3)
    def epoch():
        perm = torch.randperm(len(x))
        for s in range(0, len(x), batch):
            xb = x[perm[s:s + batch]]
            opt.zero_grad(); loss = torch.nn.functional.mse_loss(model(xb), xb); loss.backward(); opt.step()
    epoch()  # warm-up
    print(json.dumps({"seconds": median_time(epoch, 3)}))
