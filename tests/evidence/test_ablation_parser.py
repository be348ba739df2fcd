"""The ablation spreadsheet parser, on real CSV and XLSX files written into tmp_path."""

from __future__ import annotations

import csv
import re
import string
import zipfile
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from evidence.parsers import EvidenceParseError
from evidence.parsers.ablation import (
    AblationTable,
    Measurement,
    MetricColumn,
    looks_like_ablation,
    parse_ablation,
)
from evidence.parsers.ablation_cells import parse_measurement, parse_number
from evidence.parsers.ablation_names import direction, is_setting_name

Cell = str | int | float | None

CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    "</Types>"
)


def write_csv(path: Path, rows: Sequence[Sequence[Cell]], delimiter: str = ",") -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, delimiter=delimiter)
        for row in rows:
            writer.writerow(["" if cell is None else cell for cell in row])
    return path


def write_xlsx(
    path: Path,
    sheets: Mapping[str, Sequence[Sequence[Cell]]],
    merges: Mapping[str, Sequence[str]] | None = None,
) -> Path:
    book = Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(list(row))
        for span in (merges or {}).get(title, ()):
            sheet.merge_cells(span)
    book.save(path)
    return path


def only_table(path: Path) -> AblationTable:
    tables = parse_ablation(path)
    assert len(tables) == 1
    return tables[0]


# --- shapes -------------------------------------------------------------------------------------------


def test_wide_one_row_per_configuration(tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "wide.csv",
        [
            ["variant", "lr", "dropout", "recall@10", "ndcg@10", "latency_ms"],
            ["baseline", "1e-4", "0.1", "0.61", "0.52", "38"],
            ["+ reranker", "1e-4", "0.1", "0.68", "0.60", "120"],
            ["+ reranker, lr 3e-5", "3e-5", "0.2", "0.69", "0.61", "121"],
        ],
    )
    table = only_table(path)
    assert table.shape == "wide"
    assert table.sheet == "wide.csv"
    assert table.variant_column == "variant"
    assert table.factor_columns == ("lr", "dropout")
    assert table.metric_columns == (
        MetricColumn("recall@10", "higher", None),
        MetricColumn("ndcg@10", "higher", None),
        MetricColumn("latency_ms", "lower", "ms"),
    )
    assert table.baseline == "baseline"
    assert [v.name for v in table.variants] == ["baseline", "+ reranker", "+ reranker, lr 3e-5"]
    assert [v.row for v in table.variants] == [2, 3, 4]
    third = table.variant("+ reranker, lr 3e-5")
    assert third.factors == {"lr": "3e-5", "dropout": "0.2"}
    assert third.metrics["latency_ms"] == Measurement(121.0, None, "121")
    assert table.variants[0].is_baseline and not third.is_baseline
    assert table.questions == ()


def test_long_format_keeps_the_last_epoch_and_the_best(tmp_path: Path) -> None:
    rows: list[list[Cell]] = [["variant", "epoch", "loss", "acc"]]
    for epoch, (loss, acc) in zip((3, 1, 2), ((0.9, 0.71), (1.4, 0.55), (1.1, 0.74)), strict=True):
        rows.append(["vanilla", epoch, loss, acc])  # out of order on purpose
    rows += [["+ aug", 1, 1.3, 0.60], ["+ aug", 2, 0.8, 0.79], ["+ aug", 3, "—", 0.78]]
    table = only_table(write_xlsx(tmp_path / "long.xlsx", {"runs": rows}))
    assert table.shape == "long"
    assert table.variant_column == "variant"
    assert table.factor_columns == ()
    assert [v.name for v in table.variants] == ["vanilla", "+ aug"]
    vanilla = table.variant("vanilla")
    assert vanilla.row == 2 and vanilla.is_baseline and table.baseline == "vanilla"
    assert vanilla.metrics["acc"] == Measurement(0.71, None, "0.71", best=0.74, series_len=3)
    assert vanilla.metrics["loss"] == Measurement(0.9, None, "0.9", best=0.9, series_len=3)
    # epoch 3 has no loss: the last epoch with a value counts
    assert table.variant("+ aug").metrics["loss"] == Measurement(0.8, None, "0.8", best=0.8, series_len=2)
    assert {m.name: m.better for m in table.metric_columns} == {"loss": "lower", "acc": "higher"}


