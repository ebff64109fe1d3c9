"""Certification: a versioned pass rule (data/certification.yaml), deciding who passes, and
issuing to each a signed credential and a PDF certificate (`peaceops certify`).

Signing, keys, revocation and verification are `peaceops.credentials`, the layer below.
Names are imported on first use: the main parser imports this package's `cli`, and deciding
needs pandas, which `peaceops verify` and `--help` must not load.
"""

from __future__ import annotations

import importlib
from typing import Any

_WHERE = {
    "Certification": "..content", "PassRule": "..content",
    "new_credential": ".award", "open_badge_credential": ".award",
    "CertifySummary": ".issue", "Issued": ".issue", "issue_certificates": ".issue",
    "certify": ".issue",
    "Decision": ".rule", "decide": ".rule", "evaluate": ".rule",
}

__all__ = sorted(_WHERE)


def __getattr__(name: str) -> Any:
    if name in _WHERE:
        return getattr(importlib.import_module(_WHERE[name], __name__), name)
    raise AttributeError(name)
