"""A small hand-made study for package tests: one project worked through, a PDF exhibit, a GL line."""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy.orm import Session
from weasyprint import HTML

from core.blobs import FreshBlobs
from core.blobstore import BlobStore
from core.db import Database, utcnow
from core.users import User
from evidence.linking.decisions import add_manual_link
from evidence.models import Artifact, ArtifactKind
from evidence.store import Original, remove_artifact, store_original
from narratives.models import Prong
from narratives.versions import approve, ensure_narrative, save_version, send_for_review
from studies.models import (
    AllocationSource,
    BusinessComponent,
    Employee,
    ExpenseCategory,
    Experiment,
    Layer,
    LayerKind,
    Outcome,
    QualifiedExpense,
    Study,
    UncertaintyKind,
    UncertaintyStatement,
    WageAllocation,
)

LONG_NAME = "Retrieval-augmented-generation-citation-verification-pipeline-with-an-unbreakable-id-" * 2


@dataclass
class SmallStudy:
    study: Study
    project: BusinessComponent
    author: User
    approver: User
    artifacts: dict[str, int]  # name -> artifact id


def exhibit_pdf(pages: int) -> bytes:
    body = "".join(f'<p style="break-after: page">Exhibit page {n}: a signed evaluation memo.</p>'
                   for n in range(1, pages + 1))
    return HTML(string=f"<html><body>{body}</body></html>").write_pdf()


def _store(session: Session, blobs: FreshBlobs, study: Study, name: str, data: bytes, media_type: str,
           kind: ArtifactKind, user: User) -> int:
    original = Original(stream=io.BytesIO(data), original_name=name, media_type=media_type, kind=kind,
                        source="upload", path=name, title=f"{name} title",
                        content_start=dt.date(2025, 2, 1), content_end=dt.date(2025, 3, 1))
    return store_original(session, blobs, study.id, original, uploaded_by_id=user.id).artifact.id


def build_small_study(session: Session, db: Database, store: BlobStore, study: Study, author: User,
                      approver: User) -> SmallStudy:
    project = BusinessComponent(study_id=study.id, code="rag", name=f"Citation retrieval {LONG_NAME}",
                                sub_sector="ai_native_product_engineering",
                                information_sought="Can recall reach 0.9?",
                                start_date=dt.date(2025, 1, 6), end_date=dt.date(2025, 9, 30))
    session.add(project)
    session.flush()
    uncertainty = UncertaintyStatement(study_id=study.id, project_id=project.id,
                                       kind=UncertaintyKind.METHOD,
                                       statement="Whether hybrid retrieval can reach recall 0.9.",
                                       identified_on=dt.date(2025, 1, 10))
    session.add(uncertainty)
    session.flush()
    session.add_all([
        Experiment(study_id=study.id, uncertainty_id=uncertainty.id, name="Dense only",
                   outcome=Outcome.FAILED,
                   hypothesis="Dense embeddings alone suffice.", started_on=dt.date(2025, 2, 1),
                   ended_on=dt.date(2025, 2, 20), metrics={"recall@10": 0.71}),
        Experiment(study_id=study.id, uncertainty_id=uncertainty.id, name=f"Hybrid {LONG_NAME}",
                   outcome=Outcome.SUCCEEDED, started_on=dt.date(2025, 3, 1), ended_on=dt.date(2025, 4, 1),
                   metrics={"recall@10": 0.91}),
        Layer(study_id=study.id, project_id=project.id, kind=LayerKind.QUALIFYING_ENGINEERING,
              name="Retriever", reason="Built and evaluated by the team."),
        Layer(study_id=study.id, project_id=project.id, kind=LayerKind.THIRD_PARTY_MODEL, name="Generator",
              vendor="OpenAI", model="GPT-4.1", reason="Called as shipped."),
    ])
    employee = Employee(study_id=study.id, name="Ada Engineer", title="ML Engineer", w2_wages=Decimal(200000))
    session.add(employee)
    session.flush()
    session.add(WageAllocation(study_id=study.id, employee_id=employee.id, project_id=project.id,
                               percent=Decimal(60), source=AllocationSource.TIME_TRACKING,
                               note="Jira worklogs"))
    session.add(QualifiedExpense(study_id=study.id, project_id=project.id,
                                 category=ExpenseCategory.COMPUTER_RENTAL, vendor="Lambda Labs",
                                 description="GPU hours for retrieval training",
                                 amount=Decimal("12345.67"), qualified_share=Decimal(100), source_kind="gl",
                                 source_ref="GL line 42", approved_by_id=approver.id, approved_at=utcnow()))
    blobs = FreshBlobs(db, store)
    artifacts = {
        "memo.pdf": _store(session, blobs, study, "memo.pdf", exhibit_pdf(2), "application/pdf",
                           ArtifactKind.DOCUMENT, author),
        "notes.md": _store(session, blobs, study, "notes.md", b"# Notes\nHybrid beat dense.\n" * 50,
                           "text/markdown", ArtifactKind.DOCUMENT, author),
        "gone.md": _store(session, blobs, study, "gone.md", b"removed later\n", "text/markdown",
                          ArtifactKind.DOCUMENT, author),
        "unlinked.md": _store(session, blobs, study, "unlinked.md", b"never cited\n", "text/markdown",
                              ArtifactKind.DOCUMENT, author),
    }
    add_manual_link(session, study.id, artifact_id=artifacts["memo.pdf"], target_type="uncertainty",
                    target_id=uncertainty.id, user_id=approver.id)
    remove_artifact(session.get_one(Artifact, artifacts["gone.md"]),
                    reason="duplicate", removed_by_id=approver.id)
    narrative = ensure_narrative(session, project, Prong.EXPERIMENTATION)
    markdown = (f"Dense retrieval failed [EX-{artifacts['notes.md']}](exhibit:{artifacts['notes.md']}); "
                f"see also [EX-{artifacts['gone.md']}](exhibit:{artifacts['gone.md']}).")
    save_version(session, narrative, markdown, author_id=author.id)
    send_for_review(session, narrative, user_id=author.id)
    approve(session, narrative, user_id=approver.id)
    session.commit()
    return SmallStudy(study, project, author, approver, artifacts)