def test_long_format_splits_words_into_metrics_and_settings_into_variants(tmp_path: Path) -> None:
    rows: list[list[Cell]] = [["model", "lr", "split", "step", "eval loss"]]
    for lr in ("1e-5", "3e-5"):
        for split in ("dev", "test"):
            for step in (100, 200):
                loss = round(1 / step + (0.1 if split == "test" else 0), 4)
                rows.append(["reranker", lr, split, step, loss])
    table = only_table(write_csv(tmp_path / "long.csv", rows))
    assert table.shape == "long"
    assert [v.name for v in table.variants] == ["reranker / lr=1e-5", "reranker / lr=3e-5"]
    assert table.factor_columns == ("lr",)
    assert [m.name for m in table.metric_columns] == ["eval loss / dev", "eval loss / test"]
    assert table.variants[1].metrics["eval loss / test"].value == pytest.approx(0.105)
    assert table.variants[1].factors == {"lr": "3e-5"}


def test_grid_joins_all_key_columns(tmp_path: Path) -> None:
    rows: list[list[Cell]] = [["system", "retriever", "threshold", "precision", "recall"]]
    for system in ("baseline", "ours"):
        for retriever in ("bm25", "dense"):
            for threshold in (0.3, 0.5):
                rows.append([system, retriever, threshold, 0.5 + threshold / 10, 0.9 - threshold / 10])
    table = only_table(write_csv(tmp_path / "grid.csv", rows))
    assert table.shape == "grid"
    assert table.factor_columns == ("system", "retriever", "threshold")
    assert table.variant_column == "system × retriever × threshold"
    assert len(table.variants) == 8
    first = table.variants[0]
    assert first.name == "baseline / bm25 / threshold=0.3"
    assert first.factors == {"system": "baseline", "retriever": "bm25", "threshold": "0.3"}
    # four rows say "baseline": the first is taken, and the user is asked
    assert table.baseline == first.name
    assert any(q.startswith("Which row is the baseline:") for q in table.questions)


def test_grid_with_vertically_merged_system_cells(tmp_path: Path) -> None:
    rows: list[list[Cell]] = [
        ["System", "Retriever", "F1"],
        ["Control", "bm25", 0.61],
        [None, "dense", 0.64],
        ["Ours", "bm25", 0.66],
        [None, "dense", 0.71],
    ]
    table = only_table(write_xlsx(tmp_path / "g.xlsx", {"grid": rows}, {"grid": ["A2:A3", "A4:A5"]}))
    assert table.shape == "grid"
    names = [v.name for v in table.variants]
    assert names == ["Control / bm25", "Control / dense", "Ours / bm25", "Ours / dense"]


def paper_rows() -> list[list[Cell]]:
    return [
        ["Table 3: Retrieval ablation on the dev split"],
        [],
        ["  Method  ", "Recall@10", None, "nDCG@10", None, "Mem. (GB)"],
        [None, "Statutes", "Cases", "Statutes", "Cases", None],
        ["Full model", 0.931, 0.912, 0.801, "0.790", 12],
        ["w/o reranker", "0.625(-32.8%)", "0.701 (−23.1%)", "0.512(-36.1%)", "0.600(-24.1%)", 9],
        [],
        ["w/o decomposition*", "0.880(-5.5%)", "0.905(-0.8%)", "—", "n/a", "1,204"],
        ["* run on a 10% sample.", None, None, None, None, None],
        ["Numbers in bold are best."],
    ]


