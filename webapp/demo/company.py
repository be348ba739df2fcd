"""Lexbridge AI, Inc.: the fictional client behind the demo study.

Plain frozen data only. Money is in whole US dollars, shares are percent of
2025 time (the remainder up to 100 is non-R&D work), dates are calendar dates.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from types import MappingProxyType
from typing import Literal

DEMO_PASSWORD = "fourpart-demo"
DEMO_EMAIL_DOMAIN = "demo.fourpart.test"
TAX_YEAR = 2025

Outcome = Literal["baseline", "failed", "succeeded", "abandoned", "inconclusive"]
Role = Literal["admin", "interviewer", "engineer", "cpa"]
ContractorKind = Literal["contractor", "university"]


def _frozen(mapping: dict[str, int]) -> Mapping[str, int]:
    return MappingProxyType(dict(mapping))


@dataclass(frozen=True)
class Organization:
    legal_name: str
    short_name: str
    entity_type: str
    state_of_incorporation: str
    ein: str
    hq_city: str
    hq_state: str
    country: str
    founded_year: int
    tax_year: int
    fiscal_year_end: str
    industry: str
    business_activity_code: str  # the principal business activity code of its return (Form 1120)
    sector: str
    sub_sector: str
    email_domain: str
    product: str
    vendor_llms: tuple[str, ...]
    gross_receipts: Mapping[int, int]


@dataclass(frozen=True)
class Alternative:
    name: str
    outcome: Outcome
    note: str


@dataclass(frozen=True)
class Project:
    """A business component. ``qualifies`` is the demo's expected answer."""

    code: str
    name: str
    sub_sector: str
    qualifies: bool
    start: date
    end: date
    summary: str
    uncertainty: str
    alternatives: tuple[Alternative, ...]
    nonqualifying_reason: str | None = None


@dataclass(frozen=True)
class Person:
    """An employee. ``wages_2025`` is W-2 box 1 (USD equivalent if foreign)."""

    key: str
    full_name: str
    email: str
    title: str
    wages_2025: int
    state: str
    country: str
    shares: Mapping[str, int]
    officer: bool = False
    first_line_supervisor: bool = False
    engineering: bool = True
    unix_user: str = ""
    expected_exclusion: str | None = None

    @property
    def rd_share(self) -> int:
        return sum(self.shares.values())

    @property
    def is_foreign(self) -> bool:
        return self.country != "US"


@dataclass(frozen=True)
class ContractorEngineer:
    full_name: str
    email: str


@dataclass(frozen=True)
class Contractor:
    key: str
    name: str
    kind: ContractorKind
    country: str
    amount_2025: int
    shares: Mapping[str, int]
    rights_retained: bool
    bears_financial_risk: bool
    activity: str
    gl_vendor: str
    engineers: tuple[ContractorEngineer, ...] = field(default_factory=tuple)
    expected_exclusion: str | None = None

    @property
    def is_foreign(self) -> bool:
        return self.country != "US"


@dataclass(frozen=True)
class DemoUser:
    email: str
    full_name: str
    role: Role
    client: str


ORGANIZATION = Organization(
    legal_name="Lexbridge AI, Inc.",
    short_name="Lexbridge",
    entity_type="C corporation",
    state_of_incorporation="DE",
    ein="87-4410293",
    hq_city="San Francisco",
    hq_state="CA",
    country="US",
    founded_year=2021,
    tax_year=TAX_YEAR,
    fiscal_year_end="12-31",
    industry="Software",
    business_activity_code="513210",  # software publishers
    sector="Legal technology",
    sub_sector="AI-native product engineering",
    email_domain="lexbridge.ai",
    product=(
        "Answers lawyers' research questions with cited case law. Custom hybrid "
        "retrieval, an evaluation harness and citation-aware re-ranking sit on top "
        "of vendor LLMs (OpenAI and Anthropic APIs)."
    ),
    vendor_llms=("OpenAI", "Anthropic"),
    gross_receipts=MappingProxyType(
        {2021: 400_000, 2022: 1_900_000, 2023: 4_600_000, 2024: 8_200_000, 2025: 13_500_000}
    ),
)

CITERAG = Project(
    code="citerag",
    name="CiteRAG — citation-aware retrieval",
    sub_sector="AI-native product engineering",
    qualifies=True,
    start=date(2025, 1, 13),
    end=date(2025, 10, 31),
    summary=(
        "Hybrid sparse-dense retrieval (BM25 + dense embeddings), query decomposition "
        "and citation-aware re-ranking over a corpus of case law and statutes."
    ),
    uncertainty=(
        "Whether any retrieval design could reach the recall on statute citations "
        "needed for cited answers while staying inside the latency and index-size budget."
    ),
    alternatives=(
        Alternative(
            "BM25 only", "baseline", "Lexical baseline; strong on statute cites, weak on paraphrase."
        ),
        Alternative("Dense only", "failed", "Recall@10 on statute citations too low."),
        Alternative("Hybrid with reciprocal-rank fusion", "succeeded", "Beat both on statutes and cases."),
        Alternative("ColBERT late interaction", "abandoned", "Index size about 38x the BM25 index."),
    ),
)

