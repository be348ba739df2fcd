"""Account labels as reports print them: "6120 Cloud Hosting", "6120 · Cloud Hosting", "Advertising (600)"."""

from __future__ import annotations

import re

_LEADING_NUMBER = re.compile(r"(\d[\d.\-]*)\s*(?:[·:–—-]\s*|\s)(\S.*)")
_TRAILING_CODE = re.compile(r"(\S.*?)\s*\(([A-Za-z]{0,4}\d[\w.\-]*)\)")


def split_account_label(label: str) -> tuple[str, str]:
    """(account number, account name); the number is "" when the label has none."""
    text = label.strip()
    match = _LEADING_NUMBER.fullmatch(text)
    if match:
        return match.group(1), match.group(2).strip()
    match = _TRAILING_CODE.fullmatch(text)
    if match:
        return match.group(2), match.group(1).strip()
    if text.isdigit():
        return text, ""
    return "", text
