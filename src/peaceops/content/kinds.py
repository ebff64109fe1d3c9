"""The plug-in point of exercise kinds in the content layer.

An exercise kind is one class (see `peaceops.exercises.kinds`) that owns everything about
itself. Its content side is declared here: which pool it reads, which data file holds its
practice entries, and how an entry's public part, its key and a practice check are
validated. Defining a subclass with a `name` registers it; the loader looks kinds up in
`REGISTRY` and never branches on a kind's name.
"""

from __future__ import annotations

from typing import Any, ClassVar

from .errors import Say

REGISTRY: dict[str, type[ContentKind]] = {}


class ContentKind:
    """Content-side hooks of an exercise kind (every hook reports through `say`)."""

    name: ClassVar[str] = ""
    #: The pool of entries this kind's exercises are made of ("roles", "questions", ...).
    pool: ClassVar[str] = ""
    #: True for the one kind that reads its pool's section of the bank and keys files.
    owns_pool: ClassVar[bool] = False
    #: Where its practice entries live: a CSV table ("responsibilities") or a YAML file
    #: ("scenarios.yaml"); "" when it has none.
    practice_source: ClassVar[str] = ""

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if cls.__dict__.get("name"):
            REGISTRY[cls.name] = cls

    @classmethod
    def read_public(cls, entry: dict, context: dict[str, Any], say: Say) -> dict[str, Any]:
        """The public part of one entry of the pool (what learners see)."""
        raise NotImplementedError(f"kind '{cls.name}' reads no pool entries")

    @classmethod
    def read_key(cls, entry: dict, public: dict[str, Any], context: dict[str, Any],
                 say: Say) -> dict[str, Any]:
        """The key of one entry (from the keys file, or the practice entry itself)."""
        raise NotImplementedError(f"kind '{cls.name}' reads no keys")

    @classmethod
    def read_check(cls, entry: dict, context: dict[str, Any],
                   say: Say) -> tuple[dict[str, Any], list[tuple[dict, dict]]]:
        """A practice check of this kind: the Spec's fields, and any entries the check
        defines inline, as (public, key) pairs (e.g. a single question)."""
        say("kind", f"'{cls.name}' has no practice checks")
        return {}, []

    @classmethod
    def translate(cls, public: dict[str, Any], key: Any,
                  fields: dict[str, Any]) -> tuple[dict[str, Any], Any]:
        """An entry in another language: its public texts replaced by the translated
        `fields` (content.item_translations), its key (if any) by `translate_key`. What is
        keyed (ids, values, positions) never changes."""
        new = dict(public)
        for name, value in fields.items():
            if isinstance(new.get(name), str) and isinstance(value, str | int | float):
                new[name] = " ".join(str(value).split())
        if key is not None:
            key = cls.translate_key(dict(key), public, new, fields)
        return new, key

    @classmethod
    def translate_key(cls, key: dict[str, Any], english: dict[str, Any],
                      public: dict[str, Any], fields: dict[str, Any]) -> dict[str, Any]:
        """A key for the translated entry `public` (whose English is `english`): its
        feedback texts (explanation, rationale: a text or principle -> text) replaced by
        the translated `fields`. Kinds whose key names display texts override this."""
        for name in ("explanation", "rationale"):
            value = fields.get(name)
            if name not in key or not value:
                continue
            key[name] = ({p: " ".join(str(t).split()) for p, t in value.items()}
                         if isinstance(value, dict) else " ".join(str(value).split()))
        return key


def kind(name: str) -> type[ContentKind]:
    return REGISTRY[name]


def pool_owner(pool: str) -> type[ContentKind]:
    for cls in REGISTRY.values():
        if cls.owns_pool and cls.pool == pool:
            return cls
    raise KeyError(f"no kind reads the pool '{pool}'")


def pools() -> list[str]:
    """Every pool that a registered kind owns, in registration order."""
    return [cls.pool for cls in REGISTRY.values() if cls.owns_pool]


ENTRY_POINTS = "peaceops.kinds"
_installed: list[str] = []  # set once the entry points are loaded


def require_kinds() -> None:
    """Load the installed kinds (the package's entry points in the `peaceops.kinds` group)
    once: plug-in discovery, so this layer never imports the exercises layer by name."""
    if _installed:
        return
    from importlib.metadata import entry_points

    for point in entry_points(group=ENTRY_POINTS):
        point.load()
    _installed.append(ENTRY_POINTS)
    if not REGISTRY:
        raise RuntimeError(f"no exercise kinds are installed (entry points '{ENTRY_POINTS}'): "
                           "reinstall the package with `pip install -e .`")