VERDICT = Project(
    code="verdict",
    name="Verdict — legal answer evaluation harness",
    sub_sector="AI-native product engineering",
    qualifies=True,
    start=date(2025, 2, 3),
    end=date(2025, 9, 30),
    summary=(
        "Scores generated legal answers for citation accuracy and faithfulness to the "
        "cited authority; validated by a lawyer agreement study."
    ),
    uncertainty=(
        "Whether an automatic scorer could agree with practising lawyers on "
        "faithfulness well enough to gate releases."
    ),
    alternatives=(
        Alternative("Exact-match citation check", "failed", "Missed parallel and short-form citations."),
        Alternative("LLM-as-judge with vendor model", "inconclusive", "Unstable across prompt versions."),
        Alternative("NLI-based faithfulness scorer", "succeeded", "Kappa 0.71 against lawyers."),
    ),
)

FORGE = Project(
    code="forge",
    name="Forge — distributed fine-tuning infrastructure",
    sub_sector="ML infrastructure",
    qualifies=True,
    start=date(2025, 4, 1),
    end=date(2025, 12, 15),
    summary=(
        "Multi-node fine-tuning of a domain re-ranker model; compares FSDP, DeepSpeed "
        "ZeRO-3 and pipeline parallelism."
    ),
    uncertainty=(
        "Whether a 7B re-ranker could be fine-tuned on the available 8xA100-40GB nodes "
        "at usable throughput, and with which parallelism strategy."
    ),
    alternatives=(
        Alternative("FSDP with activation checkpointing", "succeeded", "Fit 7B at 3.1k tokens/s/node."),
        Alternative("DeepSpeed ZeRO-3 with CPU offload", "failed", "Host OOM at 7B during optimizer step."),
        Alternative("Pipeline parallel (4 stages)", "abandoned", "Bubble overhead; run killed."),
    ),
)

QUICKBRIEF = Project(
    code="quickbrief",
    name="QuickBrief — contract summary endpoint",
    sub_sector="AI-native product engineering",
    qualifies=False,
    start=date(2025, 6, 2),
    end=date(2025, 7, 18),
    summary="An endpoint that sends an uploaded contract to the OpenAI API and returns its summary.",
    uncertainty="None identified: behaviour is the vendor model's.",
    alternatives=(),
    nonqualifying_reason=(
        "A thin wrapper that passes the contract to the OpenAI API and returns the "
        "answer; no custom retrieval, evaluation or experimentation."
    ),
)

PROJECTS: tuple[Project, ...] = (CITERAG, VERDICT, FORGE, QUICKBRIEF)
PROJECT_CODES: tuple[str, ...] = tuple(p.code for p in PROJECTS)


def _person(
    key: str,
    full_name: str,
    title: str,
    wages: int,
    shares: dict[str, int],
    *,
    state: str = "CA",
    country: str = "US",
    officer: bool = False,
    supervisor: bool = False,
    engineering: bool = True,
    unix_user: str | None = None,
    exclusion: str | None = None,
) -> Person:
    return Person(
        key=key,
        full_name=full_name,
        email=f"{key}@lexbridge.ai",
        title=title,
        wages_2025=wages,
        state=state,
        country=country,
        shares=_frozen(shares),
        officer=officer,
        first_line_supervisor=supervisor,
        engineering=engineering,
        unix_user=unix_user or key,
        expected_exclusion=exclusion,
    )


FOREIGN_RESEARCH = "Foreign research, IRC §41(d)(4)(F)"
ROUTINE_DATA_COLLECTION = "Routine data collection, IRC §41(d)(4)(D)(iv)"

