"""``fourpart serve`` and ``fourpart worker``: the processes that do the work."""

import click
from werkzeug.serving import run_simple

from core.settings import get_settings
from core.startup import check_services
from webapp.commands.common import blob_store, database


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
def serve(host: str, port: int) -> None:
    """Serve the web app; with the embedded queue, jobs run in threads of this process."""
    from webapp.app import create_app
    settings = get_settings()
    db, blobs = database(), blob_store()
    check_services(db, blobs)
    app = create_app(settings, db=db)
    queue = app.extensions["fourpart.queue"]
    if settings.queue_url == "embedded":
        queue.start_in_process(settings.queue_workers)
    click.echo(f"Fourpart is serving http://{host}:{port}/ (jobs: {settings.queue_url})")
    try:
        run_simple(host, port, app, threaded=True, use_reloader=False)
    finally:
        queue.stop_in_process()


@click.command("worker")
@click.option("--workers", default=None, type=int, help="Worker threads (default: setting).")
def worker(workers: int | None) -> None:
    """Consume the job queue in this process (for FOURPART_QUEUE_URL=redis://...)."""
    import webapp.tasks  # noqa: F401
    from core.jobs import JobQueue
    settings = get_settings()
    db, blobs = database(), blob_store()
    check_services(db, blobs)
    queue = JobQueue(db, blobs, settings.queue_url, settings.instance_path)
    click.echo(f"Fourpart worker consuming {settings.queue_url}")
    queue.worker(workers or settings.queue_workers).run()