def test_paper_table_with_merged_two_row_header(tmp_path: Path) -> None:
    merges = {"Table 3": ["A1:F1", "A3:A4", "B3:C3", "D3:E3", "F3:F4"]}
    table = only_table(write_xlsx(tmp_path / "paper.xlsx", {"Table 3": paper_rows()}, merges))
    assert table.sheet == "Table 3" and table.shape == "wide"
    assert table.variant_column == "Method"
    assert [m.name for m in table.metric_columns] == [
        "Recall@10 / Statutes", "Recall@10 / Cases", "nDCG@10 / Statutes", "nDCG@10 / Cases", "Mem. (GB)",
    ]
    assert table.metric("Mem. (GB)") == MetricColumn("Mem. (GB)", "lower", "GB")
    assert [v.name for v in table.variants] == ["Full model", "w/o reranker", "w/o decomposition*"]
    assert [v.row for v in table.variants] == [5, 6, 8]
    ablated = table.variant("w/o reranker").metrics
    assert ablated["Recall@10 / Statutes"] == Measurement(0.625, -32.8, "0.625(-32.8%)")
    assert ablated["Recall@10 / Cases"].delta_pct == -23.1
    last = table.variant("w/o decomposition*").metrics
    assert "nDCG@10 / Statutes" not in last and "nDCG@10 / Cases" not in last
    assert last["Mem. (GB)"].value == 1204
    # "full model" is a weak hint: taken, but confirmed with the user
    assert table.baseline == "Full model"
    assert table.questions == ("Is 'Full model' the baseline the other rows compare against?",)


def test_csv_two_row_header_without_merges(tmp_path: Path) -> None:
    rows = paper_rows()
    table = only_table(write_csv(tmp_path / "paper.csv", rows))
    assert [m.name for m in table.metric_columns][:4] == [
        "Recall@10 / Statutes", "Recall@10 / Cases", "nDCG@10 / Statutes", "nDCG@10 / Cases",
    ]
    assert [v.row for v in table.variants] == [5, 6, 8]


def test_messy_csv_padding_titles_blank_rows_footnotes_percent_and_thousands(tmp_path: Path) -> None:
    path = tmp_path / "messy.csv"
    path.write_text(
        "Ablation results,,,\n"
        "owner: Priya,,,\n"
        ",,,\n"
        "  Model  ;Acc. ;Tokens/s;Cost ($)\n".replace(";", ",")
        + "baseline,71.3 ± 0.4,\"1,204\",$1.20\n"
        "\n"
        "+ distill,12.5%,\"2,480\",$0.40\n"
        "+ distill + quant,**73.9**,\"3,010\",$0.35\n"
        "\n"
        "Tokens/s measured on one L4.,,,\n",
        encoding="utf-8",
    )
    table = only_table(path)
    assert table.variant_column == "Model"
    assert [m.name for m in table.metric_columns] == ["Acc.", "Tokens/s", "Cost ($)"]
    assert [m.better for m in table.metric_columns] == ["higher", "higher", "lower"]
    assert table.metric("Cost ($)").unit == "$"
    assert [v.name for v in table.variants] == ["baseline", "+ distill", "+ distill + quant"]
    assert [v.row for v in table.variants] == [5, 7, 8]
    assert table.variant("baseline").metrics["Acc."].value == 71.3
    assert table.variant("baseline").metrics["Tokens/s"].value == 1204
    assert table.variant("+ distill").metrics["Acc."] == Measurement(12.5, None, "12.5%")
    assert table.variant("+ distill + quant").metrics["Acc."].value == 73.9


def test_header_below_a_merged_title_in_xlsx_and_utf8_bom_semicolon_csv(tmp_path: Path) -> None:
    rows: list[list[Cell]] = [["CiteRAG ablations"], [], ["config", "MRR"], ["control", 0.4], ["x2", 0.5]]
    table = only_table(write_xlsx(tmp_path / "t.xlsx", {"S": rows}, {"S": ["A1:B1"]}))
    assert table.variant_column == "config" and [v.row for v in table.variants] == [4, 5]
    path = tmp_path / "semi.csv"
    path.write_bytes("\ufeffrun;wer;note\nvanilla;12,5;a, b\nctc;1.009,75 (-2,5%);\n".encode())
    table = only_table(path)
    assert table.variant_column == "run" and table.metric("wer").better == "lower"
    assert table.factor_columns == ("note",) and table.variant("vanilla").factors == {"note": "a, b"}
    assert table.variant("vanilla").metrics["wer"].value == 12.5  # a decimal comma in a ;-separated file
    assert table.variant("ctc").metrics["wer"] == Measurement(1009.75, -2.5, "1009.75 (-2.5%)")


