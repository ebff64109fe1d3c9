"""Draw a run's PDF certificates: the fonts cut once for the run, the pages drawn here or in
forked worker processes, each returned in order. Imported only when a run has PDFs to draw
(it loads fpdf2, the fonts and the QR code encoder)."""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, Protocol, TypeVar

from ..credentials.errors import CertifyError
from .pdf import Fonts, render


class PdfJob(Protocol):
    """What a certificate's page is drawn from (the run's job for one learner)."""

    credential: dict[str, Any]
    code: str
    badge: str
    secured: dict[str, Any]
    verifier: str | None  # the address of the issuer's verifier page
    stem: Path  # the certificate's path without its suffix
    language: str  # the certificate's language
    emblem: str  # the title the badge is drawn from


J = TypeVar("J", bound=PdfJob)
PdfResult = bytes | CertifyError | None

_FONTS: Fonts | None = None  # the run's fonts, in a forked worker


def pdfs(new: list[J], names: Iterable[str], jobs: int | None) -> Iterator[tuple[J, PdfResult]]:
    """Each job with its PDF (None if an interrupted run drew it already, or the error), in
    order: drawn here, or in `jobs` forked worker processes (default: one per CPU) when there
    are several certificates and CPUs (a PDF costs tens of milliseconds of fpdf2). `names`:
    every name the run may draw, for the fonts, which are cut once."""
    import multiprocessing as mp

    fonts = Fonts(names)
    jobs = jobs or os.cpu_count() or 1
    if jobs <= 1 or len(new) < 2 * jobs or "fork" not in mp.get_all_start_methods():
        yield from ((job, _pdf(job, fonts)) for job in new)
        return
    global _FONTS
    _FONTS = fonts
    try:
        with mp.get_context("fork").Pool(jobs) as pool:
            yield from zip(new, pool.imap(_pdf, new, chunksize=4), strict=True)
    finally:
        _FONTS = None


def _pdf(job: PdfJob, fonts: Fonts | None = None) -> PdfResult:
    """The job's PDF (None if an interrupted run drew it already), or the error."""
    if job.stem.with_suffix(".pdf").exists():
        return None
    try:
        return render(job.credential, job.code, job.badge, fonts or _FONTS, job.secured,
                      job.verifier, job.language, job.emblem)
    except CertifyError as error:
        return error
    except Exception as error:  # noqa: BLE001 - one learner's page never stops the others'
        return CertifyError(f"cannot draw the certificate ({type(error).__name__}: {error})")
