"""A small, deterministic, well-regularised classifier in numpy: nearest shrunken centroids
(Tibshirani et al., PNAS 2002) on standardised features, and its leave-one-out scores.

Each class centroid is pulled towards the overall mean, feature by feature, by `SHRINK`
standard errors: a feature that does not separate the classes drops out, and with no
feature left every class scores its prior alone, so a pool without a cue is predicted by
the best constant guess (chance) instead of by noise. Few items and many features: the
shrinkage keeps it honest."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

#: How many standard errors each class centroid is shrunk towards the overall mean.
SHRINK = 2.5


@dataclass(frozen=True)
class Centroids:
    centroids: np.ndarray  # classes x features, shrunk
    scale: np.ndarray  # per feature: pooled within-class sd plus its median
    log_prior: np.ndarray  # per class
    shrunk: np.ndarray  # classes x features: the shrunk standardised differences

    def scores(self, x: np.ndarray) -> np.ndarray:
        """Rows x classes: higher is closer (minus the standardised squared distance to each
        centroid, plus twice the log prior)."""
        distance = (((x[:, None, :] - self.centroids[None]) / self.scale) ** 2).sum(axis=2)
        return 2 * self.log_prior - distance


def fit(x: np.ndarray, y: np.ndarray, prior: np.ndarray | None = None,
        shrink: float = SHRINK) -> Centroids:
    """Shrunken centroids of features `x` (rows x features) for class memberships `y`
    (rows x classes, each row summing to 1: an item keyed to two classes counts half in
    each). `prior`: the class shares (default: those of `y`)."""
    size = y.sum(axis=0)
    n = len(x)
    mean = x.mean(axis=0)
    centroids = (y.T @ x) / np.maximum(size, 1e-12)[:, None]
    residual = x[:, None, :] - centroids[None]
    within = (y[:, :, None] * residual ** 2).sum(axis=(0, 1)) / max(n - int((size > 0).sum()), 1)
    sd = np.sqrt(within)
    scale = sd + (np.median(sd[sd > 0]) if (sd > 0).any() else 1.0)
    error = np.sqrt(np.maximum(1 / np.maximum(size, 1e-12) - 1 / n, 1e-12))[:, None]
    d = (centroids - mean) / (error * scale)
    d = np.sign(d) * np.maximum(np.abs(d) - shrink, 0)
    prior = size / n if prior is None else prior
    return Centroids(mean + error * scale * d, scale, np.log(np.maximum(prior, 1e-12)), d)


def leave_one_out(x: np.ndarray, y: np.ndarray, groups: np.ndarray | None = None,
                  shrink: float = SHRINK) -> np.ndarray:
    """The scores of every row by centroids fitted without its group (default: without the
    row itself). The prior is the whole pool's, as for chance: holding one item out must
    not tilt the guess against its own class."""
    groups = np.arange(len(x)) if groups is None else groups
    prior = y.mean(axis=0)
    out = np.zeros((len(x), y.shape[1]))
    for g in np.unique(groups):
        held = groups == g
        out[held] = fit(x[~held], y[~held], prior, shrink).scores(x[held])
    return out