# --- cells, directions, baselines, questions -----------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "value", "delta"),
    [
        ("0.625(-32.8%)", 0.625, -32.8),
        ("0.625 (−32.8%)", 0.625, -32.8),
        ("0.61 [+3.1%]", 0.61, 3.1),
        ("0.61 (↓3.1%)", 0.61, -3.1),
        ("71.3 ± 0.4", 71.3, None),
        ("71.3 +/- 0.4 (+2.0%)", 71.3, 2.0),
        ("12.5%", 12.5, None),
        ("1,204", 1204.0, None),
        ("1,204,000.5", 1204000.5, None),
        ("3e-5", 3e-5, None),
        ("-0.5", -0.5, None),
        ("−0.5", -0.5, None),
        ("0.812*", 0.812, None),
        ("**0.91**", 0.91, None),
        ("0.8†", 0.8, None),
        ("38 ms", 38.0, None),
        ("$1.20", 1.2, None),
        ("0.7 (0.02)", 0.7, None),
    ],
)
def test_cell_forms(text: str, value: float, delta: float | None) -> None:
    assert parse_measurement(text) == Measurement(value, delta, text)


@pytest.mark.parametrize(
    "text", ["", "—", "–", "-", "n/a", "N/A", "nan", "None", "OOM", "12,5", "v2", "1.2.3", "inf", "1_000"]
)
def test_cells_without_a_number(text: str) -> None:
    assert parse_measurement(text) is None


def test_cell_units() -> None:
    assert [parse_number(t).unit for t in ("12.5%", "38ms", "4 GB", "$3", "0.5")] == [  # type: ignore[union-attr]
        "%", "ms", "GB", "$", None,
    ]


@pytest.mark.parametrize(
    ("name", "better"),
    [
        ("acc", "higher"), ("Accuracy (%)", "higher"), ("F1", "higher"), ("AUC", "higher"),
        ("BLEU", "higher"), ("ROUGE-L", "higher"), ("nDCG@10", "higher"), ("MRR", "higher"),
        ("hit@5", "higher"), ("EM", "higher"), ("score", "higher"), ("throughput", "higher"),
        ("tokens_per_sec", "higher"), ("samples/s", "higher"), ("recall_at_10", "higher"),
        ("train_loss", "lower"), ("error rate", "lower"), ("WER", "lower"), ("CER", "lower"),
        ("perplexity", "lower"), ("ppl", "lower"), ("p95 latency (ms)", "lower"), ("time", "lower"),
        ("latency_ms", "lower"), ("peak memory", "lower"), ("mem_gb", "lower"), ("cost", "lower"),
        ("FID", "lower"), ("widgets", "unknown"), ("agreement delta", "higher"),
    ],
)
def test_metric_direction(name: str, better: str) -> None:
    assert direction(name) == better


@pytest.mark.parametrize(
    ("name", "setting"),
    [
        ("lr", True), ("learning rate", True), ("batch size", True), ("epochs", True), ("seed", True),
        ("dropout", True), ("threshold", True), ("n_layers", True), ("heads", True), ("hidden dim", True),
        ("top-k", True), ("alpha", True), ("recall@k", False), ("loss", False), ("index size (GB)", False),
    ],
)
def test_setting_names(name: str, setting: bool) -> None:
    assert is_setting_name(name) is setting


def test_unknown_direction_and_unnamed_variant_column_raise_questions(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "q.csv", [["arm", "widgets", "acc"], ["A", 3, 0.5], ["B", 4, 0.6]])
    table = only_table(path)
    assert table.metric("widgets").better == "unknown"
    assert "Is higher or lower better for 'widgets'?" in table.questions
    assert table.baseline is None
    assert any(q.startswith("Which row is the baseline?") for q in table.questions)
    path = write_csv(tmp_path / "q2.csv", [["thing", "acc"], ["A", 0.5], ["B", 0.6], ["C", 0.7]])
    assert "Does column 'thing' name the variants?" in only_table(path).questions


