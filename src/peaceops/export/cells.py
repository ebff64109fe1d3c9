"""Formula-safe CSV cells: text a spreadsheet shows as text, never evaluates.

A learner's id, name, email or flag beginning with ``=``, ``+``, ``-``, ``@``, a tab or a
carriage return would be read as a formula when the export is opened in a spreadsheet
(OWASP's CSV injection). Such a text cell gets a leading apostrophe, OWASP's rule; numbers
(scores, maxima, percents) are left as they are.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

#: What a spreadsheet may take as the start of a formula (OWASP, CSV injection).
TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def formula_safe(value: Any) -> Any:
    """`value`, with a leading apostrophe if it is text beginning with a formula trigger."""
    if isinstance(value, str) and value.startswith(TRIGGERS):
        return "'" + value
    return value


def formula_safe_table(table: pd.DataFrame) -> pd.DataFrame:
    """A copy of `table` whose header and text cells are formula-safe (numbers untouched)."""
    safe = table.map(formula_safe)
    safe.columns = [formula_safe(column) for column in table.columns]
    return safe
