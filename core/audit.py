"""The audit trail: who changed which record of which study, when, and what changed.

Every model that mixes in :class:`Audited` is recorded automatically when a session
flushes, so no write path can forget it. The actor comes from :func:`acting_as`.
"""

from __future__ import annotations

import contextvars
import datetime as dt
import decimal
import enum
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ForeignKey, String, event, insert, inspect, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from core.db import Base, utcnow


@dataclass(frozen=True)
class Actor:
    """Who is acting: a signed-in user, an API token, or the system/CLI."""

    label: str
    user_id: int | None = None


SYSTEM = Actor("system")
_current_actor: contextvars.ContextVar[Actor] = contextvars.ContextVar("actor", default=SYSTEM)


@contextmanager
def acting_as(actor: Actor) -> Iterator[Actor]:
    token = _current_actor.set(actor)
    try:
        yield actor
    finally:
        _current_actor.reset(token)


def current_actor() -> Actor:
    return _current_actor.get()


class AuditEvent(Base):
    __tablename__ = "audit_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(default=utcnow, index=True)
    actor_label: Mapped[str] = mapped_column(String(200))
    actor_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    study_id: Mapped[int | None] = mapped_column(index=True)
    action: Mapped[str] = mapped_column(String(40))
    record_type: Mapped[str] = mapped_column(String(80))
    record_id: Mapped[str | None] = mapped_column(String(80))
    changes: Mapped[dict[str, Any]] = mapped_column(default=dict)


class Audited:
    """Mixin for models whose changes are study data.

    ``__audit_exclude__`` names columns whose values must never be written to the trail
    (they are reported as changed, with the value hidden).
    """

    __audit_exclude__: tuple[str, ...] = ()

    def audit_study_id(self) -> int | None:
        return getattr(self, "study_id", None)


def _plain(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, bytes):
        return f"<{len(value)} bytes>"
    return value


def _shown(obj: Audited, key: str, value: Any) -> Any:
    return "<hidden>" if key in obj.__audit_exclude__ else _plain(value)


def _column_values(obj: Audited) -> dict[str, Any]:
    state = inspect(obj)
    return {
        attr.key: _shown(obj, attr.key, attr.value)
        for attr in state.attrs
        if attr.key in state.mapper.columns
    }


def _column_changes(obj: Audited) -> dict[str, Any]:
    state = inspect(obj)
    changes: dict[str, Any] = {}
    for attr in state.attrs:
        if attr.key not in state.mapper.columns:
            continue
        history = attr.load_history()
        if history.has_changes():
            old = history.deleted[0] if history.deleted else None
            new = history.added[0] if history.added else None
            changes[attr.key] = [_shown(obj, attr.key, old), _shown(obj, attr.key, new)]
    return changes


def _record_id(obj: Any) -> str | None:
    identity = inspect(obj).mapper.primary_key_from_instance(obj)
    return ",".join(str(part) for part in identity) if any(p is not None for p in identity) else None


@event.listens_for(Session, "before_flush")
def _collect(session: Session, _context: Any, _instances: Any) -> None:
    pending = session.info.setdefault("audit_pending", [])
    for obj in session.new:
        if isinstance(obj, Audited):
            pending.append(("create", obj, None, None))
    for obj in session.dirty:
        if isinstance(obj, Audited) and session.is_modified(obj, include_collections=False):
            pending.append(("update", obj, _record_id(obj), _column_changes(obj)))
    for obj in session.deleted:
        if isinstance(obj, Audited):
            pending.append(("delete", obj, _record_id(obj), _column_values(obj)))


@event.listens_for(Session, "after_flush")
def _write(session: Session, _context: Any) -> None:
    pending = session.info.pop("audit_pending", [])
    if not pending:
        return
    actor = current_actor()
    rows = [
        {
            "at": utcnow(),
            "actor_label": actor.label,
            "actor_user_id": actor.user_id,
            "study_id": obj.audit_study_id(),
            "action": action,
            "record_type": obj.__tablename__,
            "record_id": record_id or _record_id(obj),
            "changes": _column_values(obj) if action == "create" else changes,
        }
        for action, obj, record_id, changes in pending
    ]
    session.execute(insert(AuditEvent), rows)


def record(session: Session, *, action: str, study_id: int | None, record_type: str,
           record_id: str | None, details: dict[str, Any]) -> None:
    """Record an action that is not a row change (a download, a sign-in, a removal reason)."""
    actor = current_actor()
    session.add(AuditEvent(actor_label=actor.label, actor_user_id=actor.user_id,
                           study_id=study_id, action=action, record_type=record_type,
                           record_id=record_id, changes=details))


def study_trail(session: Session, study_id: int, limit: int = 200) -> list[AuditEvent]:
    query = (select(AuditEvent).where(AuditEvent.study_id == study_id)
             .order_by(AuditEvent.at.desc(), AuditEvent.id.desc()).limit(limit))
    return list(session.scalars(query))