def test_baseline_from_deltas_when_no_name_says_so(tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "d.csv",
        [["method", "acc"], ["ours", "0.80(+6.7%)"], ["bm25", "0.75"], ["dense", "0.70(-6.7%)"]],
    )
    table = only_table(path)
    assert table.baseline == "bm25" and table.variant("bm25").is_baseline
    assert not any("baseline" in q for q in table.questions)


def test_duplicate_names_and_excel_errors_are_questions(tmp_path: Path) -> None:
    named: list[list[Cell]] = [[f"v{i}", i / 10] for i in range(10)]
    rows: list[list[Cell]] = [["variant", "acc"], *named]
    rows += [["v3", 0.99], ["v10", "#DIV/0!"]]
    table = only_table(write_xlsx(tmp_path / "dup.xlsx", {"S": rows}))
    assert table.shape == "wide"
    assert "v3 (row 12)" in [v.name for v in table.variants]
    assert "Rows 5 and 12 are both named 'v3'; are they the same configuration?" in table.questions
    assert "Row 13, column 'acc' holds #DIV/0!; it was read as no value. Is that right?" in table.questions
    assert table.variant("v10").metrics == {}


def test_xlsx_skips_free_text_sheets_and_reads_cached_formula_values(tmp_path: Path) -> None:
    path = write_xlsx(
        tmp_path / "book.xlsx",
        {
            "Notes": [["Tried three retrievers; see the other sheet."], [], ["lr 3e-5 diverged at epoch 3."]],
            "Ablation": [["model", "acc", "acc gain"], ["baseline", 0.5, None], ["ours", 0.6, "=B3-B2"]],
        },
    )
    (table,) = parse_ablation(path)
    assert table.sheet == "Ablation"
    # openpyxl wrote no cached value for the formula, so data_only gives nothing rather than the text
    assert "acc gain" not in table.variant("ours").metrics


# --- bad input -------------------------------------------------------------------------------------------


def parse_error(path: Path, **kwargs: int) -> EvidenceParseError:
    with pytest.raises(EvidenceParseError) as caught:
        parse_ablation(path, **kwargs)
    assert caught.value.source == path.name
    return caught.value


def test_malformed_csv_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text('variant,acc\nbaseline,0.5\n"ours"x,0.6\n', encoding="utf-8")
    error = parse_error(path)
    assert error.line == 3 and "malformed CSV" in str(error) and str(error).startswith("bad.csv, line 3:")
    path.write_text('variant,acc\nbaseline,0.5\n"ours,0.6\n', encoding="utf-8")
    assert parse_error(path).line == 3


def test_non_utf8_csv_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "latin.csv"
    path.write_bytes("variant,acc\nbaseline,0.5\nréranker,0.6\n".encode("latin-1"))
    error = parse_error(path)
    assert error.line == 3 and "not UTF-8" in error.message


def test_utf16_csv_with_bom_is_read(tmp_path: Path) -> None:
    path = tmp_path / "u16.csv"
    path.write_bytes("variant\tacc\nbaseline\t0.5\nréranker\t0.6\n".encode("utf-16"))
    assert [v.name for v in only_table(path).variants] == ["baseline", "réranker"]


def test_binary_junk(tmp_path: Path) -> None:
    path = tmp_path / "junk.csv"
    path.write_bytes(b"variant,acc\n\x00\x01\x02\x03binary")
    assert "binary" in parse_error(path).message
    path = tmp_path / "junk.xlsx"
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)))
    assert "not an XLSX" in parse_error(path).message


