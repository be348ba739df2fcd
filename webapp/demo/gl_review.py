"""The demo CPA imports Lexbridge's general ledger, has it scored, and reviews part of it.

What a first review session looks like: the cloud lines of the R&D compute account that plainly ran the
CiteRAG and Forge experiments are approved as computer rental on their projects; rent, bank fees and
general software seats are ruled out; the rest (production hosting, contractors already recorded as
contract research, the blind accounts) is left for the next session.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.audit import Actor, acting_as
from core.blobstore import BlobStore
from core.db import Database
from scoring.imports import GLUpload, import_gl
from scoring.models import GLAccount, GLExpense
from scoring.review import DecisionInput, decide_lines
from scoring.tasks import score_import
from studies.models import BusinessComponent

GL_FILE = Path("gl") / "lexbridge_gl_2025.csv"
DEMO_BLIND_SHARE = 0.1


@dataclass(frozen=True)
class Approval:
    account: str
    words: str
    project: str
    months: tuple[int, ...]


APPROVALS = (
    Approval("6100", "citerag embedding jobs", "citerag", (1, 2, 3, 4)),
    Approval("6100", "forge training", "forge", (5, 8)),
)
RULED_OUT = ("6400", "6950")  # rent, bank fees
RULED_OUT_VENDORS = {"6200": ("Slack", "1Password", "QuickBooks", "Intuit QuickBooks")}


def review_demo_gl(db: Database, store: BlobStore, study_id: int, materials: Path, cpa: Actor) -> int:
    """Import, score and partly review the demo GL as ``cpa``; returns the import's id."""
    assert cpa.user_id is not None
    with acting_as(cpa):
        upload = GLUpload(GL_FILE.name, imported_by_id=cpa.user_id, blind_share=DEMO_BLIND_SHARE)
        import_id = import_gl(db, store, study_id, (materials / GL_FILE).read_bytes(), upload)
        score_import(db, store, import_id, lambda _fraction, _message: None)
        with db.transaction() as session:
            _decide(session, study_id, import_id, cpa.user_id)
    return import_id


def _decide(session: Session, study_id: int, import_id: int, user_id: int) -> None:
    projects = {code: project_id for code, project_id in session.execute(
        select(BusinessComponent.code, BusinessComponent.id).where(BusinessComponent.study_id == study_id))}
    lines = list(session.scalars(select(GLExpense).join(GLAccount, GLExpense.account_id == GLAccount.id)
                                 .where(GLExpense.import_id == import_id, GLAccount.blind_review.is_(False),
                                        GLExpense.amount > 0).order_by(GLExpense.row_number)))
    numbers = {account.id: account.number for account in session.scalars(
        select(GLAccount).where(GLAccount.import_id == import_id))}
    for approval in APPROVALS:
        chosen = [line.id for line in lines if numbers[line.account_id] == approval.account
                  and approval.words in line.description
                  and line.posted_on is not None and line.posted_on.month in approval.months]
        if chosen:
            decide_lines(session, study_id, chosen, DecisionInput(
                "qualified", category="computer_rental", share="100", project_id=projects[approval.project]),
                user_id=user_id)
    ruled_out = [line.id for line in lines if numbers[line.account_id] in RULED_OUT
                 or line.vendor in RULED_OUT_VENDORS.get(numbers[line.account_id], ())]
    if ruled_out:
        decide_lines(session, study_id, ruled_out, DecisionInput("not_qualified"), user_id=user_id)
