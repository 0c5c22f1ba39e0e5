#!/usr/bin/python3
"""Runs `jupyter nbconvert --to notebook --execute --allow-errors` over notebooks with two Jupyter kernels, the
project's (companion-csharp) and .NET Interactive's own (.net-csharp from `dotnet interactive jupyter install`, the
local tool in .config/dotnet-tools.json), and prints per notebook: time, code cells, cells with an error output, and the
first error of each kernel. Source notebooks are never written (outputs go to a temporary folder).

usage: /usr/bin/python3 bench/kernel/compare_kernels.py [NOTEBOOK_OR_FOLDER ...]   (default: notebooks/)
Needs `dotnet tool restore` (for .NET Interactive) and the kernel built (dotnet build -c Release lib/Companion.Kernel).
"""
import glob, json, os, subprocess, sys, tempfile, time

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), '..', '..'))
CELL_TIMEOUT = 600


def install_kernels(root):
    ours = os.path.join(root, 'companion')
    dll = os.path.join(REPO, 'lib', 'Companion.Kernel', 'bin', 'Release', 'net10.0', 'companion-kernel.dll')
    subprocess.run(['dotnet', dll, 'install', '--prefix', ours, '--no-alias'], check=True, stdout=subprocess.DEVNULL)
    theirs = os.path.join(root, 'dotnet-interactive')
    kernels = os.path.join(theirs, 'share', 'jupyter', 'kernels')
    os.makedirs(kernels)
    r = subprocess.run(['dotnet', 'interactive', 'jupyter', 'install', '--path', kernels], cwd=REPO,
                       capture_output=True, text=True)
    if r.returncode != 0 or not os.path.exists(os.path.join(kernels, '.net-csharp', 'kernel.json')):
        print(f'.NET Interactive kernel not installed (run `dotnet tool restore`): {r.stdout}{r.stderr}', file=sys.stderr)
        theirs = None
    return [('companion-csharp', ours), ('.net-csharp', theirs)]


def run(kernel, prefix, notebook, out):
    env = dict(os.environ, JUPYTER_PATH=os.path.join(prefix, 'share', 'jupyter'))
    t = time.perf_counter()
    r = subprocess.run(['/usr/bin/python3', '-m', 'nbconvert', '--to', 'notebook', '--execute', '--allow-errors',
                        f'--ExecutePreprocessor.timeout={CELL_TIMEOUT}', f'--ExecutePreprocessor.kernel_name={kernel}',
                        '--output-dir', out, notebook], env=env, capture_output=True, text=True)
    seconds = time.perf_counter() - t
    executed = os.path.join(out, os.path.basename(notebook))
    if r.returncode != 0 or not os.path.exists(executed):
        return {'seconds': seconds, 'cells': 0, 'errors': -1, 'first': (r.stderr.strip().splitlines() or ['?'])[-1]}
    nb = json.load(open(executed))
    code = [c for c in nb['cells'] if c['cell_type'] == 'code']
    errors = [(i + 1, o) for i, c in enumerate(code) for o in c.get('outputs', []) if o['output_type'] == 'error']
    first = f'code cell {errors[0][0]}: {errors[0][1]["ename"]}: {errors[0][1]["evalue"].splitlines()[0][:100]}' if errors else ''
    return {'seconds': seconds, 'cells': len(code), 'errors': len({i for i, _ in errors}), 'first': first}


def main():
    targets = sys.argv[1:] or [os.path.join(REPO, 'notebooks')]
    notebooks = sorted(n for t in targets for n in ([t] if t.endswith('.ipynb') else
                                                       glob.glob(os.path.join(t, '**', '*.ipynb'), recursive=True)))
    root = tempfile.mkdtemp(prefix='kernel-compare-')
    kernels = install_kernels(root)
    results = {}
    for kernel, prefix in kernels:
        if prefix is None:
            continue
        for nb in notebooks:
            out = os.path.join(root, 'out', kernel, os.path.relpath(os.path.dirname(nb), REPO))
            results[(kernel, nb)] = run(kernel, prefix, nb, out)
            r = results[(kernel, nb)]
            print(f'{kernel:18} {os.path.relpath(nb, REPO):60} {r["seconds"]:6.1f} s  {r["errors"]:>2} error cell(s) '
                  f'of {r["cells"]}  {r["first"]}', flush=True)
    print(f'\n{"notebook":60} {"companion-csharp":>22} {".net-csharp (.NET Interactive 1.0.712001)":>44}')
    for nb in notebooks:
        cells = []
        for kernel, prefix in kernels:
            r = results.get((kernel, nb))
            cells.append('not run' if r is None else f'{r["seconds"]:.1f} s, {r["errors"]} errors / {r["cells"]} cells')
        print(f'{os.path.relpath(nb, REPO):60} {cells[0]:>22} {cells[1]:>44}')
    return 0


if __name__ == '__main__':
    sys.exit(main())
