"""Listing learners' folders: hidden ones left out only when asked, files never listed,
symbolic links to folders followed, and `find_submissions` in (student, assignment) order."""

from __future__ import annotations

import os
from types import SimpleNamespace

import pytest

from peaceops.grading.discovery import find_submissions
from peaceops.results.tables import subfolders


def _tree(root):
    for student, assignment in (("b", "x"), ("a", "y"), ("a", "x"), (".hidden", "x"),
                                ("a", ".x.staging"), ("a-b", "x")):
        (root / student / assignment).mkdir(parents=True)
    (root / "stray.txt").write_text("")
    (root / "a" / "stray.txt").write_text("")
    (root / "c").symlink_to(root / "a")
    return root


def test_hidden_folders_only_when_asked_and_never_files(tmp_path):
    root = _tree(tmp_path / "submitted")
    assert [e.name for e in subfolders(root, hidden=False)] == ["a", "a-b", "b", "c"]
    assert [e.name for e in subfolders(root, hidden=True)] == [".hidden", "a", "a-b", "b", "c"]
    assert [e.name for e in subfolders(root / "a", hidden=True)] == [".x.staging", "x", "y"]
    assert subfolders(tmp_path / "absent", hidden=True) == []
    assert subfolders(root / "stray.txt", hidden=True) == []


def test_submissions_are_found_in_order_and_filtered(tmp_path):
    root = _tree(tmp_path / "submitted")
    course = SimpleNamespace(submitted=root)
    found = [(s.student, s.assignment) for s in find_submissions(course)]
    assert found == [("a", "x"), ("a", "y"), ("a-b", "x"), ("b", "x"), ("c", "x"), ("c", "y")]
    assert find_submissions(course)[0].folder == root / "a" / "x"
    assert [(s.student, s.assignment) for s in find_submissions(course, ["y"], ["a", "b"])] \
        == [("a", "y")]


def test_the_found_submissions_are_a_sequence(tmp_path):
    root = tmp_path / "submitted"
    for student, assignment in [("a", "x"), ("a", "y"), ("b", "y"), ("c", "x")]:
        (root / student / assignment).mkdir(parents=True)
    found = find_submissions(SimpleNamespace(submitted=root))
    listed = list(found)
    assert len(found) == 4 and [found[i] for i in range(-4, 4)] == listed + listed
    assert found[1:3] == listed[1:3] and found[2].folder == root / "b" / "y"
    with pytest.raises(IndexError):
        found[4]


def test_every_entry_passed_over_is_listed_with_the_reason(tmp_path, monkeypatch):
    root = _tree(tmp_path / "submitted")
    os.mkdir(os.fsencode(root) + b"/caf\xe9")  # a Latin-1 name: not UTF-8
    (root / "locked").mkdir()
    real = os.scandir

    def scandir(path):
        if os.fspath(path).endswith("locked"):
            raise PermissionError(13, "Permission denied")
        return real(path)

    monkeypatch.setattr(os, "scandir", scandir)
    found = find_submissions(SimpleNamespace(submitted=root))
    reasons = dict(found.passed_over)
    assert sorted(reasons) == ["submitted/.hidden", "submitted/a/.x.staging",
                               "submitted/a/stray.txt", "submitted/c/.x.staging",
                               "submitted/c/stray.txt", "submitted/caf\udce9",
                               "submitted/locked", "submitted/stray.txt"]
    assert "hidden" in reasons["submitted/.hidden"]
    assert "not a folder" in reasons["submitted/stray.txt"]
    assert "Permission denied" in reasons["submitted/locked"]
    assert "UTF-8" in reasons["submitted/caf\udce9"]
    assert [(s.student, s.assignment) for s in found][:2] == [("a", "x"), ("a", "y")]
    only = find_submissions(SimpleNamespace(submitted=root), ["x"], ["b", ".hidden"])
    assert [p for p, _ in only.passed_over] == ["submitted/.hidden"]
