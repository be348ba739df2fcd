"""GL import: every supported layout from realistic files, the cell parsers, and every refusal."""

from __future__ import annotations

import csv
import datetime as dt
import io
import time
import zipfile
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from hypothesis import given
from hypothesis import strategies as st

from scoring.gl_import import (
    AmountError,
    ColumnMapping,
    DateError,
    GLImportError,
    GLLine,
    ImportLimits,
    NeedsMapping,
    RowProblem,
    apply_mapping,
    parse_amount,
    parse_date,
    preview_mapping,
    propose_mapping,
    read_gl,
    suggest_mapping,
)
from scoring.gl_import.amounts import decide_decimal_comma
from scoring.gl_import.dates import decide_day_first

DATA = Path(__file__).parent / "data"
CANONICAL_HEADER = "company,industry,date,account_number,account_name,account_type,vendor,description,amount"
D = Decimal


def read(name: str, **options: object) -> list[GLLine]:
    return read_gl(DATA / name, name=name, **options).lines  # type: ignore[arg-type]


def by_row(lines: list[GLLine]) -> dict[int, GLLine]:
    return {line.row_number: line for line in lines}


def problems_of(excinfo: pytest.ExceptionInfo[GLImportError]) -> list[tuple[int | None, str | None, str]]:
    return [(p.row_number, p.column, p.reason) for p in excinfo.value.problems]


def canonical(*rows: str) -> bytes:
    return ("\n".join([CANONICAL_HEADER, *rows]) + "\n").encode()


def spreadsheet_rows(path: Path, encoding: str = "utf-8-sig", delimiter: str = ",") -> dict[int, list[str]]:
    """Rows as a spreadsheet numbers them: one per CSV record, a quoted line break staying inside its row."""
    with path.open(encoding=encoding, newline="") as handle:
        return dict(enumerate(csv.reader(handle, delimiter=delimiter), 1))


# ── QuickBooks Online "General Ledger" ──────────────────────────────────────────────────────────────────


def test_quickbooks_csv_keeps_postings_and_skips_titles_sections_balances_totals_and_footer() -> None:
    gl = read_gl(DATA / "qbo_general_ledger.csv", name="qbo_general_ledger.csv")
    assert (gl.format, gl.header_row) == ("quickbooks", 5)
    assert gl.columns == ["", "Date", "Transaction Type", "Num", "Name", "Memo/Description", "Split",
                          "Amount", "Balance"]
    assert [line.row_number for line in gl.lines] == [8, 9, 13, 14, 15, 18, 19, 20, 22, 25]
    source = spreadsheet_rows(DATA / "qbo_general_ledger.csv")
    for line in gl.lines:
        assert source[line.row_number][5] == line.description  # the row number is the one a spreadsheet shows
    assert {line.company for line in gl.lines} == {"Lattice Labs Inc."}
    assert {line.industry for line in gl.lines} == {""}


def test_quickbooks_accounts_come_from_the_innermost_open_section() -> None:
    lines = by_row(read("qbo_general_ledger.csv"))
    assert (lines[8].account_number, lines[8].account_name) == ("1010", "SVB Operating")
    assert (lines[14].account_number, lines[14].account_name) == ("6100", "Software & Subscriptions")
    assert (lines[19].account_number, lines[19].account_name) == ("6120", "Cloud Hosting")
    # Posted to the parent after its sub-account's total closed the sub-section.
    assert (lines[22].account_number, lines[22].account_name) == ("6000", "Operating Expenses")
    # A section without an account number.
    assert (lines[25].account_number, lines[25].account_name) == ("", "Contractors")
    assert lines[19].extra["section"] == "6000 Operating Expenses > 6120 Cloud Hosting"


def test_quickbooks_fields_amounts_and_extras() -> None:
    lines = by_row(read("qbo_general_ledger.csv"))
    weights = lines[14]
    assert (weights.posted_on, weights.vendor, weights.description, weights.amount) == (
        dt.date(2025, 1, 7), "Weights & Biases, Inc.", "W&B Teams annual, experiment tracking", D("12000.00"))
    assert weights.extra == {"Transaction Type": "Expense", "Num": "8841", "Split": "2010 Brex Card",
                             "Balance": "13,008.00",
                             "section": "6000 Operating Expenses > 6100 Software & Subscriptions"}
    assert lines[8].amount == D("-18442.07")  # "(18,442.07)"
    assert lines[20].amount == D("-1200.00")  # a vendor credit
    assert lines[15].amount == D("239.40")  # unquoted, no separator