@pytest.fixture(scope="module")
def zip_bomb(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A workbook-looking zip whose one sheet inflates to 300 MB of zeros; a few hundred KB on disk."""
    path = tmp_path_factory.mktemp("bomb") / "bomb.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as entry:
            chunk = bytes(2**20)
            for _ in range(300):
                entry.write(chunk)
    return path


def test_zip_bomb_is_refused_before_openpyxl(zip_bomb: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert zip_bomb.stat().st_size < 1_000_000

    def never(*args: object, **kwargs: object) -> None:
        raise AssertionError("openpyxl must not open a zip bomb")

    monkeypatch.setattr("openpyxl.load_workbook", never)
    error = parse_error(zip_bomb)
    assert error.message.startswith("refused: XLSX expands to 300 MB")
    assert not looks_like_ablation(zip_bomb)


def test_high_ratio_zip_under_the_size_cap_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "ratio.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("xl/worksheets/sheet1.xml", bytes(20 * 2**20))
    assert parse_error(path).message.startswith("refused: XLSX expands to 20 MB")


def test_encrypted_invalid_and_non_workbook_zips(tmp_path: Path) -> None:
    good = write_xlsx(tmp_path / "good.xlsx", {"S": [["model", "acc"], ["baseline", 0.5]]})
    data = bytearray(good.read_bytes())
    start = data.find(b"PK\x01\x02")
    while start >= 0:  # set the "encrypted" bit of every central directory entry
        data[start + 8] |= 0x01
        start = data.find(b"PK\x01\x02", start + 4)
    encrypted = tmp_path / "encrypted.xlsx"
    encrypted.write_bytes(bytes(data))
    assert "encrypted" in parse_error(encrypted).message

    truncated = tmp_path / "truncated.xlsx"
    truncated.write_bytes(good.read_bytes()[:200])
    assert "not a valid XLSX (zip) file" in parse_error(truncated).message

    protected = tmp_path / "protected.xlsx"  # Office wraps password-protected workbooks in OLE
    protected.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600))
    assert "password-protected" in parse_error(protected).message

    docx = tmp_path / "report.xlsx"
    with zipfile.ZipFile(docx, "w") as archive:
        word = CONTENT_TYPES.replace("spreadsheetml.sheet", "wordprocessingml")
        archive.writestr("[Content_Types].xml", word)
    assert "not an XLSX workbook" in parse_error(docx).message

    broken = tmp_path / "broken.xlsx"  # a sound zip with the right content type, but no workbook
    with zipfile.ZipFile(broken, "w") as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
    assert "not a readable XLSX workbook" in parse_error(broken).message


def rewrite_member(source: Path, dest: Path, name: str, edit: Callable[[bytes], bytes]) -> Path:
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(dest, "w", zipfile.ZIP_DEFLATED) as new:
        for info in old.infolist():
            data = old.read(info)
            new.writestr(info, edit(data) if info.filename == name else data)
    return dest


def test_xml_entity_bomb_and_a_workbook_without_sheets(tmp_path: Path) -> None:
    good = write_xlsx(tmp_path / "good.xlsx", {"S": [["model", "acc"], ["baseline", 0.5]]})
    entities = "".join(f'<!ENTITY e{i} "{f"&e{i - 1};" * 10}">' for i in range(1, 10))
    doctype = f'<!DOCTYPE worksheet [<!ENTITY e0 "laughlaughlaugh">{entities}]>'.encode()

    def laugh(data: bytes) -> bytes:
        return doctype + data.replace(b"<t>baseline</t>", b"<t>&e9;</t>")

    lol = rewrite_member(good, tmp_path / "lol.xlsx", "xl/worksheets/sheet1.xml", laugh)
    assert "amplification" in parse_error(lol).message  # expat's billion-laughs guard, not a hang

    def no_sheets(data: bytes) -> bytes:
        return re.sub(rb"<sheets>.*</sheets>", b"<sheets/>", data)

    empty = rewrite_member(good, tmp_path / "empty.xlsx", "xl/workbook.xml", no_sheets)
    assert parse_error(empty).message == "the workbook has no worksheets"


def test_size_limit_empty_files_and_missing_tables(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "big.csv", [["variant", "acc"]] + [[f"v{i}", i] for i in range(100)])
    assert "over the 100-byte limit" in parse_error(path, max_bytes=100).message
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    assert parse_error(empty).message == "the file is empty"
    words = write_csv(tmp_path / "words.csv", [["name", "note"], ["a", "b"]])
    assert parse_error(words).message.startswith("no ablation table found")
    notes = write_xlsx(tmp_path / "notes.xlsx", {"Notes": [["just text"]], "Empty": []})
    message = parse_error(notes).message
    assert "no sheet holds an ablation table" in message and "'Notes', 'Empty'" in message
    assert "cannot read the file" in parse_error(tmp_path / "missing.csv").message


def test_looks_like_ablation(tmp_path: Path) -> None:
    table = write_csv(tmp_path / "a.csv", [["model", "acc"], ["baseline", 0.5], ["ours", 0.6]])
    book = write_xlsx(tmp_path / "b.xlsx", {"S": [["model", "acc"], ["baseline", 0.5]]})
    renamed = tmp_path / "export.bin"
    renamed.write_bytes(book.read_bytes())
    assert looks_like_ablation(table) and looks_like_ablation(book) and looks_like_ablation(renamed)
    notes = write_xlsx(tmp_path / "n.xlsx", {"Notes": [["free text"], ["more text"]]})
    prose = tmp_path / "readme.txt"
    prose.write_text("We tried BM25 and dense retrieval.\nDense lost 33% recall.\n", encoding="utf-8")
    fake = tmp_path / "fake.xlsx"
    fake.write_text("model,acc\nbaseline,0.5\n", encoding="utf-8")
    for path in (notes, prose, fake, tmp_path / "missing.csv", tmp_path):
        assert not looks_like_ablation(path)


# --- hostile and random input -----------------------------------------------------------------------------

_TEXT = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc")) | st.sampled_from(string.printable[:-5]),
    max_size=12,
)
_CELLS: st.SearchStrategy[Cell] = st.one_of(
    st.none(),
    _TEXT,
    st.integers(-10_000, 10_000),
    st.floats(allow_nan=False, allow_infinity=False, width=32),
    st.sampled_from(
        ["0.625(-32.8%)", "71.3 ± 0.4", "12.5%", "—", "n/a", "1,204", "baseline", "model", "epoch", "loss",
         "acc", "threshold", "Recall@10", "#DIV/0!", '"', "", " "]
    ),
)
_GRIDS = st.lists(st.lists(_CELLS, min_size=0, max_size=6), min_size=0, max_size=10)
_RANDOM = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


def assert_tables_or_error(path: Path) -> None:
    try:
        tables = parse_ablation(path)
    except EvidenceParseError:
        return
    assert isinstance(tables, tuple) and tables
    assert all(isinstance(table, AblationTable) for table in tables)
    for table in tables:
        assert table.variants and table.metric_columns
        assert all(v.metrics.keys() <= {m.name for m in table.metric_columns} for v in table.variants)
        assert len({v.name for v in table.variants}) == len(table.variants)
        assert table.baseline is None or table.baseline in {v.name for v in table.variants}


@_RANDOM
@given(data=st.binary(max_size=2048), suffix=st.sampled_from([".csv", ".xlsx", ".txt"]))
def test_random_bytes(tmp_path: Path, data: bytes, suffix: str) -> None:
    path = tmp_path / f"random{suffix}"
    path.write_bytes(data)
    assert_tables_or_error(path)
    assert isinstance(looks_like_ablation(path), bool)


@_RANDOM
@given(data=st.binary(max_size=512))
def test_random_bytes_behind_a_zip_signature(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "random.xlsx"
    path.write_bytes(b"PK\x03\x04" + data)
    assert_tables_or_error(path)


@_RANDOM
@given(grid=_GRIDS)
def test_random_grids_as_csv(tmp_path: Path, grid: list[list[Cell]]) -> None:
    assert_tables_or_error(write_csv(tmp_path / "grid.csv", grid))


@_RANDOM
@given(grid=_GRIDS)
def test_random_grids_as_xlsx(tmp_path: Path, grid: list[list[Cell]]) -> None:
    assert_tables_or_error(write_xlsx(tmp_path / "grid.xlsx", {"Sheet": grid}))


@_RANDOM
@given(
    names=st.lists(st.text(alphabet=string.ascii_letters, min_size=1, max_size=8), min_size=1, max_size=8,
                   unique=True),
    metrics=st.lists(st.sampled_from(["acc", "f1", "loss", "latency_ms", "bleu", "recall@10"]), min_size=1,
                     max_size=4, unique=True),
    values=st.lists(st.floats(0, 1000, allow_nan=False), min_size=64, max_size=64),
)
def test_random_wide_tables_are_found(
    tmp_path: Path, names: list[str], metrics: list[str], values: list[float]
) -> None:
    rows: list[list[Cell]] = [["variant", *metrics]]
    rows += [[f"cfg {name}", *values[i * 8 : i * 8 + len(metrics)]] for i, name in enumerate(names)]
    table = only_table(write_csv(tmp_path / "wide.csv", rows))
    assert table.shape == "wide" and [v.name for v in table.variants] == [f"cfg {n}" for n in names]
    first = table.variants[0].metrics[metrics[0]]
    assert first.value == pytest.approx(values[0])


@given(value=st.floats(-1e6, 1e6, allow_nan=False), delta=st.floats(-999, 999, allow_nan=False))
def test_delta_cells_round_trip(value: float, delta: float) -> None:
    text = f"{value:.3f}({delta:+.1f}%)"
    parsed = parse_measurement(text)
    assert parsed is not None
    assert parsed.value == float(f"{value:.3f}") and parsed.delta_pct == float(f"{delta:+.1f}")


# --- the demo study's workbook ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def demo_tables(tmp_path_factory: pytest.TempPathFactory) -> tuple[AblationTable, ...]:
    from webapp.demo.materials import generate_materials

    dest = tmp_path_factory.mktemp("demo")
    generate_materials(dest)
    path = dest / "ablations" / "citerag_ablation.xlsx"
    assert looks_like_ablation(path)
    return parse_ablation(path)


def test_demo_workbook_retrieval_sheet(demo_tables: tuple[AblationTable, ...]) -> None:
    assert [t.sheet for t in demo_tables] == ["Retrieval ablation", "Rerank long"]  # Notes skipped
    table = demo_tables[0]
    assert table.shape == "wide" and table.variant_column == "Variant"
    assert table.baseline == "BM25 (baseline)" and table.variants[0].is_baseline
    assert [m.name for m in table.metric_columns] == [
        "Recall@10 / Statutes", "Recall@10 / Cases", "nDCG@10 / Statutes", "nDCG@10 / Cases",
        "Citation precision", "p95 latency (ms)",
    ]
    assert table.metric("p95 latency (ms)") == MetricColumn("p95 latency (ms)", "lower", "ms")
    assert all(m.better == "higher" for m in table.metric_columns[:5])
    assert len(table.variants) == 10  # footnotes below the table are not variants
    dense = table.variant("Dense only (e5-large-v2)").metrics["Recall@10 / Statutes"]
    assert dense == Measurement(0.46, -32.7, "0.460(-32.7%)")
    assert table.variant("+ citation-aware re-ranker (7B)").metrics["p95 latency (ms)"].value == 139
    assert table.questions == ()


def test_demo_workbook_long_sheet(demo_tables: tuple[AblationTable, ...]) -> None:
    table = demo_tables[1]
    assert table.shape == "long" and table.variant_column == "variant"
    assert [v.name for v in table.variants] == [
        "cross-encoder ms-marco (fine-tuned)", "citation-aware", "citation-aware + hard negatives",
    ]
    assert [m.name for m in table.metric_columns] == [
        "recall_at_10 / statutes", "recall_at_10 / cases", "ndcg_at_10 / statutes", "ndcg_at_10 / cases",
        "train_loss / statutes", "train_loss / cases",
    ]
    final = table.variant("citation-aware + hard negatives").metrics["recall_at_10 / statutes"]
    assert final.value == 0.803 and final.series_len == 8 and final.best is not None and final.best >= 0.803
    loss = table.variant("citation-aware").metrics["train_loss / statutes"]
    assert loss.value == pytest.approx(0.505, abs=0.001) and loss.best == loss.value  # loss only falls
    assert table.baseline is None and any("baseline" in q for q in table.questions)
