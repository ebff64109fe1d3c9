"""Structure-aware mutations of a submission's files, for the grading fuzzer
(tests/grading/test_fuzz.py): hypothesis strategies that take a VALID answers file, notebook
or timestamp.txt and break it the ways a hostile or unlucky learner would.

A JSON document is mutated as a tree (`tree`): a value replaced by one of another type, a
lone surrogate, a control character, a huge number, NaN or Infinity, a deep nest or a literal
no encoder writes (`Raw`); a key deleted, renamed or given twice (`Obj` keeps duplicate
keys); a value wrapped in a list or object. Then its bytes (`dump`) may get byte-order marks,
a stray byte or be cut short. Each mutation says which exercises it can touch (`Mutated`),
so a test can ask that every other exercise keeps its score.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from hypothesis import strategies as st

#: Every exercise: what a mutation of the file as a whole (or of its top level) may touch.
ALL = frozenset({"*"})


@dataclass(frozen=True)
class Raw:
    """Bytes written into the document as they are: a literal `json.dumps` never writes
    (NaN spelled otherwise, 1e999, 5,000 digits, invalid UTF-8, a raw control character)."""

    data: bytes


@dataclass
class Obj:
    """A JSON object as its (key, value) pairs, in order: a key may appear twice."""

    pairs: list[tuple[Any, Any]]


@dataclass(frozen=True)
class Mutated:
    """A mutated file: its bytes, what was done, and the exercises it may have touched
    (`ALL` when it may have touched any)."""

    data: bytes
    done: tuple[str, ...]
    touched: frozenset[str] = field(default=frozenset())

    def __repr__(self) -> str:
        head = self.data[:160]
        more = f" + {len(self.data) - len(head):,} bytes" if len(self.data) > len(head) else ""
        return f"Mutated({head!r}{more}, done={self.done!r}, touched={set(self.touched)!r})"

    def may_touch(self, exercise: str) -> bool:
        """Whether the mutation may have changed `exercise`'s record."""
        return exercise in self.touched or ALL <= self.touched


def tree(value: Any) -> Any:
    """A decoded JSON value as a mutable tree: objects as `Obj`, arrays as lists."""
    if isinstance(value, dict):
        return Obj([(k, tree(v)) for k, v in value.items()])
    if isinstance(value, list):
        return [tree(v) for v in value]
    return value


def dump(node: Any, ascii_only: bool = True) -> bytes:
    """The tree's JSON bytes (`ascii_only=False`: text as UTF-8, a lone surrogate as the
    invalid bytes that encode it)."""
    if isinstance(node, Raw):
        return node.data
    if isinstance(node, Obj):
        return b"{" + b", ".join(dump(k if isinstance(k, Raw) else str(k), ascii_only) + b": "
                                 + dump(v, ascii_only) for k, v in node.pairs) + b"}"
    if isinstance(node, list):
        return b"[" + b", ".join(dump(v, ascii_only) for v in node) + b"]"
    return json.dumps(node, ensure_ascii=ascii_only).encode("utf-8", "surrogatepass")


def paths(node: Any, here: tuple[int, ...] = ()) -> Iterator[tuple[int, ...]]:
    """The path (indexes into `Obj.pairs` and lists) of every node under `node`, itself
    included."""
    yield here
    children = [v for _, v in node.pairs] if isinstance(node, Obj) else \
        node if isinstance(node, list) else []
    for i, child in enumerate(children):
        yield from paths(child, (*here, i))


def at(node: Any, path: tuple[int, ...]) -> Any:
    for i in path:
        node = node.pairs[i][1] if isinstance(node, Obj) else node[i]
    return node


def _set(root: Any, path: tuple[int, ...], value: Any) -> Any:
    """`root` with the node at `path` replaced (the root itself when `path` is empty)."""
    if not path:
        return value
    parent = at(root, path[:-1])
    if isinstance(parent, Obj):
        key, _ = parent.pairs[path[-1]]
        parent.pairs[path[-1]] = (key, value)
    else:
        parent[path[-1]] = value
    return root


def answers_scope(root: Any, path: tuple[int, ...]) -> frozenset[str]:
    """The exercises of an answers file a change at `path` can touch: the one whose record
    it is in, or `ALL` (its top level, or the "exercises" object itself)."""
    if len(path) >= 2 and isinstance(root, Obj):
        key, exercises = root.pairs[path[0]]
        if key == "exercises" and isinstance(exercises, Obj) and path[1] < len(exercises.pairs):
            exercise = exercises.pairs[path[1]][0]
            return frozenset({exercise}) if isinstance(exercise, str) else ALL
    return ALL


