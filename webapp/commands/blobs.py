"""``fourpart blobs``: the integrity of stored originals."""

import click

from core.blobs import known_hashes
from evidence.ingest.staging import awaited_staged_hashes
from webapp.commands.common import blob_store, database, echo_json


@click.group("blobs")
def group() -> None:
    """Check stored originals and find blobs nothing refers to."""


@group.command("sweep")
@click.option("--delete", is_flag=True, help="Remove the orphans found (they are listed either way).")
def sweep(delete: bool) -> None:
    """List blobs in the store with no row in the database (left by a crash).

    Uploads staged for a job that has not finished yet are not orphans and are kept.
    """
    store = blob_store()
    with database().transaction() as session:
        known = known_hashes(session) | awaited_staged_hashes(session)
    orphans = [sha for sha in store.iter_hashes() if sha not in known]
    for sha in orphans:
        if delete:
            store.discard(sha)
        echo_json({"sha256": sha, "orphan": True, "deleted": delete})
    click.echo(f"{len(orphans)} orphan blob(s)", err=True)


@group.command("verify")
def verify() -> None:
    """Re-hash every registered blob; exit 1 if any is missing or corrupted."""
    from core.blobstore import BlobError
    store = blob_store()
    with database().transaction() as session:
        hashes = sorted(known_hashes(session))
    bad = 0
    for sha in hashes:
        try:
            store.verify(sha)
        except BlobError as exc:
            bad += 1
            echo_json({"sha256": sha, "error": str(exc)})
    click.echo(f"{len(hashes) - bad} of {len(hashes)} blob(s) intact", err=True)
    if bad:
        raise SystemExit(1)