def qbo_workbook(path: Path) -> Path:
    """A QuickBooks Online "General Ledger" as its Excel export lays it out: native dates and numbers."""
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "General Ledger"
    rows: list[list[object]] = [
        ["Lattice Labs Inc."], ["General Ledger"], ["January 1 - March 31, 2025"], [],
        [None, "Date", "Transaction Type", "Num", "Name", "Memo/Description", "Split", "Amount", "Balance"],
        ["6120 Cloud Hosting"],
        [None, None, None, None, None, "Beginning Balance", None, None, 0],
        [None, dt.datetime(2025, 1, 31), "Bill", "GCP-0125", "Google Cloud", "A100 training cluster - Jan",
         "2000 Accounts Payable (A/P)", 31870.55, 31870.55],
        [None, dt.datetime(2025, 2, 4), "Vendor Credit", "VC-7", "Google Cloud", "SLA credit - Jan outage",
         "2000 Accounts Payable (A/P)", -1200, 30670.55],
        ["Total for 6120 Cloud Hosting", None, None, None, None, None, None, 30670.55],
        ["6150 Research Supplies"],
        [None, dt.datetime(2025, 3, 3), "Expense", None, "Digi-Key", "Jetson Orin dev kits, prototype rig",
         "2010 Brex Card", 0.1 + 0.2, 0.3],
        ["Total for 6150 Research Supplies", None, None, None, None, None, None, 0.3],
        [], ["TOTAL", None, None, None, None, None, None, 30670.85], [], [],
        ["Accrual Basis Tuesday, April 8, 2025 09:14 AM GMT-07:00"],
    ]
    for row in rows:
        sheet.append(row)
    sheet.merge_cells("A1:I1")
    for cell in sheet["H"]:
        cell.number_format = '#,##0.00;(#,##0.00)'
    book.save(path)
    return path


def test_quickbooks_xlsx_reads_native_dates_and_numbers(tmp_path: Path) -> None:
    path = qbo_workbook(tmp_path / "General Ledger.xlsx")
    gl = read_gl(path, name="General Ledger.xlsx", industry="Generative AI")
    assert (gl.format, gl.sheet, gl.header_row) == ("quickbooks", "General Ledger", 5)
    assert [(line.row_number, line.account_number, line.posted_on, line.amount) for line in gl.lines] == [
        (8, "6120", dt.date(2025, 1, 31), D("31870.55")),
        (9, "6120", dt.date(2025, 2, 4), D("-1200")),
        (12, "6150", dt.date(2025, 3, 3), D("0.3")),  # 0.30000000000000004 in the cell: float noise dropped
    ]
    assert {(line.company, line.industry) for line in gl.lines} == {("Lattice Labs Inc.", "Generative AI")}


def test_format_is_detected_from_content_not_the_file_name(tmp_path: Path) -> None:
    data = (DATA / "qbo_general_ledger.csv").read_bytes()
    assert read_gl(data, name="ledger.xlsx").format == "quickbooks"
    workbook = qbo_workbook(tmp_path / "export.csv").read_bytes()
    assert read_gl(workbook, name="export.csv").format == "quickbooks"


# ── Xero ─────────────────────────────────────────────────────────────────────────────────────────────────


def test_xero_general_ledger_detail_csv() -> None:
    gl = read_gl(DATA / "xero_general_ledger_detail.csv", name="GL Detail.csv")
    assert gl.format == "xero"
    lines = by_row(gl.lines)
    assert sorted(lines) == [8, 9, 14, 15, 16, 20]
    dell, credit_note = lines[8], lines[9]
    assert (dell.company, dell.account_number, dell.account_name, dell.vendor) == (
        "Kestrel Vision Ltd", "420", "Computer Equipment", "Dell Technologies")
    assert (dell.posted_on, dell.amount) == (dt.date(2025, 1, 7), D("4899.00"))
    assert credit_note.amount == D("-249.00")  # debit − credit
    assert lines[16].description == "API usage - evaluation harness"
    assert dell.extra == {"Source": "Payable Invoice", "Reference": "INV-77120",
                          "Running Balance": "8,019.00", "Gross": "5,878.80", "Tax": "979.80",
                          "section": "420 - Computer Equipment"}


def xero_workbook(path: Path) -> Path:
    """A Xero "Account Transactions" Excel export: account headings with codes, opening/closing balances."""
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Account Transactions"
    rows: list[list[object]] = [
        ["Account Transactions"], ["Quokka Speech Pty Ltd"], ["For the period 1 July 2024 to 30 June 2025"],
        [],
        ["Date", "Source", "Description", "Reference", "Debit", "Credit", "Running Balance", "Gross", "GST"],
        ["Consulting & Accounting (412)"],
        ["Opening Balance", None, None, None, None, None, 1500],
        [dt.datetime(2024, 8, 14), "Payable Invoice", "Deloitte - R&D tax incentive registration", "DT-5531",
         8800, None, 10300, 9680, 880],
        ["15/09/2024", "Payable Invoice", "Upwork - offshore annotator, speech corpus", "UPW-118", "2,310.00",
         None, 12610, 2310, 0],
        ["Total Consulting & Accounting (412)", None, None, None, 11110, 0],
        ["Closing Balance", None, None, None, None, None, 12610],
        [],
        ["Computer Equipment (710)"],
        [dt.datetime(2025, 2, 3), "Spend Money", "NVIDIA RTX 6000 Ada - ASR training box", None, 11450.5,
         None, 11450.5, 12595.55, 1145.05],
        [45748, "Receive Money", "Supplier refund - damaged GPU", "RF-2", None, 600, 10850.5, -660, -60],
        ["Total Computer Equipment (710)", None, None, None, 11450.5, 600],
        [], ["Total", None, None, None, 22560.5, 600],
    ]
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


