"""Python peer of the autograder benchmark: the example assignment's questions in Python, each submission executed by
nbclient in its own ipykernel (what nbgrader and otter-grader do per submission), tests scored per cell.
usage: /usr/bin/python3 peer_nbclient.py COUNT JOBS   (prints one line of the benchmark table)"""
import sys, time
from multiprocessing import Pool

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

SOLUTION = {
    "q1": "def hinge(y, s):\n    return max(0.0, 1 - y * s)",
    "q2": "def step_decay(eta0, gamma, k, t):\n    return eta0 * gamma ** (t // k)",
}
STUDENT = {
    "q1": "def hinge(y, s):\n    raise NotImplementedError('q1')",
    "q2": "def step_decay(eta0, gamma, k, t):\n    return eta0",
}
PARTIAL_Q2 = "def step_decay(eta0, gamma, k, t):\n    return eta0 * gamma ** (t / k)"
BROKEN_Q1 = "def hinge(y, s):\n    return max(0.0, 1 - y * s"
TESTS = [
    ("q1", 1, "got = (hinge(1, 2), hinge(1, 0), hinge(-1, 0.5))\nassert got == (0, 1, 1.5), got"),
    ("q1", 2, "import random\nrng = random.Random(seed)\nh = 1e-6\nfor _ in range(100):\n    y = rng.choice([-1, 1]); s = 4 * rng.random() - 2\n"
              "    if abs(1 - y * s) < 1e-3: continue\n    fd = (hinge(y, s + h) - hinge(y, s - h)) / (2 * h)\n"
              "    exact = -y if y * s < 1 else 0\n    assert abs(fd - exact) <= 1e-6, (y, s, fd)"),
    ("q2", 1, "eta = [step_decay(1, 0.5, 10, t) for t in (9, 10, 25)]\nassert eta == [1, 0.5, 0.25], eta"),
    ("q2", 1, "for t in range(50):\n    assert abs(step_decay(0.1, 0.9, 7, t + 7) - 0.9 * step_decay(0.1, 0.9, 7, t)) <= 1e-15, t"),
]


def submission(i):
    code = dict(STUDENT if i % 4 == 1 else SOLUTION)
    if i % 4 == 2: code["q2"] = PARTIAL_Q2
    if i % 4 == 3: code["q1"] = BROKEN_Q1
    cells = [nbformat.v4.new_code_cell("seed = 7")]
    for q in ("q1", "q2"):
        cells.append(nbformat.v4.new_code_cell(code[q]))
        cells += [nbformat.v4.new_code_cell(src, metadata={"q": q, "points": p}) for (tq, p, src) in TESTS if tq == q]
    return nbformat.v4.new_notebook(cells=cells, metadata={"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}})


def grade(i):
    nb = submission(i)
    client = NotebookClient(nb, timeout=120, kernel_name="python3", allow_errors=True)
    client.execute()
    score = 0
    for c in nb.cells:
        if "points" in c.metadata and not any(o.get("output_type") == "error" for o in c.outputs):
            score += c.metadata["points"]
    return score


if __name__ == "__main__":
    count, jobs = int(sys.argv[1]), int(sys.argv[2])
    start = time.perf_counter()
    with Pool(jobs) as pool:
        scores = pool.map(grade, range(count), chunksize=1)
    wall = time.perf_counter() - start
    name = "Python peer (nbclient + ipykernel per notebook)"
    print(f"{name:<52} {jobs:5} {wall:6.1f} s {count / wall * 60:11.1f} {sum(scores) / len(scores):11.2f}")
