"""Where the models come from: the active ``ScoringModel`` rows of the database (XGBoost JSON in the blob
store), else the pair shipped with the code in ``scoring/data/models/``."""

from __future__ import annotations

import hashlib
import json
import threading
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import xgboost as xgb
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from core.blobs import register_blob
from core.blobstore import BlobStore, blob_store_from_url
from core.settings import get_settings
from scoring.features import Vocabulary
from scoring.models import ScoringModel
from scoring.stacked import FORMAT, StackedModel, load_booster

KINDS = ("expense", "account")
SHIPPED = Path(__file__).resolve().parent / "data" / "models"
MEDIA_TYPE = "application/json"


class ModelsUnavailable(RuntimeError):
    """No usable scoring models: none active in the database and none shipped."""


@dataclass(frozen=True)
class LoadedModel:
    kind: str
    booster: xgb.Booster | StackedModel  # the expense model is stacked, the account model one booster
    card: dict[str, Any]
    sha256: str
    model_id: int | None = None  # the ScoringModel row, None for the shipped files

    @property
    def threshold(self) -> float:
        return float(self.card["threshold"])

    @property
    def version(self) -> int:
        return int(self.card["version"])

    @property
    def vocabulary(self) -> Vocabulary:
        return Vocabulary.from_json(self.card["vocabulary"])


@dataclass(frozen=True)
class ModelPair:
    expense: LoadedModel
    account: LoadedModel

    @property
    def stacked_expense(self) -> StackedModel:
        if not isinstance(self.expense.booster, StackedModel):
            raise ModelsUnavailable("the expense model is not a stacked (text and context) model")
        return self.expense.booster

    @property
    def text_booster(self) -> xgb.Booster:
        """The expense model's text stage (all there is of a single-stage model from version 2)."""
        model = self.expense.booster
        return model.text if isinstance(model, StackedModel) else model

    @property
    def account_booster(self) -> xgb.Booster:
        if not isinstance(self.account.booster, xgb.Booster):
            raise ModelsUnavailable("the account model is not a single XGBoost booster")
        return self.account.booster

    @property
    def current(self) -> bool:
        """Whether this code can score with the pair (older pairs had a single-stage expense model)."""
        return isinstance(self.expense.booster, StackedModel) and isinstance(self.account.booster,
                                                                             xgb.Booster)

    @property
    def text_recipe(self) -> int:
        """The text recipe (``scoring.texts``) the pair was trained with; 1 on cards from before recipes."""
        return int(self.expense.card["embedding"].get("text_recipe", 1))

    @property
    def embedding_model(self) -> str:
        return str(self.expense.card["embedding"]["model"])

    @property
    def source(self) -> str:
        if self.expense.model_id is None:
            return f"shipped models v{self.expense.version}"
        return f"database models v{self.expense.version}"


_BOOSTERS: dict[str, xgb.Booster | StackedModel] = {}
_BOOSTERS_LOCK = threading.Lock()


def booster_from_json(data: bytes) -> xgb.Booster | StackedModel:
    """A model from its JSON (a stacked expense model, or one XGBoost booster), loaded once per process
    for the same bytes."""
    sha256 = hashlib.sha256(data).hexdigest()
    with _BOOSTERS_LOCK:
        if sha256 not in _BOOSTERS:
            stacked = FORMAT.encode() in data[:200]
            _BOOSTERS[sha256] = StackedModel.from_json(data) if stacked else load_booster(data)
        return _BOOSTERS[sha256]


def model_file(folder: Path, kind: str) -> Path:
    return folder / f"{kind}.json"


def card_file(folder: Path, kind: str) -> Path:
    return folder / f"{kind}.card.json"


@lru_cache(maxsize=4)
def shipped_pair(folder: Path = SHIPPED) -> ModelPair:
    """The models shipped with the code (``fourpart gl train --ship`` writes them)."""
    loaded = {}
    for kind in KINDS:
        path = model_file(folder, kind)
        if not path.is_file():
            raise ModelsUnavailable(f"no shipped {kind} model at {path}")
        data = path.read_bytes()
        card = json.loads(card_file(folder, kind).read_text())
        loaded[kind] = LoadedModel(kind, booster_from_json(data), card, hashlib.sha256(data).hexdigest())
    return ModelPair(loaded["expense"], loaded["account"])


def write_shipped(folder: Path, files: dict[str, tuple[bytes, dict[str, Any]]]) -> None:
    """Write a pair's model JSON and cards (``files[kind] = (model bytes, card)``)."""
    folder.mkdir(parents=True, exist_ok=True)
    for kind in KINDS:
        data, card = files[kind]
        model_file(folder, kind).write_bytes(data)
        card_file(folder, kind).write_text(json.dumps(card, indent=1, sort_keys=True) + "\n")
    shipped_pair.cache_clear()


def active_rows(session: Session) -> dict[str, ScoringModel]:
    rows = session.scalars(select(ScoringModel).where(ScoringModel.active.is_(True))
                           .order_by(ScoringModel.version.desc()))
    found: dict[str, ScoringModel] = {}
    for row in rows:
        found.setdefault(row.kind, row)
    return found


