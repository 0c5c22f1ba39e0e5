#!/usr/bin/python3
"""Benchmark of the project's Jupyter kernel against Python's ipykernel, measured the same way from jupyter_client.

Prints, for each kernel: start (process start to the first kernel_info reply, i.e. the first idle), first trivial
cell, the round trip of a trivial execute_request (median and p90 over --trivial runs of the same cell `1` sent back to
back right after the first cell, again after --pause seconds of idle time, as when a person reads before the next cell,
then of a new cell each time, `i + 1`: the C# kernel runs an unchanged re-run without compiling it), the first
cell's spread over --starts more fresh kernels (it races the C# kernel's worker start), and the memory (RSS of the
kernel and its child processes, i.e. the C# kernel's worker) before and after re-executing a typical chart cell
--chart-runs times, with the growth per execution; then the ratios.

usage: /usr/bin/python3 bench/kernel/bench_kernels.py [--trivial 200] [--chart-runs 500] [--pause 10] [--starts 5]
                                                     [--config 'LABEL:VAR=VALUE,VAR=VALUE' ...]
Builds the kernel (Release) and installs it into a temporary Jupyter prefix; ipykernel is Debian's python3-ipykernel.
Each --config runs the C# kernel once more with those environment variables (for the kernel and, inherited, its
worker: e.g. DOTNET_gcConcurrent=0, DOTNET_GCgen0size=0x400000, COMPANION_IDLE_WARMUP=0), one after the other in the
same run, so that levers are compared under the same load; the first column is the kernel as installed.
KERNEL_DIR=DIR in a config runs the kernel built in DIR instead (e.g. a ReadyToRun publish).
"""
import argparse, json, os, statistics, subprocess, sys, tempfile, time
from jupyter_client.manager import KernelManager

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), '..', '..'))
NOTEBOOK_DIR = os.path.join(REPO, 'notebooks', 'ift6135-generative-ssl')  # so #r "../../lib/..." resolves

# A typical chart cell of the notebooks (a 200-point line chart from the library), and Python's nearest peer (the same
# computation and a Plotly-like figure as JSON; the Debian machine has no plotting library for ipykernel).
CSHARP_SETUP = '#r "../../lib/Companion/bin/Companion.dll"\nusing Companion.Charts;'
CSHARP_CHART = ('var xs = Enumerable.Range(0, 200).Select(i => i / 20.0).ToArray();\n'
                'Plot.Lines("sin", "t", "sin t", new[] { new Series("sin", xs, xs.Select(Math.Sin).ToArray()) })')
PYTHON_SETUP = 'import math, json'
PYTHON_CHART = ('xs = [i / 20.0 for i in range(200)]\n'
                'from IPython.display import HTML\n'
                'HTML("<div>" + json.dumps({"data": [{"x": xs, "y": [math.sin(x) for x in xs]}]}) + "</div>")')


def rss_mb(pid):
    """RSS of one process, in MB (Linux /proc)."""
    try:
        with open(f'/proc/{pid}/status') as f:
            return next(int(l.split()[1]) for l in f if l.startswith('VmRSS:')) / 1024
    except (FileNotFoundError, ProcessLookupError):
        return 0.0


def rss_tree_mb(pid):
    """RSS of a process and all its descendants, in MB (Linux /proc)."""
    total, todo = 0, [pid]
    while todo:
        p = todo.pop()
        try:
            with open(f'/proc/{p}/status') as f:
                for line in f:
                    if line.startswith('VmRSS:'):
                        total += int(line.split()[1])
            for tid in os.listdir(f'/proc/{p}/task'):
                with open(f'/proc/{p}/task/{tid}/children') as f:
                    todo += [int(c) for c in f.read().split()]
        except (FileNotFoundError, ProcessLookupError):
            pass
    return total / 1024


def execute(kc, code, timeout=300):
    msg_id = kc.execute(code)
    while True:
        m = kc.get_iopub_msg(timeout=timeout)
        if m['parent_header'].get('msg_id') == msg_id and m['msg_type'] == 'status' \
                and m['content']['execution_state'] == 'idle':
            break
    while True:
        r = kc.get_shell_msg(timeout=timeout)
        if r['parent_header'].get('msg_id') == msg_id:
            if r['content']['status'] != 'ok':
                raise RuntimeError(f'{code!r}: {r["content"]}')
            return


def trivial_series(kc, runs, distinct=False):
    """Round trips of `runs` trivial execute_requests sent back to back, sorted (seconds): the same cell `1` again and
    again, or (distinct) a different one each time (`0 + 1`, `1 + 1`, ...), which the C# kernel must compile."""
    times = []
    for i in range(runs):
        t = time.perf_counter()
        execute(kc, f'{i} + 1' if distinct else '1')
        times.append(time.perf_counter() - t)
    return sorted(times)


