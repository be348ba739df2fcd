"""The Architecture Decision Record parser: every template, the ADR folders, and hostile input."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from evidence.parsers import EvidenceParseError
from evidence.parsers.adr import (
    ConsideredOption,
    DecisionLink,
    ParsedDecision,
    find_adr_files,
    looks_like_adr,
    parse_adr,
)
from webapp.demo.materials import generate_materials

DATA = Path(__file__).parent / "data" / "adr"
FIXTURES = sorted(DATA.rglob("*.md"))
TEMPLATES = {"nygard", "madr2", "madr3", "madr4", "log4brains", "unknown-markdown"}


def load(relative: str, fallback_date: date | None = None) -> ParsedDecision:
    path = DATA / relative
    return parse_adr(path.read_bytes(), source=path.name, fallback_date=fallback_date)


def chosen(record: ParsedDecision) -> list[str]:
    return [option.name for option in record.options if option.chosen]


def madr(outcome: str, options: str = "* Option A\n* Option B\n* Option C\n") -> str:
    return f"# Pick one\n\n## Considered Options\n\n{options}\n## Decision Outcome\n\n{outcome}\n"


# --- Nygard / adr-tools --------------------------------------------------------------------


def test_nygard_record_reads_every_section() -> None:
    record = load("nygard/0002-use-hybrid-retrieval.md")
    assert record.template == "nygard"
    assert (record.number, record.title) == (2, "Use hybrid retrieval")
    assert record.decided_on == date(2025, 3, 4)
    assert record.context.startswith("BM25 alone reaches recall@10 of 0.68")
    assert record.decision == "We will merge BM25 and dense candidates with reciprocal rank fusion (k = 60)."
    assert record.consequences == (
        "* Statute recall@10 rises to 0.75.\n* Two indexes to build and keep in sync."
    )
    assert record.options == () and record.deciders == () and record.tags == ()


def test_nygard_supersede_chain_with_both_spellings() -> None:
    paths = sorted((DATA / "nygard").iterdir())
    first, second, third, fourth = (load(f"nygard/{path.name}") for path in paths)
    assert first.status == "accepted"
    assert first.links == (DecisionLink("amended_by", "0004-serve-colbert-from-a-disk-index.md"),)
    assert second.status == "superseded"
    assert second.links == (DecisionLink("superseded_by", "0003-adopt-colbert-late-interaction.md"),)
    assert third.status == "superseded"  # "Accepted", then "Superceded by": the link wins
    assert third.links == (
        DecisionLink("supersedes", "0002-use-hybrid-retrieval.md"),
        DecisionLink("superseded_by", "0004-serve-colbert-from-a-disk-index.md"),
    )
    assert fourth.status == "accepted"
    assert fourth.links == (
        DecisionLink("supersedes", "0003-adopt-colbert-late-interaction.md"),
        DecisionLink("amends", "0001-record-architecture-decisions.md"),
    )


def test_nygard_dates_in_words_and_headings_in_code_fences() -> None:
    assert load("nygard/0003-adopt-colbert-late-interaction.md").decided_on == date(2025, 4, 8)
    fourth = load("nygard/0004-serve-colbert-from-a-disk-index.md")
    assert fourth.decided_on == date(2025, 4, 29)
    assert "inside a code fence" in fourth.context
    assert fourth.decision.startswith("We will memory-map")


def test_number_comes_from_the_file_name_when_the_heading_has_none() -> None:
    text = "# Use Postgres\n\n## Status\n\nProposed\n\n## Context\n\nx\n\n## Decision\n\ny\n"
    record = parse_adr(text, source="doc/adr/0012-use-postgres.md")
    assert (record.number, record.title) == (12, "Use Postgres")
    assert (record.status, record.template) == ("proposed", "nygard")
    assert parse_adr("# ADR-0007: Cache embeddings\n", source="x.md").number == 7
    assert parse_adr("# 2025 roadmap\n", source="notes.md").number is None


def test_unlinked_supersession_and_custom_link_verbs() -> None:
    text = (
        "# 5. Five\n\n## Status\n\nSuperceded by ADR-0009\n\n"
        "Clarified by [6. Six](0006-six.md)\n\n## Context\n\nc\n\n## Decision\n\nd\n"
    )
    record = parse_adr(text, source="0005-five.md")
    assert record.status == "superseded"
    assert record.links == (
        DecisionLink("superseded_by", "ADR-0009"), DecisionLink("clarified_by", "0006-six.md"),
    )


# --- MADR and log4brains -------------------------------------------------------------------


def test_madr2_bullet_metadata_options_and_links() -> None:
    record = load("madr2/0005-choose-a-vector-store.md")
    assert record.template == "madr2"
    assert (record.number, record.status, record.decided_on) == (5, "accepted", date(2025, 3, 18))
    assert record.deciders == ("Priya Natarajan", "Tomás Ibarra")
    assert record.drivers == (
        "p95 latency under 50 ms at 40M vectors", "Filtering by jurisdiction inside the vector query",
    )
    story = "Technical Story: RET-214 (https://tracker.example.com/RET-214)"
    assert record.context.startswith(f"{story}\n\nThe passage")
    assert record.consequences == (
        "Positive Consequences:\n* Filtered queries at 31 ms p95.\n\n"
        "Negative Consequences:\n* One more stateful service to operate."
    )
    assert record.links == (
        DecisionLink("refined_by", "0006-shard-qdrant-by-jurisdiction.md"),
        DecisionLink("relates", "0002-use-hybrid-retrieval.md"),
    )


def test_madr2_pros_and_cons_per_option() -> None:
    pgvector, qdrant, faiss = load("madr2/0005-choose-a-vector-store.md").options
    assert pgvector == ConsideredOption(
        "pgvector with HNSW", False, ("no new service",), ("p95 was 140 ms with filters",),
        "Runs inside the existing PostgreSQL cluster.",
    )
    assert qdrant == ConsideredOption(  # "**Qdrant** – dedicated vector database" splits name and note
        "Qdrant", True, ("31 ms p95 with payload filters",), ("the team has no operating experience",),
        "dedicated vector database",
    )
    assert faiss.cons == (
        "filtering happens after search and drops recall", "every API replica holds the whole index",
    )
    assert not faiss.chosen


def test_madr3_front_matter_neutral_arguments_and_validation() -> None:
    record = load("madr3/0001-use-an-nli-faithfulness-scorer.md")
    assert record.template == "madr3"
    assert (record.status, record.decided_on) == ("accepted", date(2025, 5, 20))
    assert record.deciders == ("Hannah Achterberg", "Rohan Deshpande")
    assert chosen(record) == ["NLI-based faithfulness scorer"]
    judge = record.options[1]
    assert judge.description == "Neutral: kappa ranged from 0.52 to 0.66 across prompt versions."
    assert judge.pros == ("it reads claim and passage together.",)
    assert record.consequences.startswith("* Good, because scoring 10k answers costs under $4.")
    assert record.decision.endswith("Validation:\nA lawyer agreement study on 2,400 answers; "
                                    "MLflow experiment `verdict-faithfulness`.")


def test_madr4_decision_makers_and_confirmation() -> None:
    record = load("madr4/0002-shard-training-with-fsdp.md")
    assert record.template == "madr4"
    assert record.deciders == ("Kwame Asante", "Lena Voss")
    assert [option.name for option in record.options] == [
        "FSDP with activation checkpointing",
        "DeepSpeed ZeRO-3 with CPU offload",
        "Pipeline parallel (4 stages)",
    ]
    assert chosen(record) == ["FSDP with activation checkpointing"]  # bold + backticks, unquoted
    assert record.options[0].description == "Neutral: it needs PyTorch 2.4 or later."
    assert "Confirmation:\nThe nightly `forge-parallelism` run" in record.decision


def test_log4brains_tags_file_name_date_and_links() -> None:
    old = load("log4brains/20250304-use-reciprocal-rank-fusion.md")
    assert old.template == "log4brains"
    assert (old.number, old.decided_on, old.status) == (None, date(2025, 3, 4), "superseded")
    assert old.tags == ("retrieval", "ranking")
    assert old.links == (DecisionLink("superseded_by", "20250408-use-learned-fusion-weights.md"),)
    assert chosen(old) == ["Reciprocal rank fusion"]
    new = load("log4brains/20250408-use-learned-fusion-weights.md")
    assert new.decided_on == date(2025, 4, 10)  # the Date line beats the file name
    assert new.tags == ("retrieval", "learning-to-rank")
    assert new.links == (DecisionLink("supersedes", "20250304-use-reciprocal-rank-fusion.md"),)
    assert new.options == ()  # "Chosen option" names nothing that was listed


def test_unknown_markdown_is_best_effort() -> None:
    record = load("unknown/retrieval-notes.md")
    assert record.template == "unknown-markdown"
    assert (record.title, record.number) == ("Retrieval design notes", None)
    assert (record.status, record.decided_on) == ("", None)
    assert record.context == "Notes from the March retrieval review; not a formal record."


def test_madr_template_placeholders_count_as_absent() -> None:
    text = (
        "---\nstatus: {proposed | rejected | accepted | superseded by [ADR-0005](0005-example.md)}\n"
        "date: {YYYY-MM-DD when decided}\ndeciders: {list everyone involved}\n"
        'informed: "{list everyone kept up to date"\n---\n'
        "# {short title}\n\n## Context and Problem Statement\n\n{Describe the context.}\n\n"
        "## Considered Options\n\n* {title of option 1}\n* …\n\n"
        '## Decision Outcome\n\nChosen option: "{title of option 1}"\n'
    )
    record = parse_adr(text, source="adr-template.md")
    assert record.template == "madr3"
    assert (record.status, record.decided_on, record.deciders, record.context) == ("", None, (), "")
    assert record.options == () and record.links == ()
    madr4 = parse_adr('---\nstatus: "{proposed | accepted"\ndecision-makers: a\n---\n# T\n', source="x.md")
    assert (madr4.template, madr4.status, madr4.deciders) == ("madr4", "", ("a",))


# --- option matching -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("outcome", "expected"),
    [
        ('Chosen option: "Option B", because it is best.', ["Option B"]),
        ("Chosen option: `Option B`, because it is best.", ["Option B"]),
        ("Chosen option: **Option B**, because it is best.", ["Option B"]),
        ("Chosen option: “Option B” because it is best.", ["Option B"]),
        ("Chosen option: option b.", ["Option B"]),
        ('Chosen option: "Option C", because "Option B" was slower.', ["Option C"]),
        ('Chosen option: "Option D", because nothing else worked.', []),
        ("We chose nothing yet.", []),
    ],
)
def test_chosen_option_is_matched_by_name(outcome: str, expected: list[str]) -> None:
    assert chosen(parse_adr(madr(outcome), source="x.md")) == expected


def test_chosen_option_matches_an_option_named_at_more_length() -> None:
    options = "* Option 1 – keep BM25\n* Option 12 – rewrite\n* [Log4brains](https://example.com): a site\n"
    quoted = parse_adr(madr('Chosen option: "Option 1"', options), source="x.md")
    assert chosen(quoted) == ["Option 1 – keep BM25"]
    linked = parse_adr(madr("Chosen option: Log4brains, because", options), source="x.md")
    assert chosen(linked) == ["Log4brains"]


def test_pros_and_cons_without_a_considered_options_list() -> None:
    text = (
        "# T\n\n## Pros and Cons of the Options\n\n### Alpha\n\n* Pro: fast\n* Con: costly\n* some note\n\n"
        '### Beta\n\n* Good, because cheap\n\n## Decision Outcome\n\nChosen option: "Beta"\n'
    )
    alpha, beta = parse_adr(text, source="x.md").options
    assert alpha == ConsideredOption("Alpha", False, ("fast",), ("costly",), "some note")
    assert beta == ConsideredOption("Beta", True, ("cheap",), (), "")


# --- dates ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("Date: 2025-03-04", date(2025, 3, 4)),
        ("Date: 2025/03/04", date(2025, 3, 4)),
        ("Date: 4 March 2025", date(2025, 3, 4)),
        ("Date: March 4, 2025", date(2025, 3, 4)),
        ("Date: 4th Mar. 2025", date(2025, 3, 4)),
        ("Date: 2025-03-04T10:30:00Z", date(2025, 3, 4)),
        ("Date: 2025-02-30", None),
        ("Date: DATE", None),
        ("Date: soon", None),
    ],
)
def test_dates(line: str, expected: date | None) -> None:
    assert parse_adr(f"# 1. T\n\n{line}\n", source="x.md").decided_on == expected


@pytest.mark.parametrize("value", ["not a date", "2025-02-30", "[2025, 3]", "{a: 1}", "20250304", "true"])
def test_a_front_matter_date_that_is_not_a_date_is_none(value: str) -> None:
    assert parse_adr(f"---\nstatus: accepted\ndate: {value}\n---\n# T\n", source="x.md").decided_on is None


def test_fallback_date_only_when_the_file_has_none() -> None:
    fallback = date(2024, 12, 31)
    assert parse_adr("# T\n", source="x.md", fallback_date=fallback).decided_on == fallback
    assert load("nygard/0002-use-hybrid-retrieval.md", fallback_date=fallback).decided_on == date(2025, 3, 4)
    assert parse_adr("# T\n", source="20250101-t.md", fallback_date=fallback).decided_on == date(2025, 1, 1)


# --- bad input -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "message", "line"),
    [
        (b"# Title\n\nsome text\n\xff\xfe broken\n", "not UTF-8 text (byte 19)", 4),
        (b"# Title\n\x00\x01\x02\x03", "binary file, not Markdown", 2),
        ("# Title\n\x00", "binary file, not Markdown", 2),
        ("# T\n" + "\x01\x02\x03\x04" * 10, "binary file, not Markdown", None),
        ("# Title".encode("utf-16"), "UTF-16 text, not UTF-8", 1),
        (b"", "empty file", None),
        ("\ufeff \n\t\n", "empty file", None),
        ("Just a paragraph.\n\n* and a list\n", "no title heading", None),
        ("---\nstatus: accepted\n---\n", "no title heading", None),
        ("---\nstatus: accepted\ndate: [2025\n---\n# T\n", "malformed YAML front matter", 3),
        ("---\nstatus: accepted\n  deciders: a: b\n---\n# T\n", "malformed YAML front matter", 3),
        ("---\n- a\n- b\n---\n# T\n", "front matter is not a YAML mapping", 2),
        ("---\nx: !!float nope\n---\n# T\n", "malformed YAML front matter", 1),
        ("---\nx: " + "[" * 2000 + "]" * 2000 + "\n---\n# T\n", "malformed YAML front matter", 1),
    ],
)
def test_bad_input_names_the_problem(data: str | bytes, message: str, line: int | None) -> None:
    with pytest.raises(EvidenceParseError) as caught:
        parse_adr(data, source="0001-x.md")
    assert caught.value.source == "0001-x.md"
    assert caught.value.message.startswith(message)
    assert caught.value.line == line


@pytest.mark.parametrize("data", [b"# T\n" + b"a" * (2 * 1024 * 1024), "# T\n" + "é" * (1024 * 1024)])
def test_files_over_two_megabytes_are_refused(data: str | bytes) -> None:
    with pytest.raises(EvidenceParseError, match="too large for an ADR"):
        parse_adr(data, source="big.md")


def test_bom_and_crlf_are_accepted() -> None:
    text = (DATA / "nygard/0002-use-hybrid-retrieval.md").read_text().replace("\n", "\r\n")
    record = parse_adr(b"\xef\xbb\xbf" + text.encode(), source="0002-x.md")
    assert (record.title, record.status) == ("Use hybrid retrieval", "superseded")
    assert record.decided_on == date(2025, 3, 4)


# --- looks_like_adr ------------------------------------------------------------------------


@pytest.mark.parametrize("path", [p for p in FIXTURES if "unknown" not in p.parts], ids=lambda p: p.name)
def test_every_record_fixture_looks_like_an_adr(path: Path) -> None:
    assert looks_like_adr(path.read_text(), path.name)


@pytest.mark.parametrize(
    ("text", "filename"),
    [
        ((DATA / "unknown/retrieval-notes.md").read_text(), "retrieval-notes.md"),
        ("# Changelog\n\n## 0.1.0\n\n* first release\n", "CHANGELOG.md"),
        ("# 1. Setup\n\nRun `make`.\n", "README.md"),
        ("---\ndate: 2025-01-01\ntitle: Blog\n---\n# Blog post\n", "post.md"),
        ("no heading at all", "20250101-x.md"),
        ("---\nbad: [\n---\n\x00", "0001-x.md"),
        ("", "0001-x.md"),
    ],
)
def test_other_markdown_does_not_look_like_an_adr(text: str, filename: str) -> None:
    assert not looks_like_adr(text, filename)


def test_adr_shapes_without_the_usual_file_names() -> None:
    nygard = "# 3. Use X\n\n## Status\n\nAccepted\n\n## Context\n\nc\n\n## Decision\n\nd\n"
    assert looks_like_adr(nygard, "use-x.md")
    madr_sections = "# Use X\n\n## Context and Problem Statement\n\nc\n\n## Decision Outcome\n\nd\n"
    assert looks_like_adr(madr_sections, "x.md")
    assert looks_like_adr("# Use X\n\n* Status: accepted\n\n## Considered Options\n\n* a\n", "x.md")
    assert looks_like_adr("---\nstatus: accepted\n---\n# Use X\n", "x.md")
    assert looks_like_adr("# Use X\n\nAnything.\n", "20250304-use-x.md")


# --- find_adr_files ------------------------------------------------------------------------


def write(root: Path, *paths: str) -> None:
    for relative in paths:
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(f"# {path.stem}\n")


def test_adr_dir_file_names_the_folder(tmp_path: Path) -> None:
    (tmp_path / ".adr-dir").write_text("architecture/records\n")
    names = ("0002-b.md", "0001-a.md", "README.md", "notes.txt", "sub/0003-c.md")
    write(tmp_path, *(f"architecture/records/{name}" for name in names))
    assert find_adr_files(tmp_path) == [
        tmp_path / "architecture/records/0001-a.md", tmp_path / "architecture/records/0002-b.md",
    ]


def test_log4brains_config_names_project_and_package_folders(tmp_path: Path) -> None:
    (tmp_path / ".log4brains.yml").write_text(
        "---\nproject:\n  name: lexbridge\n  adrFolder: ./docs/architecture\n  packages:\n"
        "    - name: forge\n      path: ./packages/forge\n      adrFolder: ./packages/forge/adr\n"
        "    - name: broken\n    - just a string\n"
    )
    write(tmp_path, "docs/architecture/20250304-a.md", "docs/architecture/template.md",
          "docs/architecture/index.md", "packages/forge/adr/20250401-b.md", "packages/forge/README.md")
    assert find_adr_files(tmp_path) == [
        tmp_path / "docs/architecture/20250304-a.md", tmp_path / "packages/forge/adr/20250401-b.md",
    ]


def test_default_folders_are_all_searched_and_merged(tmp_path: Path) -> None:
    write(tmp_path, "doc/adr/0001-a.md", "docs/adr/0001-b.md", "docs/decisions/0001-c.md",
          "docs/architecture/decisions/0001-d.md", "adr/0001-e.md", "decisions/0001-f.md",
          "docs/decisions/adr-template.md", "docs/decisions/Template.md", "docs/onboarding.md")
    (tmp_path / ".log4brains.yml").write_text("project: [unbalanced\n")  # ignored, not fatal
    found = find_adr_files(tmp_path)
    assert [path.relative_to(tmp_path).as_posix() for path in found] == sorted([
        "doc/adr/0001-a.md", "docs/adr/0001-b.md", "docs/decisions/0001-c.md",
        "docs/architecture/decisions/0001-d.md", "adr/0001-e.md", "decisions/0001-f.md",
    ])


def test_folders_outside_the_checkout_are_ignored(tmp_path: Path) -> None:
    inside, outside = tmp_path / "repo", tmp_path / "elsewhere"
    write(outside, "0001-secret.md")
    write(inside, "0001-in-root.md", "notes.md")
    (inside / ".adr-dir").write_text("../elsewhere\n")
    (inside / ".log4brains.yml").write_text(f"project:\n  adrFolder: {outside}\n")
    # No ADR folder inside: the checkout itself is the folder, keeping record-like names only.
    assert find_adr_files(inside) == [inside / "0001-in-root.md"]


# --- hostile input never escapes as anything but EvidenceParseError ------------------------

MARKDOWN_BITS = [
    "---\n", "\n## Status\n", "\n## Considered Options\n", "\n### Option A\n", "* Good, because ", "* Bad, ",
    'Chosen option: "', "{", "[", "](", "<!--", "-->", "```\n", "\x00", "date: 2025-02-30\n", "\ufeff",
    "\r\n", "Superseded by [x](", "status: {a | b}\n", "- Tags: [", ": ", "# ", "\n===\n", "&amp;", "\\",
    "!!python/object:os.system ", "*a", "&x ", "1. ", "| a |\n|---|\n", "    code\n", "> ",
]


@st.composite
def mutated_adr(draw: st.DrawFn) -> str:
    text = draw(st.sampled_from([path.read_text() for path in FIXTURES]))
    for _ in range(draw(st.integers(1, 6))):
        start = draw(st.integers(0, len(text)))
        end = draw(st.integers(start, min(len(text), start + 80)))
        operation = draw(st.sampled_from(["insert", "delete", "replace", "duplicate"]))
        snippet = draw(st.one_of(st.sampled_from(MARKDOWN_BITS), st.text(max_size=20)))
        if operation == "insert":
            text = text[:start] + snippet + text[start:]
        elif operation == "delete":
            text = text[:start] + text[end:]
        elif operation == "replace":
            text = text[:start] + snippet + text[end:]
        else:
            text = text[:end] + text[start:end] + text[end:]
    return text


def parses_or_refuses(data: str | bytes) -> None:
    try:
        record = parse_adr(data, source="fuzz.md", fallback_date=date(2025, 1, 1))
    except EvidenceParseError as exc:
        assert exc.source == "fuzz.md"
        return
    assert isinstance(record, ParsedDecision)
    assert record.template in TEMPLATES and record.title
    assert sum(option.chosen for option in record.options) <= 1
    assert all(isinstance(option, ConsideredOption) for option in record.options)
    assert isinstance(record.decided_on, date)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=600))
def test_random_bytes(data: bytes) -> None:
    parses_or_refuses(data)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=600))
def test_random_text(text: str) -> None:
    parses_or_refuses(text)
    assert looks_like_adr(text, "0001-fuzz.md") in (True, False)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated_adr())
def test_mutated_records(text: str) -> None:
    parses_or_refuses(text)
    assert looks_like_adr(text, "20250101-fuzz.md") in (True, False)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated_adr(), st.lists(st.tuples(st.integers(0, 10_000), st.integers(0, 255)), max_size=6))
def test_mutated_record_bytes(text: str, flips: list[tuple[int, int]]) -> None:
    data = bytearray(text.encode("utf-8", "surrogatepass"))
    for position, value in flips:
        if data:
            data[position % len(data)] = value
    parses_or_refuses(bytes(data))


# --- the demo repository -------------------------------------------------------------------


@pytest.fixture(scope="session")
def demo_records(tmp_path_factory: pytest.TempPathFactory) -> dict[str, ParsedDecision]:
    materials = generate_materials(tmp_path_factory.mktemp("adr-demo"))
    files = find_adr_files(materials.repo)
    return {path.relative_to(materials.repo).as_posix(): parse_adr(path.read_bytes(), source=path.name)
            for path in files}


def test_demo_repository_records_all_parse(demo_records: dict[str, ParsedDecision]) -> None:
    folders = {path.rsplit("/", 1)[0] for path in demo_records}
    assert folders == {"doc/adr", "docs/decisions"}
    nygard = [record for path, record in demo_records.items() if path.startswith("doc/adr/")]
    assert len(nygard) >= 3 and {record.template for record in nygard} == {"nygard"}
    assert all(record.number is not None and record.decided_on for record in nygard)
    assert any(link.kind == "superseded_by" for record in nygard for link in record.links)
    assert any(link.kind == "supersedes" for record in nygard for link in record.links)


def test_demo_repository_madr_records_have_one_chosen_option(demo_records: dict[str, ParsedDecision]) -> None:
    records = [record for path, record in demo_records.items() if path.startswith("docs/decisions/")]
    assert records and {record.template for record in records} == {"madr3"}
    for record in records:
        assert len(record.options) >= 2 and len(chosen(record)) == 1, record.title
        assert record.deciders and record.drivers and record.decided_on
        assert all(option.pros or option.cons for option in record.options), record.title
    assert sum(len(record.options) >= 3 for record in records) >= 3
