"""``fourpart gl``: score a general ledger from a shell, retrain the scoring models, measure them."""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import NoReturn

import click

from core.db import Database, DatabaseUnavailable
from core.settings import get_settings
from core.startup import NotMigrated
from scoring.dataset import LabelledLines, generated, read_labelled
from scoring.evaluation import Metrics, pr_plot_svg
from scoring.gl_import import GLImportError
from scoring.model_card import with_heldout
from scoring.pipeline import ModelFiles, PairMetrics, measure, train_files, training_data
from scoring.registry import (
    KINDS,
    LoadedModel,
    ModelPair,
    active_pair,
    booster_from_json,
    next_version,
    save_pair,
    shipped_pair,
    write_shipped,
)
from scoring.score_file import score_file
from scoring.scorer import Progress
from scoring.training import TrainingConfig
from webapp.commands.common import blob_store, database

TARGETS = {"expense": {"roc_auc": 0.90, "precision_at_recall_0_5": 0.80, "read_share_for_80pct": 0.05},
           "account": {"roc_auc": 0.96}}


@click.group("gl")
def gl_group() -> None:
    """Score general ledgers with the expense and account models; retrain and measure them."""


def _fail(message: str) -> NoReturn:
    click.echo(f"fourpart: {message}", err=True)
    sys.exit(2)


@contextmanager
def progress_bar(label: str) -> Iterator[Progress]:
    """A progress bar on standard error, driven by ``(fraction, message)`` reports."""
    with click.progressbar(length=1000, label=label, file=sys.stderr, show_eta=True) as bar:
        def report(fraction: float, _message: str) -> None:
            bar.update(max(0, round(fraction * 1000) - bar.pos))
        yield report


def _optional_database() -> Database | None:
    """The configured database for the embedding cache and the active models, or None when there is none."""
    try:
        return database()
    except (DatabaseUnavailable, NotMigrated) as exc:
        click.echo(f"fourpart: no embedding cache or database models ({exc}); using the shipped models",
                   err=True)
        return None


def _models(db: Database | None) -> ModelPair | None:
    if db is None:
        return None
    with db.session(reading=True) as session:
        return active_pair(session, blob_store())