def test_xero_account_transactions_xlsx(tmp_path: Path) -> None:
    gl = read_gl(xero_workbook(tmp_path / "Account Transactions.xlsx"), name="Account Transactions.xlsx")
    assert (gl.format, gl.header_row, gl.day_first) == ("xero", 5, True)
    assert [(line.row_number, line.account_number, line.account_name, line.posted_on, line.amount)
            for line in gl.lines] == [
        (8, "412", "Consulting & Accounting", dt.date(2024, 8, 14), D("8800")),
        (9, "412", "Consulting & Accounting", dt.date(2024, 9, 15), D("2310.00")),
        (14, "710", "Computer Equipment", dt.date(2025, 2, 3), D("11450.5")),
        (15, "710", "Computer Equipment", dt.date(2025, 4, 1), D("-600")),  # an Excel serial date
    ]
    assert {line.company for line in gl.lines} == {"Quokka Speech Pty Ltd"}
    assert gl.lines[0].extra["GST"] == "880"


def test_xero_bad_debit_names_the_row_and_the_column() -> None:
    text = (DATA / "xero_general_ledger_detail.csv").read_text().replace('"12,506.31",,', '"12.506,31",,', 1)
    with pytest.raises(GLImportError) as excinfo:
        read_gl(text.encode(), name="gl.csv")
    reason = "'12.506,31' is not an amount (it looks European, 1.234,56, but the file uses 1,234.56)"
    assert problems_of(excinfo) == [(14, "Debit", reason)]


def test_xero_account_code_column_with_the_name_from_the_heading() -> None:
    text = "\n".join(["General Ledger Detail", "Kestrel Vision Ltd", "",
                      "Date,Source,Contact,Description,Debit,Credit,Account Code",
                      "Cloud Computing,,,,,,", "03 Jan 2025,Spend Money,AWS,EC2,10.00,,463",
                      "Total Cloud Computing,,,,10.00,,"])
    [line] = read_gl(text.encode(), name="gl.csv").lines
    assert (line.account_number, line.account_name, line.amount) == ("463", "Cloud Computing", D("10.00"))


def test_quickbooks_newer_headers_with_a_distribution_account_column() -> None:
    text = "\n".join([
        "Lattice Labs Inc.", "General Ledger", "January 2025", "",
        "Distribution account,Transaction date,Transaction type,Num,Name,Memo/Description,Split account,"
        "Amount",
        "6120 Cloud Hosting,2025-01-31,Bill,GCP-0125,Google Cloud,A100 cluster,Accounts Payable (A/P),"
        "\"$31,870.55\"",
    ])
    [line] = read_gl(text.encode(), name="gl.csv").lines
    assert (line.account_number, line.account_name, line.amount) == ("6120", "Cloud Hosting", D("31870.55"))
    assert line.extra == {"Transaction type": "Bill", "Num": "GCP-0125",
                          "Split account": "Accounts Payable (A/P)"}


def test_quickbooks_desktop_style_debit_credit_columns() -> None:
    text = "\n".join([
        ",Type,Date,Num,Adj,Name,Memo,Split,Debit,Credit,Balance",
        "6120 \u00b7 Cloud Hosting,,,,,,,,,,0.00",
        ",Bill,01/03/2025,88,,Lambda Labs,GPU hours,2000 \u00b7 Accounts Payable,500.00,,500.00",
        ",Credit,01/09/2025,89,,Lambda Labs,Credit,2000 \u00b7 Accounts Payable,,25.00,475.00",
        "Total 6120 \u00b7 Cloud Hosting,,,,,,,,500.00,25.00,475.00",
        "TOTAL,,,,,,,,500.00,25.00,475.00",
    ])
    gl = read_gl(text.encode(), name="desktop.csv")
    assert gl.format == "quickbooks"
    assert [(line.row_number, line.account_number, line.account_name, line.amount) for line in gl.lines] == [
        (3, "6120", "Cloud Hosting", D("500.00")), (4, "6120", "Cloud Hosting", D("-25.00"))]


# ── Canonical CSV ───────────────────────────────────────────────────────────────────────────────────────


def test_canonical_csv_with_extra_columns_kept_verbatim() -> None:
    gl = read_gl(DATA / "canonical_with_extras.csv", name="canonical_with_extras.csv")
    assert gl.format == "canonical"
    lines = by_row(gl.lines)
    assert sorted(lines) == [2, 3, 4, 5, 6, 7]  # the quoted line break keeps row 3 one row
    aws = lines[2]
    assert aws == GLLine(2, "Orbital Inference Co", "AI infrastructure", dt.date(2025, 1, 6), "6120",
                         "Cloud Hosting", "Expense", "Amazon Web Services",
                         "EC2 g5.12xlarge, fine-tuning sweep", D("14210.44"))
    assert aws.extra == {"Department": "Research", "Project Code": "P-017"}
    assert lines[3].description == "Jetson Orin dev kits (x4)\nprototype edge boards"
    assert [lines[row].amount for row in (4, 5, 6)] == [D("5400.00"), D("-312.50"), D("-48900.00")]
    assert lines[6].posted_on == dt.date(2025, 1, 31)
    assert lines[7].posted_on is None
    assert lines[7].description == '=HYPERLINK("http://example.test")'  # kept verbatim


