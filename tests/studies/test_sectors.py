"""The sub-sector data file loads, is complete, and a malformed file is refused by name."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
import yaml

from studies import sectors
from studies.models import EntityType
from studies.sectors import LayerKind

CODES = {
    "foundation_model_llm_engineering", "applied_ml", "computer_vision_multimodal",
    "ml_infrastructure", "ai_native_product_engineering", "fine_tuning",
}
LISTS = ("qualifying_activities", "exclusions", "typical_evidence", "interview_focus")


def test_all_six_sub_sectors_load_with_content() -> None:
    loaded = sectors.sub_sectors()
    assert set(loaded) == CODES
    for code, sector in loaded.items():
        assert sector.code == code
        assert sector.label and sector.summary
        for name in LISTS:
            items = getattr(sector, name)
            assert isinstance(items, tuple) and items, (code, name)
            assert all(isinstance(item, str) and item for item in items)
        assert 3 <= len(sector.interview_focus) <= 5


def test_records_are_frozen_and_cached_dict_is_not_shared() -> None:
    sector = sectors.sub_sector("applied_ml")
    with pytest.raises(dataclasses.FrozenInstanceError):
        sector.label = "x"  # type: ignore[misc]
    sectors.sub_sectors().clear()
    assert set(sectors.sub_sectors()) == CODES


def test_labels() -> None:
    assert sectors.sub_sector("ai_native_product_engineering").label == "AI-native product engineering"
    assert sectors.sub_sector_label("ml_infrastructure") == "ML infrastructure"
    assert sectors.sub_sector_label("quantum_widgets") == "quantum widgets"
    assert sectors.entity_type_label("s_corp") == "S corporation"
    assert sectors.entity_type_label(EntityType.C_CORP) == "C corporation"
    assert sectors.entity_type_label("trust_fund") == "trust fund"


def test_every_entity_type_has_a_label() -> None:
    assert set(sectors.load_catalog().entity_types) == {e.value for e in EntityType}


def test_unknown_code_names_it_and_the_known_ones() -> None:
    with pytest.raises(KeyError, match="quantum_widgets") as caught:
        sectors.sub_sector("quantum_widgets")
    assert "applied_ml" in str(caught.value)


def test_common_exclusions() -> None:
    exclusions = {e.code: e for e in sectors.common_exclusions()}
    assert exclusions["api_wrapper"].layer_kind is LayerKind.THIRD_PARTY_MODEL
    assert exclusions["foreign_research"].layer_kind is LayerKind.EXCLUDED_ACTIVITY
    assert "§41(d)(4)(F)" in exclusions["foreign_research"].reason
    assert all(e.label and e.reason for e in exclusions.values())


def _write(tmp_path: Path, document: object) -> Path:
    path = tmp_path / "sub_sectors.yaml"
    path.write_text(yaml.safe_dump(document), encoding="utf-8")
    return path


def _valid_document() -> dict[str, object]:
    return yaml.safe_load(sectors.DATA_PATH.read_text(encoding="utf-8"))


def test_a_copy_of_the_real_file_loads(tmp_path: Path) -> None:
    catalog = sectors.load_catalog(_write(tmp_path, _valid_document()))
    assert set(catalog.sub_sectors) == CODES


def test_missing_key_is_named(tmp_path: Path) -> None:
    document = _valid_document()
    del document["sub_sectors"]["applied_ml"]["typical_evidence"]  # type: ignore[index]
    with pytest.raises(ValueError, match=r"sub-sector 'applied_ml': missing key 'typical_evidence'"):
        sectors.load_catalog(_write(tmp_path, document))


def test_empty_list_is_named(tmp_path: Path) -> None:
    document = _valid_document()
    document["sub_sectors"]["fine_tuning"]["interview_focus"] = []  # type: ignore[index]
    with pytest.raises(ValueError, match=r"'fine_tuning': key 'interview_focus' must be a non-empty list"):
        sectors.load_catalog(_write(tmp_path, document))


def test_bad_layer_kind_is_named(tmp_path: Path) -> None:
    document = _valid_document()
    document["common_exclusions"][0]["layer_kind"] = "vendor"  # type: ignore[index]
    with pytest.raises(ValueError, match=r"'api_wrapper'.*layer_kind 'vendor'"):
        sectors.load_catalog(_write(tmp_path, document))


def test_not_a_mapping_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="non-empty mapping"):
        sectors.load_catalog(_write(tmp_path, ["just", "a", "list"]))
