"""The interview guide: four prongs, common questions, and questions tailored to each sub-sector."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from narratives import guides
from narratives.models import Prong
from studies.sectors import sub_sectors

TAILORED_WORDS = {
    "ai_native_product_engineering": ("accuracy bar", "off-the-shelf RAG", "evaluated"),
    "fine_tuning": ("published fine-tuning recipe",),
    "ml_infrastructure": ("scaling limits",),
    "foundation_model_llm_engineering": ("converge",),
    "applied_ml": ("AutoML",),
    "computer_vision_multimodal": ("off-the-shelf encoder",),
}


def test_every_sub_sector_has_its_own_questions_and_no_unknown_one_is_listed() -> None:
    book = guides.guide_book()
    assert set(book.tailored) == set(sub_sectors())
    for code in sub_sectors():
        guide = guides.guide_for(code)
        own = [q for q in guide.questions() if q.sub_sector == code]
        assert own, code
        assert {q.prong for q in own} >= {Prong.UNCERTAINTY, Prong.EXPERIMENTATION}, code


@pytest.mark.parametrize("code", sorted(TAILORED_WORDS))
def test_tailored_questions_ask_what_the_sub_sector_needs(code: str) -> None:
    text = " ".join(q.text for q in guides.guide_for(code).questions() if q.sub_sector == code)
    for words in TAILORED_WORDS[code]:
        assert words in text, (code, words)


def test_a_guide_lists_the_four_prongs_in_order_common_questions_first() -> None:
    guide = guides.guide_for("ml_infrastructure")
    assert [s.info.prong for s in guide.sections] == list(Prong)
    for section in guide.sections:
        kinds = [q.sub_sector for q in section.questions]
        assert kinds[0] is None
        assert kinds == sorted(kinds, key=lambda k: k is not None)
        assert all(q.prong == section.info.prong for q in section.questions)
    assert guide.question("infra.scaling_limits") is not None
    assert guide.question("ain.why_not_rag") is None  # another sub-sector's question


def test_an_unknown_sub_sector_gets_the_common_questions() -> None:
    guide = guides.guide_for("quantum_widgets")
    assert guide.questions() and all(q.sub_sector is None for q in guide.questions())


def _write(tmp_path: Path, document: object) -> Path:
    path = tmp_path / "guides.yaml"
    path.write_text(yaml.safe_dump(document), encoding="utf-8")
    return path


def _document() -> dict:
    return yaml.safe_load(guides.DATA_PATH.read_text(encoding="utf-8"))


def test_a_duplicate_key_is_refused_by_name(tmp_path: Path) -> None:
    document = _document()
    document["sub_sectors"]["fine_tuning"]["process_of_experimentation"][0]["key"] = "pp.component"
    with pytest.raises(ValueError, match=r"duplicate question key\(s\) \['pp.component'\]"):
        guides.load_guide_book(_write(tmp_path, document))


def test_a_missing_prong_and_an_unknown_prong_are_named(tmp_path: Path) -> None:
    document = _document()
    del document["prongs"]["technological_in_nature"]
    with pytest.raises(ValueError, match="lacks technological_in_nature"):
        guides.load_guide_book(_write(tmp_path, document))
    document = _document()
    document["sub_sectors"]["applied_ml"]["vibes"] = [{"key": "x.y", "text": "?"}]
    with pytest.raises(ValueError, match="sub-sector 'applied_ml': 'vibes' is not a prong"):
        guides.load_guide_book(_write(tmp_path, document))


def test_a_question_without_text_is_named_with_its_place(tmp_path: Path) -> None:
    document = _document()
    document["prongs"]["permitted_purpose"]["questions"][1]["text"] = "  "
    with pytest.raises(ValueError, match=r"prong 'permitted_purpose' questions #2: key 'text'"):
        guides.load_guide_book(_write(tmp_path, document))