def test_canonical_header_ignores_case_spaces_and_order() -> None:
    data = (b" AMOUNT ;Vendor;Description;Account-Type;account name;ACCOUNT_NUMBER;Date;Industry;Company\n"
            b"12.50;GitHub;Copilot seats;Expense;Software;6100;2025-03-01;Dev tools;Tern AI\n")
    [line] = read_gl(data, name="x.csv").lines
    assert (line.company, line.account_number, line.vendor, line.amount) == (
        "Tern AI", "6100", "GitHub", D("12.50"))


def test_european_semicolon_file_in_windows_1252() -> None:
    gl = read_gl(DATA / "european_semicolon.csv", name="buchungen.csv")
    assert (gl.format, gl.decimal_comma, gl.day_first) == ("canonical", True, True)
    assert [(line.posted_on, line.amount) for line in gl.lines] == [
        (dt.date(2025, 1, 5), D("1234.56")),
        (dt.date(2025, 1, 13), D("2480.00")),
        (dt.date(2025, 2, 2), D("-119.00")),
        (dt.date(2025, 2, 28), D("-89.9")),
    ]
    assert gl.lines[0].account_name == "Bürobedarf"


def test_tab_separated_canonical_file() -> None:
    data = canonical("Acme,AI,2025-01-02,6120,Cloud,Expense,AWS,GPU,10.00").replace(b",", b"\t")
    assert read_gl(data, name="gl.tsv").lines[0].amount == D("10.00")


def test_excel_sep_line_is_honoured_and_not_counted_as_a_row() -> None:
    data = b"sep=;\n" + canonical("Acme;AI;2025-01-02;6120;Cloud;Expense;AWS;GPU;10x").replace(b",", b";")
    with pytest.raises(GLImportError) as excinfo:
        read_gl(data, name="gl.csv")
    assert problems_of(excinfo) == [(2, "amount", "'10x' is not an amount")]


# ── Column mapping ──────────────────────────────────────────────────────────────────────────────────────


def test_unknown_layout_raises_needs_mapping_with_a_proposal_and_a_preview() -> None:
    with pytest.raises(NeedsMapping) as excinfo:
        read_gl(DATA / "custom_export.csv", name="custom_export.csv")
    proposal = excinfo.value.proposal
    assert proposal.header == ["Posting Date", "GL Account", "Payee", "Memo", "Debit", "Credit", "Dept"]
    assert proposal.mapping == ColumnMapping(
        {"date": "Posting Date", "account": "GL Account", "vendor": "Payee", "description": "Memo",
         "debit": "Debit", "credit": "Credit"}, header_row=4)
    assert proposal.missing == []
    assert [row.row_number for row in proposal.preview] == [5, 6, 7, 8]  # the "Total" row is left out
    first = proposal.preview[0]
    assert first.values["account"] == "6120 Cloud Services"
    assert first.line is not None
    assert (first.line.account_number, first.line.amount) == ("6120", D("42000.00"))
    assert "custom_export.csv row 4: columns not recognised" in str(excinfo.value)
    assert isinstance(excinfo.value, GLImportError)  # a caller with no mapping step still gets a clear error


def test_applying_a_confirmed_mapping() -> None:
    proposal = propose_mapping(DATA / "custom_export.csv", name="custom_export.csv")
    gl = apply_mapping(DATA / "custom_export.csv", name="custom_export.csv", mapping=proposal.mapping,
                       company="Helix Genomics AI", industry="AI for biology")
    assert gl.format == "mapped"
    assert [(line.row_number, line.account_name, line.amount) for line in gl.lines] == [
        (5, "Cloud Services", D("42000.00")),
        (6, "Cloud Services", D("-1150.00")),
        (7, "Lab Supplies", D("7318.20")),
        (8, "Legal Fees", D("11250.00")),
    ]
    assert gl.lines[0].extra == {"Dept": "R&D"}
    assert {(line.company, line.industry) for line in gl.lines} == {("Helix Genomics AI", "AI for biology")}


def test_preview_with_a_corrected_mapping_shows_each_rows_problems() -> None:
    mapping = ColumnMapping({"date": "Posting Date", "account_name": "Dept", "description": "Memo",
                             "amount": "Credit"}, header_row=4)
    preview = preview_mapping(DATA / "custom_export.csv", name="custom_export.csv", mapping=mapping, rows=2)
    assert [row.row_number for row in preview.preview] == [5, 6]
    assert preview.preview[0].line is None
    assert preview.preview[0].problems == [RowProblem(5, "Credit", "the amount is blank")]
    assert preview.preview[1].line is not None and preview.preview[1].line.amount == D("1150.00")