def first_cells(name, starts, env=None):
    """First trivial cell after the kernel's first idle, over `starts` fresh kernels, sorted (seconds): it races the C#
    kernel's worker start, so one start says little."""
    times = []
    for _ in range(starts):
        km = KernelManager(kernel_name=name)
        km.start_kernel(cwd=NOTEBOOK_DIR, env={**os.environ, **(env or {})})
        kc = km.client()
        kc.start_channels()
        kc.wait_for_ready(timeout=300)
        t = time.perf_counter()
        execute(kc, '1')
        times.append(time.perf_counter() - t)
        kc.stop_channels()
        km.shutdown_kernel(now=True)
    return sorted(times)


def measure(name, setup, chart, trivial_runs, chart_runs, pause, env=None, starts=0):
    km = KernelManager(kernel_name=name)
    t0 = time.perf_counter()
    km.start_kernel(cwd=NOTEBOOK_DIR, env={**os.environ, **(env or {})})
    kc = km.client()
    kc.start_channels()
    kc.wait_for_ready(timeout=300)
    start = time.perf_counter() - t0
    t = time.perf_counter()
    execute(kc, '1')
    first = time.perf_counter() - t
    times = trivial_series(kc, trivial_runs)
    # A person reads before the next cell: measure again after a pause (the C# worker warms its compiler while idle).
    time.sleep(pause)
    rested = trivial_series(kc, trivial_runs)
    distinct = trivial_series(kc, trivial_runs, distinct=True)
    execute(kc, setup)
    execute(kc, chart)
    pid = km.provisioner.pid
    first_chart_rss, first_chart_kernel = rss_tree_mb(pid), rss_mb(pid)
    before, kernel_before = rss_tree_mb(pid), rss_mb(pid)
    time.sleep(pause)  # idle after the first chart: the C# worker's warm-up runs and returns its garbage
    rested_rss = rss_tree_mb(pid)
    execute(kc, chart)
    before, kernel_before = rss_tree_mb(pid), rss_mb(pid)
    t = time.perf_counter()
    for _ in range(chart_runs):
        execute(kc, chart)
    chart_time = (time.perf_counter() - t) / chart_runs
    after, kernel_after = rss_tree_mb(pid), rss_mb(pid)
    kc.stop_channels()
    km.shutdown_kernel(now=False)
    firsts = first_cells(name, starts, env) if starts else [first]
    return {'kernel': name, 'start_s': start, 'first_cell_s': first,
            'first_cell_min_s': firsts[0], 'first_cell_median_s': statistics.median(firsts), 'first_cell_max_s': firsts[-1],
            'trivial_median_ms': 1000 * statistics.median(times),
            'trivial_p90_ms': 1000 * times[int(0.9 * (len(times) - 1))],
            'rested_median_ms': 1000 * statistics.median(rested),
            'rested_p90_ms': 1000 * rested[int(0.9 * (len(rested) - 1))],
            'distinct_median_ms': 1000 * statistics.median(distinct),
            'distinct_p90_ms': 1000 * distinct[int(0.9 * (len(distinct) - 1))],
            'chart_cell_ms': 1000 * chart_time, 'rss_first_chart_mb': first_chart_rss, 'rss_first_chart_kernel_mb': first_chart_kernel,
            'rss_rested_mb': rested_rss, 'rss_before_mb': before, 'rss_after_mb': after,
            'growth_kb_per_exec': 1024 * (after - before) / chart_runs,
            'kernel_process_growth_kb_per_exec': 1024 * (kernel_after - kernel_before) / chart_runs}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--trivial', type=int, default=200)
    ap.add_argument('--chart-runs', type=int, default=500)
    ap.add_argument('--pause', type=float, default=10.0, help='seconds of reading time before the second trivial series')
    ap.add_argument('--starts', type=int, default=5, help='more fresh starts for the first cell\'s spread (0: none)')
    ap.add_argument('--json', help='also write the numbers to this file')
    ap.add_argument('--config', action='append', default=[],
                    help="another C# run with environment variables: 'LABEL:VAR=VALUE,VAR=VALUE'")
    a = ap.parse_args()
    subprocess.run(['dotnet', 'build', '-c', 'Release', '-v', 'q', '--nologo', os.path.join(REPO, 'lib', 'Companion.Kernel')],
                   check=True, stdout=subprocess.DEVNULL)
    prefix = tempfile.mkdtemp(prefix='kernel-bench-')
    dll = os.path.join(REPO, 'lib', 'Companion.Kernel', 'bin', 'Release', 'net10.0', 'companion-kernel.dll')
    subprocess.run(['dotnet', dll, 'install', '--prefix', prefix, '--no-alias'], check=True, stdout=subprocess.DEVNULL)
    os.environ['JUPYTER_PATH'] = os.path.join(prefix, 'share', 'jupyter')
    configs = [('C# (Companion)', {})]
    for c in a.config:
        label, _, assignments = c.partition(':')
        configs.append((label, dict(kv.split('=', 1) for kv in assignments.split(',') if kv)))
    # KERNEL_DIR=DIR in a config runs the kernel built there instead (e.g. a ReadyToRun publish), installed beside.
    names = []
    for i, (label, env) in enumerate(configs):
        names.append('companion-csharp')
        if 'KERNEL_DIR' in env:
            names[-1] = f'companion-csharp-{i}'
            subprocess.run(['dotnet', os.path.join(env.pop('KERNEL_DIR'), 'companion-kernel.dll'), 'install', '--prefix', prefix,
                            '--no-alias', '--name', names[-1]], check=True, stdout=subprocess.DEVNULL)
    load = [os.getloadavg()[0]]
    rows = []
    for name, (label, env) in zip(names, configs):
        rows.append(measure(name, CSHARP_SETUP, CSHARP_CHART, a.trivial, a.chart_runs, a.pause, env, a.starts))
        load.append(os.getloadavg()[0])
    py = measure('python3', PYTHON_SETUP, PYTHON_CHART, a.trivial, a.chart_runs, a.pause, starts=a.starts)
    load.append(os.getloadavg()[0])
    labels = [label for label, _ in configs]
    width = max(16, *(len(l) + 2 for l in labels))
    print(f'\n{"":38}' + ''.join(f'{l:>{width}}' for l in labels) + f'{"ipykernel":>12}{"ratio":>8}')
    for key, label, fmt in [('start_s', 'start to first idle (s)', '{:.2f}'),
                            ('first_cell_s', 'first trivial cell (s)', '{:.3f}'),
                            ('first_cell_min_s', f'  over {a.starts} more starts: min (s)', '{:.3f}'),
                            ('first_cell_median_s', f'  median (s)', '{:.3f}'),
                            ('first_cell_max_s', f'  max (s)', '{:.3f}'),
                            ('trivial_median_ms', f'trivial round trip, median (ms)', '{:.1f}'),
                            ('trivial_p90_ms', f'trivial round trip, p90 (ms)', '{:.1f}'),
                            ('rested_median_ms', f'  after {a.pause:g} s idle, median (ms)', '{:.1f}'),
                            ('rested_p90_ms', f'  after {a.pause:g} s idle, p90 (ms)', '{:.1f}'),
                            ('distinct_median_ms', '  a new cell each time, median (ms)', '{:.1f}'),
                            ('distinct_p90_ms', '  a new cell each time, p90 (ms)', '{:.1f}'),
                            ('chart_cell_ms', 'chart cell, mean (ms)', '{:.1f}'),
                            ('rss_first_chart_mb', 'RSS after the first chart (MB)', '{:.0f}'),
                            ('rss_first_chart_kernel_mb', '  of which the kernel process (MB)', '{:.0f}'),
                            ('rss_rested_mb', f'  after {a.pause:g} s idle (MB)', '{:.0f}'),
                            ('rss_before_mb', 'RSS before the chart runs (MB)', '{:.0f}'),
                            ('rss_after_mb', f'RSS after {a.chart_runs} chart runs (MB)', '{:.0f}'),
                            ('growth_kb_per_exec', 'growth per chart execution (KB)', '{:.1f}'),
                            ('kernel_process_growth_kb_per_exec', '  of which the kernel process (KB)', '{:.1f}')]:
        ratio = rows[0][key] / py[key] if py[key] else float('nan')
        print(f'{label:38}' + ''.join(f'{fmt.format(r[key]):>{width}}' for r in rows) + f'{fmt.format(py[key]):>12}{ratio:>8.1f}')
    print(f'(trivial: {a.trivial} runs; C# RSS counts the kernel process and its worker process; ratio: first column / ipykernel)')
    for label, env in configs[1:]:
        print(f'  {label}: ' + ' '.join(f'{k}={v}' for k, v in env.items()))
    print('load average (1 min) before, between and after the runs: ' + ', '.join(f'{x:.1f}' for x in load))
    if a.json:
        with open(a.json, 'w') as f:
            json.dump({'configs': [{'label': l, 'env': e} for l, e in configs], 'rows': rows + [py], 'load': load}, f, indent=1)


if __name__ == '__main__':
    sys.exit(main())
