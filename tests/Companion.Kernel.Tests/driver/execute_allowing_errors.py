"""Executes a notebook top to bottom in its own kernelspec's kernel with nbclient, keeping going past errors.

Usage: execute_allowing_errors.py SOURCE.ipynb EXECUTED.ipynb WORKING_DIRECTORY CELL_TIMEOUT_SECONDS
The kernel starts in WORKING_DIRECTORY (where the notebook's relative paths resolve); every cell runs, a failing one
keeps its error output, and the executed notebook is written to EXECUTED.ipynb.
"""
import sys

import nbformat
from nbclient import NotebookClient

source, executed, cwd, timeout = sys.argv[1:5]
nb = nbformat.read(source, as_version=4)
NotebookClient(nb, timeout=int(timeout), allow_errors=True, resources={"metadata": {"path": cwd}}).execute()
nbformat.write(nb, executed)