# -- hostile values ----------------------------------------------------------------------

HOSTILE_CHARS = st.sampled_from(
    ["\ud800", "\udfff", "\udc00\ud800", "\x00", "\x1b[2K\r", "\x07", "\x7f", "\x85", "\u202e",
     "\u2028", "\ufeff", "\uffff", "\U0010ffff"]
) | st.characters(min_codepoint=0xD800, max_codepoint=0xDFFF) \
  | st.characters(max_codepoint=0x1F) | st.characters(min_codepoint=0x7F, max_codepoint=0x9F)
#: Text that holds a lone surrogate or control character (so never a valid choice).
HOSTILE_TEXT = st.one_of(
    st.builds(lambda a, c, b: a + c + b, st.text(max_size=6), HOSTILE_CHARS, st.text(max_size=6)),
    st.just(100_000).map(lambda n: "x" * n),
)
#: Numbers far from any choice: huge, tiny, NaN and infinities (json writes NaN, Infinity).
HUGE_NUMBERS = st.one_of(
    st.integers(min_value=10**6), st.integers(max_value=-(10**6)),
    st.sampled_from([2**63, 2**64, -(2**63) - 1, 10**308]),
    st.just(4000).map(lambda digits: 10**digits),  # (shown as this, not its 4,001 digits)
    st.floats(),
)
SCALARS = st.one_of(st.none(), st.booleans(), HUGE_NUMBERS, HOSTILE_TEXT)
RAW_LITERALS = st.sampled_from([
    b"NaN", b"Infinity", b"-Infinity", b"1e999", b"-1e999", b"1E+400", b"4" * 5000,
    b"-" + b"9" * 4301, b"0." + b"0" * 5000 + b"1", b'"\xed\xa0\x80"', b'"\xed\xbf\xbf"',
    b'"\xff\xfe"', b'"a\x00b"', b'"\x1b[2K"', b'"\\ud800"', b'"\\udc00\\ud800"', b'"\\u0000"',
    b"nan", b"inf", b"tru", b"nul", b"-", b"1e", b"[1,]", b"{,}", b'"open', b"", b"\xef\xbb\xbf1",
]).map(Raw)


def _nest(depth: int, kind: str) -> Raw:
    if kind == "list":
        return Raw(b"[" * depth + b"]" * depth)
    return Raw(b'{"a": ' * depth + b"1" + b"}" * depth)


#: Nested lists or objects, from shallow to far past the parser's recursion limit.
DEEP = st.builds(_nest, st.sampled_from([2, 50, 400, 900, 5000, 100_000]),
                 st.sampled_from(["list", "object"]))
HOSTILE = st.one_of(
    st.recursive(SCALARS, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(
        st.text(max_size=4) | HOSTILE_TEXT, inner, max_size=3), max_leaves=6),
    RAW_LITERALS, DEEP,
)


# -- mutations of a JSON tree --------------------------------------------------------------

@st.composite
def mutated_json(draw, document: Any, scope=lambda root, path: ALL, max_steps: int = 3
                 ) -> Mutated:
    """A valid JSON `document` (decoded) with 1 to `max_steps` structure-aware mutations,
    then possibly mutated as bytes. `scope(root, path)`: what a change at `path` touches."""
    root = tree(document)
    done: list[str] = []
    touched: set[str] = set()
    for _ in range(draw(st.integers(1, max_steps))):
        path = draw(st.sampled_from(list(paths(root))))
        node = at(root, path)
        ops = ["replace", "wrap"]
        if isinstance(node, Obj):
            ops += ["add key"]
            if node.pairs:
                ops += ["delete key", "rename key", "duplicate key"]
        op = draw(st.sampled_from(ops))
        if op in ("replace", "wrap"):
            value = draw(HOSTILE) if op == "replace" else (
                [node] if draw(st.booleans()) else Obj([("v", node)]))
            root = _set(root, path, value)
            touched |= scope_of(scope, root, path, value)
        elif op == "add key":
            i = draw(st.integers(0, len(node.pairs)))
            node.pairs.insert(i, (draw(HOSTILE_TEXT), draw(HOSTILE)))
            touched |= scope(root, (*path, i)) if path else set()  # touches no other key
        else:
            i = draw(st.integers(0, len(node.pairs) - 1))
            touched |= scope(root, (*path, i))
            key, value = node.pairs[i]
            if op == "delete key":
                del node.pairs[i]
            elif op == "rename key":
                node.pairs[i] = (draw(HOSTILE_TEXT), value)
            else:  # the key again, before or after, with a hostile value
                node.pairs.insert(i + draw(st.integers(0, 1)), (key, draw(HOSTILE)))
        done.append(f"{op} at {path}")
    data = dump(root, ascii_only=draw(st.booleans()))
    data, more = draw(mutated_bytes(data))
    if more:
        touched = set(ALL)
    return Mutated(data, (*done, *more), frozenset(touched))


