"""People who sign in, and their passwords (argon2id)."""

from __future__ import annotations

import datetime as dt

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import String, func, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from core.audit import Audited
from core.db import Base, utcnow

_hasher = PasswordHasher()
# Verified against on unknown e-mails so a wrong e-mail takes as long as a wrong password.
_DUMMY_HASH = _hasher.hash("fourpart-no-such-user")

MIN_PASSWORD_LENGTH = 10


class User(Audited, Base):
    __tablename__ = "users"
    __audit_exclude__ = ("password_hash",)

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    password_hash: Mapped[str] = mapped_column(String(200))
    is_active: Mapped[bool] = mapped_column(default=True)
    is_superuser: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    last_login_at: Mapped[dt.datetime | None]

    # The interface Flask-Login expects, written out so that core does not import Flask.
    is_authenticated = True
    is_anonymous = False

    def get_id(self) -> str:
        return str(self.id)

    def __repr__(self) -> str:
        return f"<User {self.email}>"


class PasswordTooShort(ValueError):
    pass


def normalize_email(email: str) -> str:
    return email.strip().lower()


def hash_password(password: str) -> str:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise PasswordTooShort(f"a password needs at least {MIN_PASSWORD_LENGTH} characters")
    return _hasher.hash(password)


def _password_matches(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def find_user(session: Session, email: str) -> User | None:
    query = select(User).where(func.lower(User.email) == normalize_email(email))
    return session.scalars(query).first()


def create_user(session: Session, *, email: str, name: str, password: str,
                is_superuser: bool = False) -> User:
    user = User(email=normalize_email(email), name=name.strip(),
                password_hash=hash_password(password), is_superuser=is_superuser)
    session.add(user)
    session.flush()
    return user


def set_password(user: User, password: str) -> None:
    user.password_hash = hash_password(password)


def authenticate(session: Session, email: str, password: str) -> User | None:
    """The active user with this e-mail and password, or None (never says which part was wrong)."""
    user = find_user(session, email)
    if user is None:
        _password_matches(_DUMMY_HASH, password)
        return None
    if not _password_matches(user.password_hash, password) or not user.is_active:
        return None
    if _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = _hasher.hash(password)
    user.last_login_at = utcnow()
    return user
