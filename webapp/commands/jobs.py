"""``fourpart jobs``: see what background jobs did."""

import click
from sqlalchemy import select

from core.jobs import Job
from studies.services import find_study
from webapp.commands.common import blob_store, command_queue, database, echo_json


def job_json(job: Job) -> dict[str, object]:
    return {"id": job.id, "kind": job.kind, "study_id": job.study_id, "status": job.status,
            "created_at": job.created_at, "finished_at": job.finished_at,
            "error": job.error, "result": job.result}


@click.group("jobs")
def group() -> None:
    """List and inspect background jobs."""


@group.command("list")
@click.option("--study", "slug", default=None, help="Only this study's jobs.")
def list_jobs(slug: str | None) -> None:
    """One JSON line per job, newest first."""
    with database().transaction() as session:
        query = select(Job).order_by(Job.id.desc()).limit(100)
        if slug:
            study = find_study(session, slug)
            if study is None:
                raise click.ClickException(f"no study with the slug {slug!r}")
            query = query.where(Job.study_id == study.id)
        for job in session.scalars(query):
            echo_json(job_json(job))


@group.command("show")
@click.argument("job_id", type=int)
def show(job_id: int) -> None:
    """The job's status, result or error as JSON; exit 1 if it failed."""
    with database().transaction() as session:
        job = session.get(Job, job_id)
        if job is None:
            raise click.ClickException(f"no job {job_id}")
        echo_json(job_json(job))
        if job.status == "failed":
            raise SystemExit(1)


@group.command("submit")
@click.argument("kind")
@click.option("--study", "slug", required=True)
def submit(kind: str, slug: str) -> None:
    """Start a job (e.g. evidence.verify); with the embedded queue it runs here and now."""
    from core.audit import Actor
    from core.jobs import UnknownJobKind
    db = database()
    with db.transaction() as session:
        study = find_study(session, slug)
        if study is None:
            raise click.ClickException(f"no study with the slug {slug!r}")
        study_id = study.id
    try:
        job_id = command_queue(db, blob_store()).submit(kind, actor=Actor("cli"), study_id=study_id)
    except UnknownJobKind as exc:
        raise click.ClickException(str(exc)) from None
    with db.transaction() as session:
        echo_json(job_json(session.get_one(Job, job_id)))