@gl_group.command("score")
@click.argument("input_path", metavar="INPUT", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--out", "out", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="The CSV to write: every input row, in order, plus expense_score and account_score.")
@click.option("--industry", default="", help="Industry of lines whose file names none (report exports).")
def score_command(input_path: Path, out: Path, industry: str) -> None:
    """Score every line and account of a GL file (canonical CSV, QuickBooks or Xero export).

    expense_score is empty where the amount is not positive; an account's score is repeated on each of
    its lines. A file that cannot be read is named with its row and column, and no output is written.
    """
    db = _optional_database()
    models = _models(db)
    try:
        with progress_bar("scoring") as report:
            scored = score_file(input_path, out, industry=industry, models=models, cache=db, progress=report)
    except GLImportError as exc:
        _fail(str(exc))
    click.echo(f"{len(scored.expense_scores):,} lines, {len(scored.accounts.keys):,} accounts scored with "
               f"{scored.models.source} -> {out}", err=True)


@gl_group.command("train")
@click.option("--seed", default=41, show_default=True, type=int, help="Same seed and data, same models.")
@click.option("--heldout-companies", default=20, show_default=True, type=click.IntRange(min=0),
              help="Measure on this many generated held-out companies (0: skip) and record it in the cards.")
@click.option("--ship-to", type=click.Path(file_okay=False, path_type=Path),
              help="Also write the pair's JSON and cards to this folder (scoring/data/models ships them).")
@click.option("--corpus", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="A labelled canonical CSV to train on instead of the starter corpus "
                   "(default: FOURPART_GL_TRAINING_CORPUS, else the shipped starter corpus).")
def train_command(seed: int, heldout_companies: int, ship_to: Path | None, corpus: Path | None) -> None:
    """Train both models on the starter corpus and the reviewed lines; store them as the active version.

    Settings and thresholds come from company-grouped cross-validation inside the training data; the
    held-out companies are measured once, after training, and recorded in the cards."""
    db, store = database(), blob_store()
    try:
        data = training_data(db, corpus or get_settings().gl_training_corpus)
    except GLImportError as exc:
        _fail(str(exc))
    with db.session(reading=True) as session:
        version = next_version(session)
    click.echo(f"training version {version} on {len(data):,} lines (seed {seed})", err=True)
    started = time.perf_counter()
    with progress_bar("training") as report:
        _, files = train_files(data, embedding_model=get_settings().embedding_model, version=version,
                               config=TrainingConfig(seed=seed), cache=db, progress=report)
    click.echo(f"trained in {time.perf_counter() - started:.0f} s", err=True)
    if heldout_companies:
        files = _with_heldout(files, generated("heldout", companies=heldout_companies), db, heldout_companies)
    with db.transaction() as session:
        pair = save_pair(session, store, files, notes=f"fourpart gl train --seed {seed}")
    if ship_to is not None:
        write_shipped(ship_to, files)
    for kind in KINDS:
        card = files[kind][1]
        click.echo(f"{kind} model v{version} (id {getattr(pair, kind).model_id}): {card['rounds']} rounds, "
                   f"threshold {card['threshold']:.3f}")
        _print_metrics("cross-validated", Metrics.from_card(card["metrics"]["validation"]), TARGETS[kind])
        if "heldout" in card["metrics"]:
            _print_metrics("held-out", Metrics.from_card(card["metrics"]["heldout"]), TARGETS[kind])


def _with_heldout(files: ModelFiles, data: LabelledLines, db: Database, companies: int) -> ModelFiles:
    pair = _in_memory(files)
    with progress_bar("held-out") as report:
        metrics = measure(data, pair, cache=db, progress=report)
    description = f"generated held-out split, {companies} companies (companies and vendors never trained on)"
    return {kind: (files[kind][0], with_heldout(files[kind][1], getattr(metrics, kind), description))
            for kind in KINDS}


def _in_memory(files: ModelFiles) -> ModelPair:
    loaded = {kind: LoadedModel(kind, booster_from_json(data), card, "")
              for kind, (data, card) in files.items()}
    return ModelPair(loaded["expense"], loaded["account"])


@gl_group.command("evaluate")
@click.option("--data", "data_path", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="A labelled canonical CSV (.csv or .csv.gz) with a label column of 0 or 1.")
@click.option("--heldout", "heldout_companies", type=click.IntRange(min=1),
              help="Instead, this many generated held-out companies (vendors never trained on).")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON document with every figure.")
@click.option("--plot", "plot", type=click.Path(dir_okay=False, path_type=Path),
              help="Also write the precision-recall curves as SVG to this file.")
def evaluate_command(data_path: Path | None, heldout_companies: int | None, as_json: bool,
                     plot: Path | None) -> None:
    """Measure the active models: ROC AUC, average precision, precision and recall at the threshold,
    precision at recall 0.5, and the share of lines read in score order to find 80% of the qualified."""
    if (data_path is None) == (heldout_companies is None):
        _fail("give --data FILE or --heldout N")
    try:
        data = read_labelled(data_path) if data_path else generated("heldout", companies=heldout_companies)
    except GLImportError as exc:
        _fail(str(exc))
    db = _optional_database()
    pair = _models(db) or shipped_pair()
    with progress_bar("scoring") as report:
        metrics = measure(data, pair, cache=db, progress=report)
    if plot is not None:
        curves = {"expense": metrics.expense, "account": metrics.account}
        plot.write_text(pr_plot_svg(curves), encoding="utf-8")
    if as_json:
        click.echo(json.dumps({"models": pair.source, **metrics.as_json()}, indent=1))
        return
    source = data_path.name if data_path else f"{heldout_companies} generated held-out companies"
    click.echo(f"{pair.source} on {source}")
    _print_all(metrics)


def _print_all(metrics: PairMetrics) -> None:
    for kind in KINDS:
        click.echo(f"{kind} model")
        _print_metrics("", getattr(metrics, kind), TARGETS[kind])


def _print_metrics(label: str, m: Metrics, targets: dict[str, float] | None = None) -> None:
    prefix = f"  {label}: " if label else "  "
    goals = targets or {}

    def mark(key: str, value: float) -> str:
        if key not in goals:
            return ""
        met = value <= goals[key] if key == "read_share_for_80pct" else value >= goals[key]
        return f" (target {'<=' if key == 'read_share_for_80pct' else '>='} {goals[key]:g}: " \
               f"{'met' if met else 'NOT met'})"

    click.echo(f"{prefix}{m.count:,} items, {m.positives:,} qualified")
    click.echo(f"    ROC AUC {m.roc_auc:.4f}{mark('roc_auc', m.roc_auc)}")
    click.echo(f"    average precision {m.average_precision:.4f}")
    click.echo(f"    at threshold {m.threshold:.3f}: precision {m.precision_at_threshold:.4f}, "
               f"recall {m.recall_at_threshold:.4f}, {m.flagged_share:.2%} flagged")
    click.echo(f"    precision at recall >= 0.5: {m.precision_at_recall_0_5:.4f}"
               f"{mark('precision_at_recall_0_5', m.precision_at_recall_0_5)}")
    click.echo(f"    share read in score order to find 80% of the qualified: {m.read_share_for_80pct:.2%}"
               f"{mark('read_share_for_80pct', m.read_share_for_80pct)}")
