"""The certificates' shared fixtures (tests/factories/certificates.py)."""

from tests.factories.certificates import (  # noqa: F401 (fixtures)
    certification,
    issued_course,
    keypair,
)
