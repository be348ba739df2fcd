"""Binary-classifier metrics for the scoring models, written with numpy: ROC AUC, average precision, the
precision-recall curve, precision and recall at a threshold, and how much a reviewer reads to find most of
the qualified lines."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np

from core.charts import PALETTE, new_figure, svg_text

TARGET_RECALL = 0.5
REVIEW_RECALL = 0.8
CURVE_POINTS = 50


@dataclass(frozen=True)
class Curve:
    """Precision and recall at each distinct score, highest score first."""

    thresholds: np.ndarray
    precision: np.ndarray
    recall: np.ndarray


@dataclass(frozen=True)
class Metrics:
    count: int
    positives: int
    roc_auc: float
    average_precision: float
    threshold: float
    precision_at_threshold: float
    recall_at_threshold: float
    flagged_share: float
    precision_at_recall_0_5: float
    read_share_for_80pct: float
    curve: list[tuple[float, float, float]]  # (threshold, precision, recall), thinned for the card and plot

    def as_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["curve"] = [list(point) for point in self.curve]
        return data

    @classmethod
    def from_card(cls, figures: dict[str, Any]) -> Metrics:
        """The metrics a model card records (``as_json``, plus a held-out set's ``data`` description)."""
        return cls(**{key: value for key, value in figures.items() if key != "data"})

    def summary(self) -> dict[str, Any]:
        """Every figure but the curve, rounded for a report."""
        return {key: round(value, 4) if isinstance(value, float) else value
                for key, value in asdict(self).items() if key != "curve"}


def roc_auc(labels: np.ndarray, scores: np.ndarray) -> float:
    """The probability a random positive outscores a random negative (ties count half)."""
    labels = np.asarray(labels, dtype=bool)
    positives, negatives = int(labels.sum()), int((~labels).sum())
    if positives == 0 or negatives == 0:
        return float("nan")
    ranks = _average_ranks(np.asarray(scores, dtype=np.float64))
    return float((ranks[labels].sum() - positives * (positives + 1) / 2) / (positives * negatives))


def _average_ranks(values: np.ndarray) -> np.ndarray:
    _, inverse, counts = np.unique(values, return_inverse=True, return_counts=True)
    last = np.cumsum(counts)
    return ((last - counts + 1 + last) / 2.0)[inverse]


def pr_curve(labels: np.ndarray, scores: np.ndarray) -> Curve:
    labels = np.asarray(labels, dtype=bool)
    order = np.argsort(-np.asarray(scores, dtype=np.float64), kind="stable")
    ordered_scores, ordered_labels = np.asarray(scores)[order], labels[order]
    true_positives = np.cumsum(ordered_labels)
    # one point per distinct score: the last index of each run of equal scores
    ends = np.r_[np.flatnonzero(np.diff(ordered_scores)), len(ordered_scores) - 1]
    flagged = ends + 1
    total = max(int(labels.sum()), 1)
    return Curve(ordered_scores[ends].astype(np.float64), true_positives[ends] / flagged,
                 true_positives[ends] / total)


def average_precision(curve: Curve) -> float:
    recall_steps = np.diff(np.r_[0.0, curve.recall])
    return float((recall_steps * curve.precision).sum())


def precision_at_recall(curve: Curve, recall: float) -> float:
    """The best precision among thresholds that reach ``recall``."""
    reached = curve.recall >= recall
    return float(curve.precision[reached].max()) if reached.any() else 0.0


def at_threshold(labels: np.ndarray, scores: np.ndarray, threshold: float) -> tuple[float, float, float]:
    """(precision, recall, share flagged) when every score >= ``threshold`` is flagged."""
    labels = np.asarray(labels, dtype=bool)
    flagged = np.asarray(scores) >= threshold
    hits = int((flagged & labels).sum())
    precision = hits / int(flagged.sum()) if flagged.any() else 0.0
    recall = hits / int(labels.sum()) if labels.any() else 0.0
    return precision, recall, float(flagged.mean()) if len(flagged) else 0.0


def best_f1_threshold(curve: Curve) -> float:
    """The score that maximises F1 (the balance of how many items turn green and how many of them qualify)."""
    f1 = 2 * curve.precision * curve.recall / np.maximum(curve.precision + curve.recall, 1e-12)
    return float(curve.thresholds[int(np.argmax(f1))])


def read_share(labels: np.ndarray, scores: np.ndarray, groups: Sequence[str] | np.ndarray | None = None,
               recall: float = REVIEW_RECALL) -> float:
    """Share of the lines a reviewer reads, in score order, to reach ``recall`` of the qualified lines.

    With ``groups`` (one GL per company) it is the mean over the GLs that have a qualified line.
    """
    labels, scores = np.asarray(labels, dtype=bool), np.asarray(scores, dtype=np.float64)
    if groups is None:
        return _read_share(labels, scores, recall)
    keys = np.asarray(groups)
    shares = [_read_share(labels[keys == key], scores[keys == key], recall)
              for key in dict.fromkeys(keys.tolist()) if labels[keys == key].any()]
    return float(np.mean(shares)) if shares else float("nan")


def _read_share(labels: np.ndarray, scores: np.ndarray, recall: float) -> float:
    if not labels.any():
        return float("nan")
    found = np.cumsum(labels[np.argsort(-scores, kind="stable")])
    needed = int(np.ceil(recall * found[-1]))
    return float((np.searchsorted(found, needed) + 1) / len(labels))


def thin(curve: Curve, points: int = CURVE_POINTS) -> list[tuple[float, float, float]]:
    """About ``points`` points of the curve, evenly spaced in recall."""
    targets = np.linspace(0, 1, points)
    indexes = sorted({int(min(np.searchsorted(curve.recall, target), len(curve.recall) - 1))
                      for target in targets})
    return [(round(float(curve.thresholds[i]), 6), round(float(curve.precision[i]), 6),
             round(float(curve.recall[i]), 6)) for i in indexes]


def evaluate(labels: np.ndarray, scores: np.ndarray, threshold: float,
             groups: Sequence[str] | np.ndarray | None = None) -> Metrics:
    """Every figure of the model card for one model on one labelled set."""
    labels = np.asarray(labels, dtype=bool)
    curve = pr_curve(labels, scores)
    precision, recall, flagged = at_threshold(labels, scores, threshold)
    return Metrics(count=len(labels), positives=int(labels.sum()), roc_auc=roc_auc(labels, scores),
                   average_precision=average_precision(curve), threshold=float(threshold),
                   precision_at_threshold=precision, recall_at_threshold=recall, flagged_share=flagged,
                   precision_at_recall_0_5=precision_at_recall(curve, TARGET_RECALL),
                   read_share_for_80pct=read_share(labels, scores, groups), curve=thin(curve))


def pr_plot_svg(curves: dict[str, Metrics], *, title: str = "Precision-recall") -> str:
    """The precision-recall curves of one or more models as inline SVG, each with its threshold marked."""
    figure = new_figure(5.0, 3.4)
    axes = figure.add_subplot()
    for colour, (name, metrics) in zip(PALETTE, curves.items(), strict=False):
        recall = [point[2] for point in metrics.curve]
        precision = [point[1] for point in metrics.curve]
        axes.plot(recall, precision, color=colour, label=f"{name} (AP {metrics.average_precision:.2f})")
        axes.plot([metrics.recall_at_threshold], [metrics.precision_at_threshold], "o", color=colour)
    axes.set(xlabel="recall", ylabel="precision", xlim=(0, 1.02), ylim=(0, 1.02))
    axes.legend(loc="lower left", frameon=False)
    return svg_text(figure, title=title)
