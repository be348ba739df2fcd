"""Benchmark the audit-defense package build against a plain WeasyPrint render of as many pages.

    python bench/package.py [--projects 20] [--exhibits 2000] [--gl-lines 5000] [--pdf-exhibits 20]

Builds, in a fresh SQLite database and local blob store in a temporary folder (before the clock
starts), a study with ``--projects`` projects (each with uncertainties, experiments including
failures, layers, four approved narratives citing exhibits, people and allocations),
``--exhibits`` evidence originals linked to the projects (``--pdf-exhibits`` of them PDFs, which
are appended and stamped) and ``--gl-lines`` approved GL qualified expenses. Then times

  (a) ``build_package``: reading the study, rendering the PDF, appending PDF exhibits, the BagIt ZIP
      and storing both, and
  (b) the baseline: WeasyPrint rendering a plain HTML document (headings, paragraphs and a table
      per page) with the same page count as (a)'s PDF, in the same process right after.

``peak_mb`` is the process's peak resident size (VmHWM), data generation included. Prints a line
per figure and, as the LAST line, one JSON object with them. Targets: ratio <= 1.5, seconds < 90,
peak_mb < 2048.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import json
import resource
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def peak_mb() -> float:
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def make_study(folder: Path, projects: int, exhibits: int, gl_lines: int, pdf_exhibits: int):
    from weasyprint import HTML

    import webapp.models  # noqa: F401
    from core.blobs import register_blob
    from core.blobstore import LocalBlobStore
    from core.db import Database, utcnow
    from core.migrate import upgrade
    from core.users import create_user
    from evidence.models import Artifact, ArtifactKind, ArtifactRevision, EvidenceLink, LinkStatus
    from narratives.models import Narrative, NarrativeState, NarrativeVersion, Prong
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
        UncertaintyKind,
        UncertaintyStatement,
        WageAllocation,
    )
    from studies.services import create_organization, create_study

    url = f"sqlite:///{folder / 'fourpart.db'}"
    upgrade(url)
    db, store = Database(url), LocalBlobStore(folder / "blobs")
    pdf_bytes = HTML(
        string="".join(f'<p style="break-after: page">Signed memo page {n}</p>' for n in range(1, 4))
    ).write_pdf()
    outcomes = [Outcome.FAILED, Outcome.SUCCEEDED, Outcome.ABANDONED]
    with db.transaction() as session:
        user = create_user(session, email="cpa@bench.test", name="Bench CPA", password="bench password 1")
        org = create_organization(session, name="Bench AI, Inc.", sub_sector="ai_native_product_engineering")
        study = create_study(session, organization=org, slug="bench", title="Bench 2025", tax_year=2025)
        session.flush()
        comps = []
        for p in range(projects):
            comp = BusinessComponent(
                study_id=study.id,
                code=f"p{p:02d}",
                name=f"Project {p}: retrieval variant {p}",
                sub_sector="ai_native_product_engineering",
                information_sought="Whether X.",
                start_date=dt.date(2025, 1, 6),
                end_date=dt.date(2025, 11, 30),
            )
            session.add(comp)
            session.flush()
            comps.append(comp)
            for u in range(2):
                unc = UncertaintyStatement(
                    study_id=study.id,
                    project_id=comp.id,
                    kind=UncertaintyKind.METHOD,
                    statement=f"Whether approach {u} reaches the bar.",
                    identified_on=dt.date(2025, 1, 10 + u),
                )
                session.add(unc)
                session.flush()
                session.add_all(
                    Experiment(
                        study_id=study.id,
                        uncertainty_id=unc.id,
                        name=f"Alternative {e}",
                        hypothesis="It works.",
                        method="Offline evaluation.",
                        started_on=dt.date(2025, 2, 1 + e),
                        ended_on=dt.date(2025, 3, 1 + e),
                        outcome=outcomes[e],
                        metrics={"recall": 0.7 + e / 10},
                    )
                    for e in range(3)
                )
            session.add(
                Layer(
                    study_id=study.id,
                    project_id=comp.id,
                    kind=LayerKind.QUALIFYING_ENGINEERING,
                    name="Retriever",
                    reason="Built here.",
                )
            )
            employee = Employee(
                study_id=study.id, name=f"Engineer {p}", title="ML Engineer", w2_wages=Decimal(180000)
            )
            session.add(employee)
            session.flush()
            session.add(
                WageAllocation(
                    study_id=study.id,
                    employee_id=employee.id,
                    project_id=comp.id,
                    percent=Decimal(70),
                    source=AllocationSource.TIME_TRACKING,
                )
            )
        artifact_ids = []
        for n in range(exhibits):
            is_pdf = n < pdf_exhibits
            data = pdf_bytes if is_pdf else (f"# Run log {n}\n" + "metric,value\n" * 60).encode()
            blob = store.put_bytes(data if is_pdf else data + str(n).encode())
            register_blob(session, blob.sha256, blob.size, "application/pdf" if is_pdf else "text/markdown")
            art = Artifact(
                study_id=study.id,
                kind=ArtifactKind.DOCUMENT,
                source="upload",
                path=f"evidence/{n:05d}.{'pdf' if is_pdf else 'md'}",
                title=f"Evidence {n}",
            )
            session.add(art)
            session.flush()
            session.add(
                ArtifactRevision(
                    study_id=study.id,
                    artifact_id=art.id,
                    number=1,
                    blob_sha256=blob.sha256,
                    size=blob.size,
                    media_type="application/pdf" if is_pdf else "text/markdown",
                    original_name=f"{n:05d}.{'pdf' if is_pdf else 'md'}",
                    uploaded_by_id=user.id,
                    content_start=dt.date(2025, 3, 1),
                )
            )
            session.add(
                EvidenceLink(
                    study_id=study.id,
                    artifact_id=art.id,
                    target_type="project",
                    target_id=comps[n % projects].id,
                    suggested_by="person",
                    status=LinkStatus.ACCEPTED,
                    decided_by_id=user.id,
                    decided_at=utcnow(),
                )
            )
            artifact_ids.append(art.id)
        for index, comp in enumerate(comps):
            cited = artifact_ids[index::projects][:10]
            for prong in Prong:
                narrative = Narrative(
                    study_id=study.id, project_id=comp.id, prong=prong, state=NarrativeState.APPROVED
                )
                session.add(narrative)
                session.flush()
                refs = ", ".join(f"[EX-{a}](exhibit:{a})" for a in cited)
                text = (
                    f"## {prong.value}\n\nThe team evaluated alternatives. Evidence: {refs}.\n\n"
                    + "A paragraph of approved narrative text describing the work in detail. " * 12
                )
                session.add(
                    NarrativeVersion(
                        study_id=study.id,
                        narrative_id=narrative.id,
                        number=1,
                        markdown=text,
                        author_id=user.id,
                        approved_by_id=user.id,
                        approved_at=utcnow(),
                    )
                )
        session.add_all(
            QualifiedExpense(
                study_id=study.id,
                project_id=comps[n % projects].id,
                category=ExpenseCategory.COMPUTER_RENTAL,
                vendor=f"Cloud vendor {n % 7}",
                description=f"GPU hours batch {n}",
                amount=Decimal("123.45"),
                qualified_share=Decimal(100),
                source_kind="gl",
                source_ref=f"GL line {n}",
                approved_by_id=user.id,
                approved_at=utcnow(),
            )
            for n in range(gl_lines)
        )
        return db, store, study.id, user.id


def baseline_html(pages: int) -> str:
    rows = "".join(
        f"<tr><td>{r}</td><td>Line item {r} with some words</td><td>$1,234.56</td></tr>" for r in range(30)
    )
    page = (
        f"<h2>Section</h2><p>{'Plain text paragraph for the baseline render. ' * 10}</p>"
        f"<table border=1 style='width:100%; border-collapse: collapse'>{rows}</table>"
    )
    return (
        "<html><head><style>@page { size: Letter; margin: 20mm } div { break-after: page; font-size: 8pt }"
        "</style></head><body>" + "".join(f"<div>{page}</div>" for _ in range(pages)) + "</body></html>"
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--projects", type=int, default=20)
    parser.add_argument("--exhibits", type=int, default=2000)
    parser.add_argument("--gl-lines", type=int, default=5000)
    parser.add_argument("--pdf-exhibits", type=int, default=20)
    args = parser.parse_args()
    from pypdf import PdfReader
    from weasyprint import HTML

    from narratives.package import BuildRequest, build_package

    with tempfile.TemporaryDirectory(prefix="fourpart-bench-") as scratch:
        started = time.perf_counter()
        db, store, study_id, user_id = make_study(
            Path(scratch), args.projects, args.exhibits, args.gl_lines, args.pdf_exhibits
        )
        print(f"study generated in {time.perf_counter() - started:.1f} s", flush=True)
        phases: list[tuple[float, str]] = []
        clock = time.perf_counter()
        built = build_package(
            db,
            store,
            study_id,
            BuildRequest(user_id=user_id),
            progress=lambda f, m: phases.append((time.perf_counter() - clock, m)),
        )
        seconds = time.perf_counter() - clock
        pdf = store.read_bytes(built.pdf_sha256)
        pages = len(PdfReader(io.BytesIO(pdf)).pages)
        zip_mb = store.size(built.zip_sha256) / 1e6
        clock = time.perf_counter()
        baseline_pdf = HTML(string=baseline_html(pages)).write_pdf()
        baseline = time.perf_counter() - clock
        baseline_pages = len(PdfReader(io.BytesIO(baseline_pdf)).pages)
    for at, message in phases:
        print(f"  {at:7.1f} s  {message}")
    figures = {
        "projects": args.projects,
        "exhibits": built.exhibits,
        "gl_lines": args.gl_lines,
        "pages": pages,
        "seconds": round(seconds, 2),
        "pages_per_s": round(pages / seconds, 2),
        "baseline_pages": baseline_pages,
        "baseline_seconds": round(baseline, 2),
        "ratio": round(seconds / baseline, 2),
        "pdf_mb": round(len(pdf) / 1e6, 2),
        "zip_mb": round(zip_mb, 2),
        "peak_mb": round(peak_mb(), 1),
    }
    for key, value in figures.items():
        print(f"{key}: {value}")
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
