"""The bank-level form audits, run on any kind's items (`Kind.cues`): ids against keys,
the form-only classifier, the key's overlap with the stem and with the other options, the
option alone in its grammar, loaded words. Each returns rows of
(check, value, limit, ok, detail) whose detail names the offending items."""

from __future__ import annotations

from .connotation import connotation_row
from .convergence import convergence_row
from .findings import CuePool, Row
from .formclass import classifier_row
from .grammar import grammar_rows
from .idcues import adjacency_rows, id_word_row
from .overlap import echo_rank_row, overlap_row

MIN_POOL = 3  # fewer items than this: nothing to measure


def cue_rows(pool: CuePool | None) -> list[Row]:
    """Every form audit of one pool (none for a kind that describes no cues)."""
    if pool is None or len(pool.items) < MIN_POOL:
        return []
    rows = [*adjacency_rows(pool), id_word_row(pool), classifier_row(pool), overlap_row(pool),
            echo_rank_row(pool), convergence_row(pool), *grammar_rows(pool),
            connotation_row(pool)]
    return [row for row in rows if row is not None]