def scope_of(scope, root: Any, path: tuple[int, ...], value: Any) -> set[str]:
    """What replacing the node at `path` with `value` touches: a nest deep enough to stop
    the parser (at a depth that depends on the caller's stack) may touch everything."""
    if isinstance(value, Raw) and value.data[:1] in (b"[", b"{") and len(value.data) > 400:
        return set(ALL)
    return set(scope(root, path))


@st.composite
def mutated_bytes(draw, data: bytes, always: bool = False) -> tuple[bytes, list[str]]:
    """`data` with, sometimes (`always`: at least once), byte-level mutations: byte-order
    marks, a stray byte, truncation, UTF-16. Returns the bytes and what was done."""
    done: list[str] = []
    steps = max(1 if always else 0, draw(st.integers(0, 5)) - 3)  # none in 2 cases of 3
    for _ in range(steps):
        op = draw(st.sampled_from(["bom", "boms", "utf-16", "stray byte", "truncate",
                                   "trailing"]))
        if op == "bom":
            data = b"\xef\xbb\xbf" + data
        elif op == "boms":
            data = draw(st.sampled_from([b"\xef\xbb\xbf\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff",
                                         b"\x00\x00\xfe\xff"])) + data
        elif op == "utf-16":
            data = data.decode("utf-8", "replace").encode("utf-16")
        elif op == "stray byte":
            i = draw(st.integers(0, len(data)))
            byte = draw(st.sampled_from([b"\x00", b"\x1b", b"\x7f", b"\x85", b"\xff", b"\xc3",
                                         b"\xed\xa0\x80", b"\t", b",", b"}", b"]", b'"']))
            data = data[:i] + byte + data[i:]
        elif op == "truncate":
            data = data[:draw(st.integers(0, max(0, len(data) - 1)))]
        else:
            data += draw(st.sampled_from([b" ", b"\n", b"{}", b"\x00", b"garbage"]))
        done.append(op)
    return data, done


# -- timestamp.txt -----------------------------------------------------------------------

VALID_TIMESTAMP = b"2026-11-22 10:00:00.000000 UTC"


@st.composite
def mutated_timestamp(draw) -> Mutated:
    """nbgrader's timestamp.txt, broken: another text (a far year, NaN, Infinity, a huge
    number, control characters, lone surrogates, a long line), random bytes, or the valid
    time with byte-level mutations."""
    text = draw(st.one_of(
        st.sampled_from([
            "", " ", "NaN", "nan", "Infinity", "-Infinity", "1e999", "9" * 5000, "0",
            "99999-11-22 10:00:00.000000 UTC", "0000-00-00 00:00:00.000000 UTC",
            "2026-13-45 25:61:61.000000 UTC", "2026-11-22 10:00:00.000000 UTC\x00",
            "2026-11-22T10:00:00+99:00", "2026-11-22 10:00:00 +2500", "-2026-11-22",
            "\x1b[2K\r2026-11-22 10:00:00.000000 UTC", "2026-11-22\udfff", "\ufeff\ufeff",
            "10000000000000000000000", "2026-11-22 10:00:00.000000 UTC" * 2000,
            "1 " * 20_000, "Nov 22 2026 " + "10:00 " * 500,
        ]),
        st.text(max_size=60),
        st.builds(lambda a, c, b: a + c + b, st.text(max_size=20), HOSTILE_CHARS,
                  st.text(max_size=20)),
    ))
    data = text.encode("utf-8", "surrogatepass")
    if draw(st.booleans()):
        data = draw(st.binary(max_size=80))
    if draw(st.booleans()):
        data = VALID_TIMESTAMP
    data, done = draw(mutated_bytes(data, always=data == VALID_TIMESTAMP))
    return Mutated(data, (repr(text[:40]), *done), ALL)
