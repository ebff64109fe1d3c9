"""The exercise kinds: one class each (see `base.Kind`), registered by defining them.

Adding a kind is one new class (in a module imported here, or anywhere before content is
loaded) plus its data; nothing else in the package branches on a kind's name.
"""

from __future__ import annotations

from ...content import REGISTRY, Course, Keys, Spec
from ...content.kinds import pool_owner
from ..model import Exercise, Key
from .base import Kind
from .pooled import PolaritySorting, PoolKind, RoleMatching
from .questions import Choice, MultipleSelect, Quiz
from .weighing import PrincipleWeighing


def kind(name: str) -> type[Kind]:
    """The registered kind `name`."""
    return REGISTRY[name]  # type: ignore[return-value]


def pool_kind(pool: str) -> type[Kind]:
    """The registered kind that owns `pool` (KeyError if none does)."""
    return pool_owner(pool)  # type: ignore[return-value]


def build(course: Course, spec: Spec, learner: str | None = None,
          keys: Keys | None = None, attempt: int = 1) -> tuple[Exercise, Key]:
    """The public exercise for one learner's variant (at `attempt`), and the keys known for
    its items."""
    return kind(spec.kind).build(course, spec, learner, keys, attempt)


KINDS = REGISTRY

__all__ = ["KINDS", "Choice", "Kind", "MultipleSelect", "PolaritySorting", "PoolKind",
           "PrincipleWeighing", "Quiz", "RoleMatching", "build", "kind", "pool_kind"]
