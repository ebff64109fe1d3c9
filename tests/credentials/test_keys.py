"""keys init: a private key (0600) outside any git tree, never overwritten; the public key
published under its key id."""

from __future__ import annotations

import hashlib
import stat
import subprocess

import pytest
from cryptography.hazmat.primitives import serialization

from peaceops.credentials import (
    CertifyError,
    Exit,
    VerifyError,
    default_key_dir,
    init_keys,
    key_id,
    load_private_key,
    load_public_keys,
)
from peaceops.credentials.keys import publish_public_key


def test_init_makes_a_private_key_0600_and_publishes_the_public_key(tmp_path):
    files = init_keys(tmp_path / "private", tmp_path / "public-keys")
    assert stat.S_IMODE(files.private.stat().st_mode) == 0o600
    assert stat.S_IMODE(files.private.parent.stat().st_mode) == 0o700
    key = load_private_key(files.private)
    raw = key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    assert files.key_id == key_id(key.public_key()) == hashlib.sha256(raw).hexdigest()[:16]
    assert files.public == tmp_path / "public-keys" / f"{files.key_id}.pem"
    assert b"PRIVATE" not in files.public.read_bytes()
    assert list(load_public_keys(tmp_path / "public-keys")) == [files.key_id]
    assert list(load_public_keys(files.public)) == [files.key_id]


def test_init_refuses_inside_a_git_work_tree(tmp_path):
    repo = tmp_path / "repo"
    repo.mkdir()
    subprocess.run(["git", "init", "-q", str(repo)], check=True)
    with pytest.raises(CertifyError, match="inside the git work tree.*never be in a repository"):
        init_keys(repo / "keys" / "deep", tmp_path / "public-keys")
    assert not (repo / "keys").exists() and not (tmp_path / "public-keys").exists()
    init_keys(tmp_path / "outside", tmp_path / "public-keys")  # beside the repo: fine


def test_init_never_overwrites_a_key(tmp_path):
    files = init_keys(tmp_path / "private", tmp_path / "public-keys")
    before = files.private.read_bytes()
    with pytest.raises(CertifyError, match="already exists.*never overwritten"):
        init_keys(tmp_path / "private", tmp_path / "public-keys")
    assert files.private.read_bytes() == before
    assert len(list((tmp_path / "public-keys").glob("*.pem"))) == 1


def test_the_default_key_dir_follows_the_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("PEACEOPS_KEY_DIR", str(tmp_path / "env-keys"))
    assert default_key_dir() == tmp_path / "env-keys"
    files = init_keys(None, tmp_path / "public-keys")
    assert files.private.parent == tmp_path / "env-keys"
    assert (
        load_private_key().public_key().public_bytes_raw()
        == load_private_key(files.private).public_key().public_bytes_raw()
    )
    monkeypatch.delenv("PEACEOPS_KEY_DIR")
    assert default_key_dir().parts[-3:] == (".config", "peaceops", "keys")


def test_bad_private_keys_are_clear_errors(tmp_path, capsys):
    with pytest.raises(CertifyError, match="cannot read the private key.*keys init"):
        load_private_key(tmp_path / "none.pem")
    (tmp_path / "junk.pem").write_text("junk")
    with pytest.raises(CertifyError, match="not an unencrypted PEM private key"):
        load_private_key(tmp_path / "junk.pem")
    files = init_keys(tmp_path / "private", tmp_path / "public-keys")
    files.private.chmod(0o644)
    load_private_key(files.private)
    assert "readable by others: chmod 600" in capsys.readouterr().err


def test_bad_public_keys_are_the_keys_exit_code(tmp_path):
    with pytest.raises(VerifyError) as error:
        load_public_keys(tmp_path / "missing")
    assert error.value.code == Exit.KEYS
    (tmp_path / "bad.pem").write_text("junk")
    with pytest.raises(VerifyError) as error:
        load_public_keys(tmp_path)
    assert error.value.code == Exit.KEYS and "not a PEM public key" in str(error.value)


def test_a_public_key_file_is_never_replaced_by_another_key(tmp_path):
    files = init_keys(tmp_path / "one", tmp_path / "public-keys")
    other = init_keys(tmp_path / "two", tmp_path / "other-public")
    files.public.write_bytes(other.public.read_bytes())
    with pytest.raises(CertifyError, match="holds another key"):
        publish_public_key(load_private_key(files.private).public_key(), tmp_path / "public-keys")
    assert files.public.read_bytes() == other.public.read_bytes()