@dataclass(frozen=True)
class StoredVersion:
    """One version of the stored pair: its expense and account rows."""

    version: int
    expense: ScoringModel
    account: ScoringModel

    @property
    def active(self) -> bool:
        return self.expense.active and self.account.active


def stored_versions(session: Session) -> list[StoredVersion]:
    """Every stored version that has both models, newest first."""
    rows: dict[int, dict[str, ScoringModel]] = {}
    for row in session.scalars(select(ScoringModel).order_by(ScoringModel.version.desc(), ScoringModel.id)):
        rows.setdefault(row.version, {}).setdefault(row.kind, row)
    return [StoredVersion(version, kinds["expense"], kinds["account"])
            for version, kinds in rows.items() if set(kinds) == set(KINDS)]


def activate_version(session: Session, version: int, store: BlobStore | None = None) -> ModelPair:
    """Make the stored ``version`` the active pair (rolling back to an earlier one, or forward again).

    Raises :class:`ModelsUnavailable` for a version that is not stored whole or that this code cannot
    score with (an expense model of one stage, from an older Fourpart)."""
    found = next((stored for stored in stored_versions(session) if stored.version == version), None)
    if found is None:
        raise ModelsUnavailable(f"no stored model pair has version {version}")
    pair = ModelPair(_from_row(found.expense, store), _from_row(found.account, store))
    if not pair.current:
        raise ModelsUnavailable(f"version {version} was trained by an older Fourpart and cannot score")
    session.execute(update(ScoringModel).where(ScoringModel.active.is_(True)).values(active=False))
    found.expense.active = found.account.active = True
    session.flush()
    return pair


def active_pair(session: Session, store: BlobStore | None = None) -> ModelPair:
    """The active pair of the database, else the shipped one (also when the active pair was trained by an
    older Fourpart whose expense model had one stage).

    A row's JSON is read from ``store`` (default: the configured evidence storage) unless this process
    already loaded the same bytes, as it has when it trained them.
    """
    rows = active_rows(session)
    if set(rows) != set(KINDS):
        return shipped_pair()
    loaded = {kind: _from_row(row, store) for kind, row in rows.items()}
    pair = ModelPair(loaded["expense"], loaded["account"])
    return pair if pair.current else shipped_pair()


def _from_row(row: ScoringModel, store: BlobStore | None) -> LoadedModel:
    with _BOOSTERS_LOCK:
        booster = _BOOSTERS.get(row.blob_sha256)
    if booster is None:
        booster = booster_from_json((store or configured_store()).read_bytes(row.blob_sha256))
    return LoadedModel(row.kind, booster, dict(row.card), row.blob_sha256, row.id)


def configured_store() -> BlobStore:
    settings = get_settings()
    return blob_store_from_url(settings.storage_url, endpoint_url=settings.s3_endpoint_url,
                               region=settings.s3_region, access_key=settings.s3_access_key,
                               secret_key=settings.s3_secret_key)


def next_version(session: Session) -> int:
    """One version number for a pair: above every stored one and the shipped one."""
    stored = session.scalar(select(func.max(ScoringModel.version))) or 0
    try:
        shipped = shipped_pair().expense.version
    except ModelsUnavailable:
        shipped = 0
    return max(stored, shipped) + 1


def save_pair(session: Session, store: BlobStore, files: dict[str, tuple[bytes, dict[str, Any]]], *,
              activate: bool = True, notes: str = "") -> ModelPair:
    """Store a pair's JSON as blobs and rows of the same version (in the cards); make it the active pair."""
    if activate:
        session.execute(update(ScoringModel).where(ScoringModel.active.is_(True)).values(active=False))
    loaded = {}
    for kind in KINDS:
        data, card = files[kind]
        blob = store.put_bytes(data)
        register_blob(session, blob.sha256, blob.size, MEDIA_TYPE)
        row = ScoringModel(kind=kind, version=int(card["version"]), blob_sha256=blob.sha256, card=card,
                           threshold=float(card["threshold"]), active=activate, notes=notes)
        session.add(row)
        session.flush()
        loaded[kind] = LoadedModel(kind, booster_from_json(data), card, blob.sha256, row.id)
    return ModelPair(loaded["expense"], loaded["account"])


def register_shipped(session: Session, store: BlobStore) -> ModelPair:
    """The active pair; without one, the shipped pair recorded as the active database models (so an
    import can name the model that scored it), or left unrecorded if its version is already stored. An
    active pair this code cannot use (trained by an older Fourpart) gives way to the shipped pair."""
    if set(active_rows(session)) == set(KINDS):
        active = active_pair(session, store)
        if active.expense.model_id is not None:
            return active
    shipped = shipped_pair()
    taken = session.scalar(select(func.count()).select_from(ScoringModel)
                           .where(ScoringModel.version == shipped.expense.version))
    if taken:
        return shipped
    files = {kind: (model_file(SHIPPED, kind).read_bytes(), getattr(shipped, kind).card) for kind in KINDS}
    return save_pair(session, store, files, notes="shipped with the code")
