"""Decorators that put every route under exactly one access rule.

Each view carries the rule it was registered with (``ACCESS_ATTR``), so the
authorization-matrix test can find a route that was added without one.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any, TypeVar

from flask import abort, g, request
from flask_login import current_user, login_required

from core.audit import Actor, acting_as
from studies.models import Membership, Study
from studies.permissions import Permission, can
from studies.services import find_study, membership_of
from studies.tokens import authenticate_token
from webapp.context import db_session

ACCESS_ATTR = "_fourpart_access"
View = TypeVar("View", bound=Callable[..., Any])


@dataclass(frozen=True)
class AccessRule:
    kind: str  # "public", "signed_in", "study" or "api"
    permission: Permission | None = None


def _mark(view: View, rule: AccessRule) -> View:
    setattr(view, ACCESS_ATTR, rule)
    return view


def public(view: View) -> View:
    return _mark(view, AccessRule("public"))


def signed_in(view: View) -> View:
    @wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        with acting_as(user_actor()):
            return view(*args, **kwargs)
    return _mark(login_required(wrapper), AccessRule("signed_in"))  # type: ignore[arg-type]


def user_actor() -> Actor:
    return Actor(f"user:{current_user.email}", current_user.id)


def _member_or_404(study: Study | None, user_id: int) -> Membership:
    membership = membership_of(db_session(), study.id, user_id) if study else None
    if membership is None:
        abort(404)
    return membership


def study_view(permission: Permission) -> Callable[[View], View]:
    """A page of one study (``<slug>`` in the URL) that needs ``permission``."""

    def decorate(view: View) -> View:
        @wraps(view)
        def wrapper(*args: Any, slug: str, **kwargs: Any) -> Any:
            study = find_study(db_session(), slug)
            membership = _member_or_404(study, current_user.id)
            if not can(membership.role, permission):
                abort(403)
            g.study, g.membership = study, membership
            with acting_as(user_actor()):
                return view(*args, **kwargs)

        return _mark(login_required(wrapper), AccessRule("study", permission))  # type: ignore[arg-type]

    return decorate


def _bearer_token() -> str:
    header = request.headers.get("Authorization", "")
    scheme, _, value = header.partition(" ")
    return value.strip() if scheme.lower() == "bearer" else ""


def api_view(permission: Permission) -> Callable[[View], View]:
    """A JSON API route of one study (``<int:study_id>``), authenticated by a study token."""

    def decorate(view: View) -> View:
        @wraps(view)
        def wrapper(*args: Any, study_id: int, **kwargs: Any) -> Any:
            session = db_session()
            token = authenticate_token(session, _bearer_token())
            if token is None:
                abort(401, description="Send a live API token of this study as "
                                       "'Authorization: Bearer <token>'.")
            session.commit()
            if token.study_id != study_id:
                abort(404)
            membership = _member_or_404(session.get(Study, study_id), token.user_id)
            if not can(membership.role, permission):
                abort(403)
            g.study, g.membership, g.api_token = membership.study, membership, token
            actor = Actor(f"token:{token.prefix}… ({token.user.email})", token.user_id)
            with acting_as(actor):
                return view(*args, **kwargs)

        return _mark(wrapper, AccessRule("api", permission))  # type: ignore[arg-type]

    return decorate
