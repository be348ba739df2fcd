"""Turning findings into third-party layers and the evidence links that cite their files.

A project gets a proposed layer for a vendor only if none of its layers names that vendor
already (any spelling in the catalog's aliases); either way, the files become suggested
evidence links on the project's layer for that vendor, for a person to accept or reject.
Running it again adds nothing twice.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from evidence.models import Artifact, EvidenceLink, LinkStatus
from evidence.thirdparty.findings import Finding, Mention
from evidence.thirdparty.vendors import Catalog, Vendor, catalog, squeeze
from studies.models import BusinessComponent, Layer, LayerKind

RULE = "rule:third-party"
PART_TYPE = "file"
TARGET_TYPE = "layer"
MODEL_LIMIT = 120


@dataclass
class Proposal:
    """What one run wrote: the layers it created and how many links it suggested."""

    layers: list[dict[str, Any]] = field(default_factory=list)
    links: int = 0
    existing_layers: list[dict[str, Any]] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        return {"layers_created": self.layers, "links_created": self.links,
                "existing_layers_cited": self.existing_layers}


def propose_third_party_layers(session: Session, study_id: int, findings: Sequence[Finding], *,
                               vendors: Catalog | None = None) -> Proposal:
    known = vendors or catalog()
    projects = {p.id: p for p in session.scalars(
        select(BusinessComponent).where(BusinessComponent.study_id == study_id))}
    artifacts = set(session.scalars(select(Artifact.id).where(Artifact.study_id == study_id)))
    by_target: dict[tuple[int, str], list[Finding]] = defaultdict(list)
    for finding in findings:  # a finding naming another study's project or artifact is not ours
        if finding.project_id in projects and finding.artifact_id in artifacts:
            by_target[(finding.project_id, finding.vendor)].append(finding)
    proposal = Proposal()
    seen = _existing_links(session, study_id)
    for (project_id, key), found in sorted(by_target.items()):
        project, vendor = projects[project_id], known.by_key(key)
        layer = _vendor_layer(session, project, vendor)
        if layer is None:
            layer = _new_layer(session, known, project, vendor, found)
            proposal.layers.append(_described(project, layer))
        else:
            proposal.existing_layers.append(_described(project, layer))
        proposal.links += _link(session, study_id, layer, found, seen)
    session.flush()
    return proposal


def _vendor_layer(session: Session, project: BusinessComponent, vendor: Vendor) -> Layer | None:
    names = vendor.names()
    layers = session.scalars(select(Layer).where(Layer.project_id == project.id).order_by(Layer.id))
    return next((layer for layer in layers if layer.vendor and squeeze(layer.vendor) in names), None)


def _models(found: Iterable[Finding]) -> str | None:
    models = sorted({finding.model for finding in found if finding.model})
    text = ", ".join(models)
    return (text if len(text) <= MODEL_LIMIT else text[: MODEL_LIMIT - 1] + "…") or None


def _new_layer(session: Session, known: Catalog, project: BusinessComponent, vendor: Vendor,
               found: list[Finding]) -> Layer:
    files = sorted({path for finding in found for path in finding.files})
    shown = ", ".join(files[:3]) + (f" and {len(files) - 3} more" if len(files) > 3 else "")
    reason = (f"{known.reason(vendor)} Proposed by third-party model detection from {shown}; "
              "confirm or correct it.")
    layer = Layer(study_id=project.study_id, project_id=project.id, kind=LayerKind.THIRD_PARTY_MODEL,
                  name=vendor.layer_name, vendor=vendor.label, model=_models(found), reason=reason)
    session.add(layer)
    session.flush()
    return layer


LinkKey = tuple[int, str, int]


def _existing_links(session: Session, study_id: int) -> set[LinkKey]:
    query = select(EvidenceLink.artifact_id, EvidenceLink.part_ref, EvidenceLink.target_id).where(
        EvidenceLink.study_id == study_id, EvidenceLink.target_type == TARGET_TYPE,
        EvidenceLink.part_type == PART_TYPE)
    return {(artifact, ref or "", target) for artifact, ref, target in session.execute(query)}


def _link(session: Session, study_id: int, layer: Layer, found: list[Finding], seen: set[LinkKey]) -> int:
    created = 0
    mentions: dict[tuple[int, str], Mention] = {}
    for finding in found:
        for mention in finding.mentions:
            mentions.setdefault((finding.artifact_id or 0, mention.ref), mention)
    for (artifact_id, ref), _mention in sorted(mentions.items()):
        key = (artifact_id, ref, layer.id)
        if key in seen:
            continue
        seen.add(key)
        session.add(EvidenceLink(study_id=study_id, artifact_id=artifact_id, part_type=PART_TYPE,
                                 part_ref=ref, target_type=TARGET_TYPE, target_id=layer.id, prong=None,
                                 suggested_by=RULE, score=1.0, status=LinkStatus.SUGGESTED))
        created += 1
    return created


def _described(project: BusinessComponent, layer: Layer) -> dict[str, Any]:
    return {"project": project.code, "layer_id": layer.id, "name": layer.name, "vendor": layer.vendor,
            "model": layer.model}
