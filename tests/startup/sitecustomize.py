"""Every Python process that the tests start (nbgrader, jupyter-server, JupyterHub,
jupyter-book, kernels) defers jsonschema's IRI grammar, as the `peaceops` command does
(`peaceops.cli.defer_iri_grammar`: the grammar is built only if an "iri" format is ever
checked, which nothing here does; about 1.3 s of CPU saved per process that imports nbformat,
behaviour unchanged). tests/conftest.py puts this folder first on PYTHONPATH, for the test
session only; the sitecustomize it hides, if any, then runs as it would have.

Python imports sitecustomize before it adds the script's folder or the working folder to
sys.path, so nothing of a learner's submission folder is imported here."""

import importlib.machinery
import importlib.util
import os
import sys


def _defer() -> None:
    """Defer the grammar, then forget the peaceops modules imported to do it, so that the
    process imports them afresh if it needs them (`python -m peaceops.cli` would otherwise
    warn that the module was already imported) and a kernel's modules stay its own."""
    before = set(sys.modules)
    try:
        from peaceops.cli import defer_iri_grammar
    except ImportError:  # a process without peaceops on its path: nothing to defer with
        return
    defer_iri_grammar()
    for name in set(sys.modules) - before:
        if name == "peaceops" or name.startswith("peaceops."):
            del sys.modules[name]


def _run_the_hidden_one() -> None:
    """The next sitecustomize on sys.path after this folder (none in a plain venv)."""
    here = os.path.dirname(os.path.abspath(__file__))
    paths = [os.path.abspath(p or os.curdir) for p in sys.path]
    if here not in paths:
        return
    spec = importlib.machinery.PathFinder.find_spec("sitecustomize",
                                                    sys.path[paths.index(here) + 1:])
    if spec is not None and spec.loader is not None:
        spec.loader.exec_module(importlib.util.module_from_spec(spec))


_defer()
_run_the_hidden_one()
