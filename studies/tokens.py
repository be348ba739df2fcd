"""Per-study API tokens: shown once, stored as SHA-256, revocable, with last-used time."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.db import utcnow
from studies.models import ApiToken, Membership
from studies.permissions import Permission, can

TOKEN_PREFIX = "fp_"


class TokenError(ValueError):
    pass


def _digest(plaintext: str) -> str:
    return hashlib.sha256(plaintext.encode()).hexdigest()


def issue_token(session: Session, membership: Membership, name: str,
                expires_at: dt.datetime | None = None) -> tuple[ApiToken, str]:
    """A new token for this member's study; the plaintext is returned once and never stored."""
    if not can(membership.role, Permission.MANAGE_TOKENS):
        raise TokenError(f"the {membership.role} role cannot hold API tokens")
    if not name.strip():
        raise TokenError("give the token a name that says where it is used")
    plaintext = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(study_id=membership.study_id, user_id=membership.user_id,
                     name=name.strip()[:200], prefix=plaintext[:10],
                     token_hash=_digest(plaintext), expires_at=expires_at)
    session.add(token)
    session.flush()
    return token, plaintext


def revoke_token(token: ApiToken) -> None:
    if token.revoked_at is None:
        token.revoked_at = utcnow()


def authenticate_token(session: Session, plaintext: str) -> ApiToken | None:
    """The live token with this value, its last-used time updated; None for anything else."""
    if not plaintext.startswith(TOKEN_PREFIX):
        return None
    token = session.scalars(select(ApiToken).where(ApiToken.token_hash == _digest(plaintext))).first()
    now = utcnow()
    if token is None or token.revoked_at is not None:
        return None
    if token.expires_at is not None and token.expires_at <= now:
        return None
    token.last_used_at = now
    return token


def tokens_of(session: Session, study_id: int, user_id: int) -> list[ApiToken]:
    query = (select(ApiToken).where(ApiToken.study_id == study_id, ApiToken.user_id == user_id)
             .order_by(ApiToken.created_at.desc()))
    return list(session.scalars(query))
