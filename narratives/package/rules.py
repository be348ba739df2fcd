"""When a package may be final: no blocking finding, or a named person overrides with a reason."""

from __future__ import annotations

from narratives.interviews import clean_text
from narratives.readiness import ReadinessReport

MAX_REASON = 2000


class PackageRefused(ValueError):
    """A final package was asked for while blocking findings stand, without a valid override."""

    def __init__(self, message: str, blocking: int) -> None:
        self.blocking = blocking
        super().__init__(message)


def override_for(report: ReadinessReport, *, final: bool, reason: str | None,
                 user_id: int | None) -> str | None:
    """The override reason to print (None if nothing is overridden); refuses what is not allowed."""
    if not final or report.ready:
        return None
    count = len(report.blocking)
    found = "; ".join(f"{f.check} ({f.record.type} {f.record.id})" for f in report.blocking[:5])
    text = clean_text(reason)
    if not text:
        raise PackageRefused(
            f"A final package is refused while {count} blocking finding{'' if count == 1 else 's'} stand "
            f"({found}{'…' if count > 5 else ''}). Fix them, build a draft, or override with a reason.",
            count)
    if user_id is None:
        raise PackageRefused("An override must name the person who makes it; sign in or pass --as EMAIL.",
                             count)
    if len(text) > MAX_REASON:
        raise PackageRefused(
            f"The override reason is {len(text):,} characters long; at most {MAX_REASON:,} fit.", count)
    return text