PEOPLE: tuple[Person, ...] = (
    _person(
        "miriam",
        "Miriam Castellanos",
        "Chief Executive Officer",
        285_000,
        {},
        officer=True,
        engineering=False,
    ),
    _person(
        "rohan",
        "Rohan Deshpande",
        "Chief Technology Officer",
        310_000,
        {"citerag": 20, "verdict": 15},
        officer=True,
    ),
    _person(
        "nadia",
        "Nadia Rahman",
        "Engineering Manager",
        236_000,
        {"citerag": 25, "verdict": 20, "forge": 20},
        supervisor=True,
    ),
    _person("priya", "Priya Raghunathan", "Senior ML Research Engineer", 228_000, {"citerag": 85}),
    _person("tomas", "Tomás Ferreira", "ML Research Engineer", 215_000, {"citerag": 80, "verdict": 5}),
    _person("hannah", "Hannah Achterberg", "Applied Scientist", 221_000, {"verdict": 85, "citerag": 5}),
    _person("kwame", "Kwame Asante", "Staff ML Infrastructure Engineer", 232_000, {"forge": 90}),
    _person(
        "lena", "Lena Voss", "ML Infrastructure Engineer", 208_000, {"forge": 75, "citerag": 10}, state="WA"
    ),
    _person("jordan", "Jordan Whitfield", "Backend Engineer", 182_000, {"quickbrief": 60, "citerag": 20}),
    _person("meiling", "Mei-Ling Zhou", "Data Engineer", 176_000, {"citerag": 45, "verdict": 30}),
    _person(
        "ethan",
        "Ethan Beaulieu",
        "ML Engineer",
        172_000,
        {"citerag": 90},
        state="ON",
        country="CA",
        exclusion=FOREIGN_RESEARCH,
    ),
    _person("sofia", "Sofia Marchetti", "Product Manager", 168_000, {}, engineering=False),
    _person("beatriz", "Beatriz Ortega", "Office Manager", 78_000, {}, engineering=False),
)

PEOPLE_BY_KEY: Mapping[str, Person] = MappingProxyType({p.key: p for p in PEOPLE})
ENGINEERS: tuple[Person, ...] = tuple(p for p in PEOPLE if p.engineering)

TENSORLANE_ENGINEER = ContractorEngineer("Marcus Oyelaran", "marcus@tensorlane.io")

CONTRACTORS: tuple[Contractor, ...] = (
    Contractor(
        key="tensorlane",
        name="Tensorlane Consulting LLC",
        kind="contractor",
        country="US",
        amount_2025=148_000,
        shares=_frozen({"forge": 65}),
        rights_retained=True,
        bears_financial_risk=True,
        activity="Multi-node training infrastructure for Forge (FSDP and DeepSpeed experiments).",
        gl_vendor="Tensorlane Consulting LLC",
        engineers=(TENSORLANE_ENGINEER,),
    ),
    Contractor(
        key="kestrel",
        name="Kestrel Data Labs Pvt Ltd",
        kind="contractor",
        country="IN",
        amount_2025=92_000,
        shares=_frozen({"citerag": 100}),
        rights_retained=True,
        bears_financial_risk=True,
        activity="Hard-negative mining and retrieval experiments for CiteRAG, performed in India.",
        gl_vendor="Kestrel Data Labs",
        expected_exclusion=FOREIGN_RESEARCH,
    ),
    Contractor(
        key="clearmark",
        name="ClearMark Annotation Inc.",
        kind="contractor",
        country="US",
        amount_2025=61_000,
        shares=_frozen({"verdict": 100}),
        rights_retained=True,
        bears_financial_risk=False,
        activity="Routine labeling of legal citations against existing annotation guidelines.",
        gl_vendor="ClearMark Annotation",
        expected_exclusion=ROUTINE_DATA_COLLECTION,
    ),
    Contractor(
        key="codex",
        name="Stanford Law CodeX",
        kind="university",
        country="US",
        amount_2025=40_000,
        shares=_frozen({"verdict": 65}),
        rights_retained=True,
        bears_financial_risk=True,
        activity="Lawyer agreement study for the Verdict faithfulness scorer (not a qualified consortium).",
        gl_vendor="Stanford University - CodeX",
    ),
)

CONTRACTORS_BY_KEY: Mapping[str, Contractor] = MappingProxyType({c.key: c for c in CONTRACTORS})

SECOND_CLIENT_NAME = "Halvorsen Robotics, Inc."

DEMO_USERS: tuple[DemoUser, ...] = (
    DemoUser(f"admin@{DEMO_EMAIL_DOMAIN}", "Avery Admin", "admin", ORGANIZATION.legal_name),
    DemoUser(f"interviewer@{DEMO_EMAIL_DOMAIN}", "Irene Interviewer", "interviewer", ORGANIZATION.legal_name),
    DemoUser(f"engineer@{DEMO_EMAIL_DOMAIN}", "Eli Engineer", "engineer", ORGANIZATION.legal_name),
    DemoUser(f"cpa@{DEMO_EMAIL_DOMAIN}", "Carmen CPA", "cpa", ORGANIZATION.legal_name),
    DemoUser(f"outsider@{DEMO_EMAIL_DOMAIN}", "Oscar Outsider", "cpa", SECOND_CLIENT_NAME),
)


def project(code: str) -> Project:
    for candidate in PROJECTS:
        if candidate.code == code:
            return candidate
    raise KeyError(code)
