"""A Sphinx extension (listed in _config.yml): every page of the book loads the exercise
front end, written into the build's _static as a classic script and a style sheet."""

from __future__ import annotations

from pathlib import Path

from . import frontend


def _write(app, exception) -> None:
    if exception is not None or app.builder.format != "html":
        return
    static = Path(app.outdir) / "_static"
    static.mkdir(parents=True, exist_ok=True)
    (static / frontend.SCRIPT).write_text(frontend.classic(), encoding="utf-8")
    (static / frontend.STYLE).write_text(frontend.css(), encoding="utf-8")


def setup(app):
    app.add_js_file(frontend.SCRIPT)
    app.add_css_file(frontend.STYLE)
    app.connect("build-finished", _write)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