def test_a_mapping_that_does_not_fit_the_header_is_refused() -> None:
    mapping = ColumnMapping({"date": "Posting Date", "amount": "Amount", "colour": "Dept"}, header_row=4)
    with pytest.raises(GLImportError) as excinfo:
        apply_mapping(DATA / "custom_export.csv", name="custom_export.csv", mapping=mapping)
    reasons = [reason for _row, _column, reason in problems_of(excinfo)]
    assert reasons == [
        "column 'Amount' (for amount) is not in the header row 4",
        "'colour' is not a GL field (one of company, industry, date, account, account_number, account_name, "
        "account_type, vendor, description, amount, debit, credit)",
        "no column is mapped to the account",
    ]


def test_mapping_an_xlsx_sheet_by_name(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    notes = book.active
    assert notes is not None
    notes.title = "Notes"
    notes.append(["Exported from NetSuite"])
    detail = book.create_sheet("Detail")
    detail.append(["Internal ID", "Date", "Account", "Name", "Memo", "Amount (USD)"])
    detail.append([88123, dt.datetime(2025, 5, 2), "6120 Cloud Hosting", "Lambda Labs", "H100 on-demand",
                   940.0])
    book.save(tmp_path / "ns.xlsx")
    with pytest.raises(NeedsMapping) as excinfo:  # the first sheet has no header; the second is proposed
        read_gl(tmp_path / "ns.xlsx", name="ns.xlsx")
    assert excinfo.value.proposal.mapping.sheet == "Detail"
    header = ["Internal ID", "Date", "Account", "Name", "Memo", "Amount (USD)"]
    mapping = suggest_mapping(header, sheet="Detail")
    assert mapping.columns == {"date": "Date", "account": "Account", "vendor": "Name", "description": "Memo",
                               "amount": "Amount (USD)"}
    [line] = read_gl(tmp_path / "ns.xlsx", name="ns.xlsx", mapping=mapping).lines
    assert (line.row_number, line.account_number, line.amount, line.extra) == (
        2, "6120", D("940"), {"Internal ID": "88123"})


def test_proposal_without_amount_or_account_still_previews_the_mapped_text() -> None:
    data = b"When,Payee,Ledger,How much\n2025-01-02,AWS,Cloud,10\n2025-01-03,GCP,Cloud,12\n"
    with pytest.raises(NeedsMapping) as excinfo:
        read_gl(data, name="odd.csv")
    proposal = excinfo.value.proposal
    assert proposal.mapping.columns == {"vendor": "Payee"}
    assert proposal.missing == ["amount", "account"]
    assert [(row.row_number, row.values, row.line) for row in proposal.preview] == [
        (2, {"vendor": "AWS"}, None), (3, {"vendor": "GCP"}, None)]


def test_suggestions_resolve_overlapping_columns() -> None:
    assert suggest_mapping(["Account", "Account Name", "Net", "Debit", "Credit"]).columns == {
        "account_number": "Account", "account_name": "Account Name", "amount": "Net"}


# ── Amounts ─────────────────────────────────────────────────────────────────────────────────────────────


@pytest.mark.parametrize(("text", "expected"), [
    ("1234.5", "1234.5"), ("1,234.50", "1234.50"), ("$1,234.50", "1234.50"), ("(1,234.50)", "-1234.50"),
    ("$(1,234.50)", "-1234.50"), ("($1,234.50)", "-1234.50"), ("-1,234.50", "-1234.50"), ("-$12", "-12"),
    ("$-12", "-12"), ("1,234.50-", "-1234.50"), ("\u22125.00", "-5.00"), ("+7", "7"), ("€ 99.90", "99.90"),
    ("£1,000,000", "1000000"), ("12.00 USD", "12.00"), (" 0.00 ", "0.00"), ("-0.00", "0.00"), (".5", "0.5"),
    ("1\u00a0234.5", None), ("12,3x", None), ("1,23.4", None), ("1.234,56", None), ("(-5)", None),
    ("--5", None), ("5e3", None), ("NaN", None), ("$", None), ("()", None), ("12..5", None), ("1 234", None),
])
def test_amounts_in_us_style(text: str, expected: str | None) -> None:
    if expected is None:
        with pytest.raises(AmountError):
            parse_amount(text)
    else:
        assert parse_amount(text) == D(expected) and str(parse_amount(text)) == expected


@pytest.mark.parametrize(("text", "expected"), [
    ("1.234,56", "1234.56"), ("1234,56", "1234.56"), ("12,5", "12.5"), ("1 234,56", "1234.56"),
    ("1\u202f234,56", "1234.56"), ("-1.234,56", "-1234.56"), ("(1.234,56)", "-1234.56"),
    ("1.234,56 €", "1234.56"),
    ("1.234", "1234"), ("1.234.567,8", "1234567.8"), ("1,234.56", None), ("12.5", None), ("1.23,4", None),
])
def test_amounts_with_a_decimal_comma(text: str, expected: str | None) -> None:
    if expected is None:
        with pytest.raises(AmountError):
            parse_amount(text, decimal_comma=True)
    else:
        assert parse_amount(text, decimal_comma=True) == D(expected)


@pytest.mark.parametrize(("texts", "european"), [
    (["1.234,56", "12"], True), (["12,5"], True), (["1.234.567"], True), (["1,234.56", "1.234,56"], False),
    (["1,234", "1.234"], False), (["12.50"], False), (["(1.000,00)", "€ 3,10"], True), ([], False),
])
def test_decimal_comma_is_decided_from_the_whole_file(texts: list[str], european: bool) -> None:
    assert decide_decimal_comma(texts) is european


def test_european_amounts_in_a_us_file_are_refused_not_misread() -> None:
    data = canonical("A,B,2025-01-02,1,Cloud,E,V,x,\"1,234.56\"", "A,B,2025-01-03,1,Cloud,E,V,y,\"12,5\"")
    with pytest.raises(GLImportError) as excinfo:
        read_gl(data, name="gl.csv")
    reason = "'12,5' is not an amount (it looks European, 1.234,56, but the file uses 1,234.56)"
    assert problems_of(excinfo) == [(3, "amount", reason)]


@st.composite
def formatted_amounts(draw: st.DrawFn) -> tuple[Decimal, str, bool]:
    cents = draw(st.integers(min_value=-10**12, max_value=10**12))
    value = D(cents).scaleb(-2)
    european, thousands = draw(st.booleans()), draw(st.booleans())
    digits = f"{abs(value):,.2f}" if thousands else f"{abs(value):.2f}"
    if european:
        digits = digits.replace(",", " ").replace(".", ",").replace(" ", ".")
    currencies = [("", ""), ("$", ""), ("$ ", ""), ("", " €"), ("£", ""), ("USD ", "")]
    prefix, suffix = draw(st.sampled_from(currencies))
    text = f"{prefix}{digits}{suffix}"
    if value < 0:
        style = draw(st.sampled_from(["-{}", "{}-", "({})", "\u2212{}", "-{} ", "({} )"]))
        text = style.format(text)
    return value, text, european


@given(formatted_amounts())
def test_formatted_amounts_parse_back_to_their_value(case: tuple[Decimal, str, bool]) -> None:
    value, text, european = case
    assert parse_amount(text, decimal_comma=european) == value
    assert decide_decimal_comma([text]) is european


# ── Dates ───────────────────────────────────────────────────────────────────────────────────────────────


@pytest.mark.parametrize(("text", "month_first", "day_first"), [
    ("2025-01-05", "2025-01-05", "2025-01-05"), ("2025-01-05T14:03:00Z", "2025-01-05", "2025-01-05"),
    ("2025/1/5", "2025-01-05", "2025-01-05"), ("01/05/2025", "2025-01-05", "2025-05-01"),
    ("1/5/25", "2025-01-05", "2025-05-01"), ("1-5-2025", "2025-01-05", "2025-05-01"),
    ("01/05/2025 10:15 AM", "2025-01-05", "2025-05-01"), ("Jan 5, 2025", "2025-01-05", "2025-01-05"),
    ("January 5 2025", "2025-01-05", "2025-01-05"), ("Sept 30, 2025", "2025-09-30", "2025-09-30"),
    ("5 Jan 2025", "2025-01-05", "2025-01-05"), ("05-Jan-2025", "2025-01-05", "2025-01-05"),
    ("5-Jan-25", "2025-01-05", "2025-01-05"), ("31 December 1999", "1999-12-31", "1999-12-31"),
])
def test_dates(text: str, month_first: str, day_first: str) -> None:
    assert parse_date(text).isoformat() == month_first
    assert parse_date(text, day_first=True).isoformat() == day_first


@pytest.mark.parametrize("text", ["2025-02-30", "13/01/2025", "Foo 5, 2025", "Beginning Balance", "45662",
                                  "1/5/1850", "2025", "5 Jan", ""])
def test_not_dates(text: str) -> None:
    with pytest.raises(DateError):
        parse_date(text)


@pytest.mark.parametrize(("texts", "day_first"), [
    (["01/02/2025", "13/02/2025"], True), (["01/02/2025", "02/13/2025"], False), (["01/02/2025"], False),
    (["13/01/2025", "01/13/2025"], False), (["05.01.2025"], True), (["2025-01-13", "Jan 13, 2025"], False),
])
def test_day_first_is_decided_from_all_dates(texts: list[str], day_first: bool) -> None:
    assert decide_day_first(texts) is day_first


def test_one_day_first_date_makes_the_whole_file_day_first() -> None:
    data = canonical("A,B,01/02/2025,1,Cloud,E,V,x,1", "A,B,03/04/2025,1,Cloud,E,V,y,2",
                     "A,B,25/04/2025,1,Cloud,E,V,z,3")
    gl = read_gl(data, name="gl.csv")
    assert gl.day_first is True
    assert [line.posted_on for line in gl.lines] == [
        dt.date(2025, 2, 1), dt.date(2025, 4, 3), dt.date(2025, 4, 25)]


def test_configured_order_wins_and_names_the_rows_that_contradict_it() -> None:
    data = canonical("A,B,01/02/2025,1,Cloud,E,V,x,1", "A,B,25/04/2025,1,Cloud,E,V,z,3")
    assert read_gl(data, name="gl.csv", day_first=True).lines[0].posted_on == dt.date(2025, 2, 1)
    with pytest.raises(GLImportError) as excinfo:
        read_gl(data, name="gl.csv", day_first=False)
    assert problems_of(excinfo) == [(3, "date", "'25/04/2025' is not a date in the file's MM/DD/YYYY order")]


def test_a_file_mixing_both_orders_is_month_first_and_the_rest_are_errors() -> None:
    data = canonical("A,B,12/31/2025,1,Cloud,E,V,x,1", "A,B,31/12/2025,1,Cloud,E,V,z,3")
    with pytest.raises(GLImportError) as excinfo:
        read_gl(data, name="gl.csv")
    assert problems_of(excinfo) == [(3, "date", "'31/12/2025' is not a date in the file's MM/DD/YYYY order")]


# ── Bad rows: all listed, nothing imported ──────────────────────────────────────────────────────────────


def test_every_bad_row_is_listed_with_its_row_and_column() -> None:
    with pytest.raises(GLImportError) as excinfo:
        read_gl(DATA / "canonical_bad_rows.csv", name="ledger.csv")
    assert problems_of(excinfo) == [
        (3, "amount", "'12,3x' is not an amount"),
        (4, "date", "'2025-02-30' is not a date"),
        (5, "account_name", "no account (both account number and name are blank)"),
        (6, "amount", "the amount is blank"),
        (7, None, "10 values but the header (row 1) has 9 columns"),
    ]
    message = str(excinfo.value)
    assert message.splitlines()[0] == "ledger.csv: 5 problems; nothing was imported"
    assert "ledger.csv row 3, column amount: '12,3x' is not an amount" in message
    assert excinfo.value.problem_count == 5


def test_problems_are_capped_but_counted() -> None:
    data = canonical(*[f"A,B,2025-01-02,1,Cloud,E,V,x,bad{i}" for i in range(250)])
    with pytest.raises(GLImportError) as excinfo:
        read_gl(data, name="gl.csv")
    assert len(excinfo.value.problems) == 200 and excinfo.value.problem_count == 250
    assert excinfo.value.problems[0].row_number == 2 and excinfo.value.problems[-1].row_number == 201
    assert str(excinfo.value).endswith("gl.csv: ... and 50 more problems (250 in all)")


def test_one_bad_row_among_many_good_ones_imports_nothing() -> None:
    rows = [f"A,B,2025-01-02,1,Cloud,E,V,x,{i}.00" for i in range(999)]
    rows.append("A,B,2025-01-02,1,Cloud,E,V,x,1O.00")
    with pytest.raises(GLImportError) as excinfo:
        read_gl(canonical(*rows), name="gl.csv")
    assert problems_of(excinfo) == [(1001, "amount", "'1O.00' is not an amount")]


def test_report_rows_need_a_date_and_an_account_section() -> None:
    text = "\n".join([
        ",Date,Transaction Type,Num,Name,Memo/Description,Split,Amount,Balance",
        ",01/05/2025,Expense,,AWS,Before any section,Checking,10.00,10.00",
        "6120 Cloud Hosting,,,,,,,,",
        ",,Expense,,AWS,No date,Checking,11.00,21.00",
        ",01/06/2025,Expense,,AWS,Bad amount,Checking,12;00,33.00",
        ",01/07/2025,Expense,,AWS,Fine,Checking,1.00,34.00",
    ])
    with pytest.raises(GLImportError) as excinfo:
        read_gl(text.encode(), name="qbo.csv")
    assert problems_of(excinfo) == [
        (2, None, "a posting outside any account section (no account row above it)"),
        (4, "Date", "the date is blank"),
        (5, "Amount", "'12;00' is not an amount"),
    ]


def test_xero_row_without_debit_or_credit() -> None:
    text = "\n".join(["Date,Source,Description,Reference,Debit,Credit,Running Balance",
                      "Cloud (463),,,,,,", "03 Jan 2025,Spend Money,AWS,,,,0.00"])
    with pytest.raises(GLImportError) as excinfo:
        read_gl(text.encode(), name="xero.csv")
    assert problems_of(excinfo) == [(3, "Debit", "no amount (both Debit and Credit are blank)")]


# ── Whole-file refusals ─────────────────────────────────────────────────────────────────────────────────


def refusal(data: bytes, **options: object) -> str:
    with pytest.raises(GLImportError) as excinfo:
        read_gl(data, name="upload.csv", **options)  # type: ignore[arg-type]
    assert not isinstance(excinfo.value, NeedsMapping)
    assert len(excinfo.value.problems) == 1
    return str(excinfo.value)


def zipped(entries: dict[str, bytes]) -> bytes:
    """A zip with fixed entry dates: the bytes name parametrized tests, which every xdist worker must
    collect alike."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for entry, content in entries.items():
            archive.writestr(zipfile.ZipInfo(entry, date_time=(2025, 1, 2, 0, 0, 0)), content)
    return buffer.getvalue()


@pytest.mark.parametrize(("data", "reason"), [
    (b"", "upload.csv: the file is empty"),
    (b" \r\n\n\t", "upload.csv: the file is empty"),
    (CANONICAL_HEADER.encode() + b"\n\n", "upload.csv: no GL lines below the header (row 1)"),
    (b"12,13\n14,15\n", "upload.csv: no header row found (a row of column names above the GL lines)"),
    (b"ledger\x00\x01\x02\x03", "upload.csv: binary data (a NUL byte at offset 6), not a CSV or XLSX file"),
    (bytes(range(1, 32)) * 20, "upload.csv: binary data (control characters), not a CSV or XLSX file"),
    (b"%PDF-1.7\n...", "upload.csv: a PDF document, not a CSV or XLSX general ledger"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100,
     "upload.csv: a legacy Excel .xls workbook (or a password-protected one); save it as .xlsx or CSV"),
    ("date,amount\n".encode("utf-16"), "upload.csv: UTF-16 text; save the file as \"CSV UTF-8\" or as .xlsx"),
    (b"date,amount\n\x81\x8d,1\n",
     "upload.csv: not UTF-8 or Windows-1252 text (byte 0x81 on line 2); save the file as \"CSV UTF-8\""),
    (canonical('A,B,2025-01-02,1,Cloud,E,V,"x"y,1'),
     "upload.csv: malformed CSV in row 2: ',' expected after '\"'"),
    (zipped({"readme.txt": b"hello"}), "upload.csv: a zip archive but not an XLSX workbook"),
    (zipped({"[Content_Types].xml": b"<Types/>"}),
     "upload.csv: a zip archive but not an XLSX workbook (no worksheet content)"),
    (b"PK\x03\x04garbage", "upload.csv: not a valid XLSX (zip) file: File is not a zip file"),
    (b"amount,company,industry,date,account_number,account_name,account_type,vendor,description,amount\n1,2",
     "upload.csv: row 1: column 'amount' appears twice in the header"),
])
def test_files_that_are_refused_whole(data: bytes, reason: str) -> None:
    assert refusal(data) == reason


def test_size_and_row_limits(tmp_path: Path) -> None:
    data = canonical(*["A,B,2025-01-02,1,Cloud,E,V,x,1"] * 20)
    assert refusal(data, limits=ImportLimits(max_bytes=100)) == (
        f"upload.csv: the file is {len(data):,} bytes, over the 100-byte limit")
    path = tmp_path / "big.csv"
    path.write_bytes(data)
    with pytest.raises(GLImportError, match="over the 100-byte limit"):
        read_gl(path, name="big.csv", limits=ImportLimits(max_bytes=100))
    assert refusal(data, limits=ImportLimits(max_rows=10)) == "upload.csv: more than 10 rows; split the file"


def test_xlsx_row_limit_and_unreadable_workbook(tmp_path: Path) -> None:
    data = qbo_workbook(tmp_path / "gl.xlsx").read_bytes()
    assert refusal(data, limits=ImportLimits(max_rows=5)) == (
        "upload.csv: sheet 'General Ledger' has more than 5 rows; split the file")
    broken = zipped({"[Content_Types].xml": b"spreadsheetml.sheet.main+xml", "xl/workbook.xml": b"<oops"})
    assert refusal(broken).startswith("upload.csv: not a readable XLSX workbook")


def test_expansion_limit_for_xlsx(tmp_path: Path) -> None:
    data = qbo_workbook(tmp_path / "gl.xlsx").read_bytes()
    assert refusal(data, limits=ImportLimits(max_expanded_bytes=1000)).startswith(
        "upload.csv: refused: the XLSX expands to")


# ── Speed ───────────────────────────────────────────────────────────────────────────────────────────────


@pytest.mark.slow
def test_a_hundred_thousand_canonical_lines_parse_in_seconds() -> None:
    rows = [f'Acme AI,LLM tooling,2025-{1 + i % 12:02d}-{1 + i % 28:02d},{6000 + i % 50},Account {i % 50},'
            f'Expense,Vendor {i % 900},memo line {i},"{(i * 7919) % 900000 / 100:,.2f}"'
            for i in range(100_000)]
    data = canonical(*rows)
    started = time.perf_counter()
    gl = read_gl(data, name="big.csv")
    elapsed = time.perf_counter() - started
    assert len(gl.lines) == 100_000 and gl.lines[-1].row_number == 100_001
    assert elapsed < 10, f"{elapsed:.1f} s"
