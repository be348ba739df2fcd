"""Which delimiter a CSV file uses, decided from how consistently it splits its first lines.

csv.Sniffer guesses from character frequencies and is thrown by commas inside quoted memos;
counting the rows that share one width is steadier on ledgers and spreadsheets.
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from collections.abc import Sequence

SNIFF_LINES = 60


def sniff_delimiter(text: str, delimiters: Sequence[str], *, lines: int = SNIFF_LINES) -> str:
    """The delimiter most sampled rows split into the same number (> 1) of fields by; the first
    of ``delimiters`` when none splits anything."""
    head = "\n".join(text.splitlines()[:lines])
    best, best_score = delimiters[0], (0, 0)
    for delimiter in delimiters:
        score = _consistency(head, delimiter)
        if score > best_score:
            best, best_score = delimiter, score
    return best


def _consistency(head: str, delimiter: str) -> tuple[int, int]:
    """How many sampled rows share the most common width (> 1), and that width."""
    widths: Counter[int] = Counter()
    try:
        for fields in csv.reader(io.StringIO(head), delimiter=delimiter):
            if len(fields) > 1:
                widths[len(fields)] += 1
    except csv.Error:
        return (0, 0)
    if not widths:
        return (0, 0)
    width, count = widths.most_common(1)[0]
    return (count, width)
