"""The report's plots as PNG bytes: matplotlib figures drawn off-screen (Agg), no pyplot state."""

from __future__ import annotations

import io
import math
from collections.abc import Mapping

import matplotlib

matplotlib.use("Agg")

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from .stats import LOW_DISCRIMINATION, TOO_EASY, TOO_HARD  # noqa: E402

DPI = 110
INK, ACCENT, WARN = "#1f4e79", "#d95f02", "#7570b3"
#: Titles sit at the top of their axes: given, the place spares matplotlib a search of the
#: axes' decorations for it at every draw (none of these axes has any above).
TITLE_Y = 1.0


def png(figure: Figure, tight: bool = True) -> bytes:
    """The figure as PNG bytes (without a timestamp, so the bytes are reproducible), cropped
    or grown to what it shows; `tight=False` keeps the figure's size, for a figure laid out
    by `fixed_margins` (the tight box costs a second layout of the whole figure)."""
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=DPI, bbox_inches="tight" if tight else None,
                   metadata={"Software": None})
    return buffer.getvalue()


def fixed_margins(axes_size: tuple[float, float], left: float, right: float, top: float,
                  bottom: float) -> Figure:
    """A figure with one axes of `axes_size` (inches) and fixed margins (inches) around it
    for the labels, title and legend."""
    width, height = left + axes_size[0] + right, bottom + axes_size[1] + top
    figure = Figure(figsize=(width, height))
    figure.subplots_adjust(left=left / width, right=1 - right / width,
                           bottom=bottom / height, top=1 - top / height)
    return figure


def score_histogram(scores: pd.Series, max_score: float, pass_mark: float | None,
                    title: str) -> bytes:
    """A histogram of one assignment's scores with the pass mark (if one applies) as a
    dashed line."""
    figure = fixed_margins((4.65, 2.45), left=0.8, right=0.2, top=0.35, bottom=0.55)
    axes = figure.add_subplot()
    values = pd.to_numeric(scores, errors="coerce").dropna().to_numpy(dtype=float)
    top = max(float(max_score), float(values.max()) if len(values) else 0.0, 1.0)
    integral = top <= 40 and np.allclose(values, np.round(values))
    bins = np.arange(-0.5, top + 1.5) if integral else np.linspace(0, top, 21)
    axes.hist(values, bins=bins, color=INK, edgecolor="white")
    if pass_mark is not None:
        # with one bar per integer score, the line sits left of the first passing bar
        line = math.ceil(pass_mark - 1e-9) - 0.5 if integral else pass_mark
        axes.axvline(line, color=ACCENT, linestyle="--", linewidth=2,
                     label=f"pass mark ({pass_mark:g})")
    axes.set_xlim(-0.5 if integral else 0, top + (0.5 if integral else 0))
    axes.set_xlabel(f"score (of {max_score:g})")
    axes.set_ylabel("learners")
    axes.set_title(title, y=TITLE_Y, wrap=True)
    axes.yaxis.get_major_locator().set_params(integer=True)
    if pass_mark is not None:
        axes.legend(loc="upper left", frameon=False)
    return png(figure, tight=False)


def item_map(
    stats: pd.DataFrame,
    title: str,
    too_easy: float = TOO_EASY,
    too_hard: float = TOO_HARD,
    low_discrimination: float = LOW_DISCRIMINATION,
) -> bytes:
    """Facility against discrimination for one assignment's items; flagged items are drawn
    as labelled triangles (left of the easier ones, so the labels stay in the figure), the
    thresholds as dotted lines."""
    figure = fixed_margins((4.65, 3.1), left=0.8, right=1.2, top=0.35, bottom=0.55)
    axes = figure.add_subplot()
    rows = stats.dropna(subset=["discrimination"])
    flagged = rows["flags"].astype(str) != "" if "flags" in rows else pd.Series(False, rows.index)
    ok, bad = rows[~flagged], rows[flagged]
    axes.scatter(ok["facility"], ok["discrimination"], color=INK, label="item", s=24)
    axes.scatter(bad["facility"], bad["discrimination"], color=ACCENT, marker="^", s=48,
                 label="flagged item")
    for _, row in bad.iterrows():
        left = row["facility"] > 0.5
        axes.annotate(str(row["item"]), (row["facility"], row["discrimination"]), fontsize=7,
                      xytext=(-4 if left else 4, 2), textcoords="offset points",
                      ha="right" if left else "left")
    for x in (too_hard, too_easy):
        axes.axvline(x, color="grey", linestyle=":", linewidth=1)
    axes.axhline(low_discrimination, color="grey", linestyle=":", linewidth=1)
    axes.axhline(0, color="black", linewidth=0.6)
    axes.set_xlim(-0.02, 1.02)
    low = min(-0.2, float(rows["discrimination"].min()) - 0.05) if len(rows) else -0.2
    axes.set_ylim(low, 1.0)
    axes.set_xlabel("facility (mean points / maximum)")
    axes.set_ylabel("discrimination (corrected item-total r)")
    axes.set_title(title, y=TITLE_Y, wrap=True)
    axes.legend(loc="upper left", bbox_to_anchor=(1.01, 1), frameon=False, fontsize=8)
    return png(figure, tight=False)


def confusion_heatmap(confusion: pd.DataFrame, names: Mapping[str, str] | None = None) -> bytes:
    """Keyed role (rows) × picked role (columns): colour shows the wrong picks only; every cell
    is annotated with its count (the diagonal, the correct picks, is grey)."""
    names = dict(names or {})
    counts = confusion.to_numpy(dtype=float)
    size = max(len(confusion.columns), 1)
    figure = Figure(figsize=(2.2 + 0.75 * size, 1.6 + 0.6 * max(len(confusion.index), 1)))
    axes = figure.add_subplot()
    diagonal = np.array([[r == c for c in confusion.columns] for r in confusion.index],
                        dtype=bool).reshape(counts.shape)
    wrong = np.ma.masked_array(counts, mask=diagonal)
    axes.imshow(np.where(diagonal, 1.0, np.nan), cmap="Greys", vmin=0, vmax=4, aspect="auto")
    image = axes.imshow(wrong, cmap="viridis", aspect="auto",
                        vmin=0, vmax=max(float(wrong.max()) if wrong.count() else 0.0, 1.0))
    limit = float(image.get_clim()[1])
    for (r, c), value in np.ndenumerate(counts):
        dark_cell = not diagonal[r, c] and value < limit * 0.6  # viridis is dark when low
        axes.text(c, r, f"{value:g}", ha="center", va="center", fontsize=8,
                  color="white" if dark_cell else "black")
    axes.set_xticks(range(len(confusion.columns)),
                    [names.get(c, c) for c in confusion.columns], rotation=40, ha="right",
                    fontsize=8)
    axes.set_yticks(range(len(confusion.index)), [names.get(r, r) for r in confusion.index],
                    fontsize=8)
    axes.set_xlabel("role picked")
    axes.set_ylabel("keyed role")
    axes.set_title("Role matching: keyed role × role picked", y=TITLE_Y)
    figure.colorbar(image, ax=axes, label="wrong picks", shrink=0.8)
    return png(figure)
