"""Scheduled ledger activity: payroll, revenue, invoices, subscriptions, journal entries.

Payroll lines on 5000 add up to the US employees' W-2 wages; the Canadian
engineer is paid through an employer of record on 5030. Contractor invoices add
up to each contractor's 2025 amount in ``company.CONTRACTORS``.
"""

from __future__ import annotations

import random
from datetime import date

from webapp.demo.company import CONTRACTORS_BY_KEY, ORGANIZATION, PEOPLE, Person
from webapp.demo.gl_common import (
    YEAR,
    GlLine,
    amount,
    cents,
    code,
    month_end,
    nth_business_day,
    on_or_before_business_day,
    split_cents,
)

MONTHS = range(1, 13)


def _department(person: Person) -> str:
    if person.engineering:
        return "Engineering"
    return "Product" if "Product" in person.title else "G&A"


def _pay_dates() -> list[date]:
    dates = []
    for month in MONTHS:
        dates.append(on_or_before_business_day(date(YEAR, month, 15)))
        dates.append(on_or_before_business_day(month_end(month)))
    return dates


def payroll(rng: random.Random) -> list[GlLine]:
    totals: dict[str, int] = {}
    heads: dict[str, int] = {}
    for person in PEOPLE:
        if person.country == "US":
            dept = _department(person)
            totals[dept] = totals.get(dept, 0) + person.wages_2025 * 100
            heads[dept] = heads.get(dept, 0) + 1
    lines = []
    pay_dates = _pay_dates()
    for dept, total in sorted(totals.items()):
        for pay_day, wages in zip(pay_dates, split_cents(total, len(pay_dates), rng, 0.0), strict=True):
            stamp = pay_day.strftime("%m/%d/%Y")
            lines.append(
                GlLine(pay_day, "5000", "Gusto", f"Gusto payroll {stamp} - {dept} gross wages", wages)
            )
            rate = 0.0765 if pay_day.month <= 6 else 0.041
            lines.append(
                GlLine(
                    pay_day,
                    "5010",
                    "Gusto",
                    f"Gusto payroll {stamp} - {dept} employer taxes",
                    int(wages * rate),
                )
            )
        for month in MONTHS:
            lines.append(
                GlLine(
                    nth_business_day(month, 1),
                    "5020",
                    "Gusto",
                    f"Gusto benefits - Anthem Blue Cross / Guardian - {dept} ({heads[dept]} EEs)",
                    heads[dept] * amount(rng, 760, 820),
                )
            )
    return lines + _employer_of_record(rng)


def _employer_of_record(rng: random.Random) -> list[GlLine]:
    lines = []
    foreign = [p for p in PEOPLE if p.country != "US"]
    for person in foreign:
        initial = f"{person.full_name.split()[0][0]}. {person.full_name.split()[-1]}"
        for month, pay in zip(MONTHS, split_cents(person.wages_2025 * 100, 12, rng, 0.0), strict=True):
            day = on_or_before_business_day(month_end(month))
            label = day.strftime("%b %Y")
            lines.append(
                GlLine(day, "5030", "Deel", f"Deel Inc - EOR payroll Canada - {initial} ({label})", pay)
            )
            lines.append(GlLine(day, "5030", "Deel", "Deel Inc - EOR platform fee", cents(599)))
    return lines


_CUSTOMERS = (
    "Halberd & Moss LLP",
    "Pryor Castell LLP",
    "Wexford Legal Group",
    "Brennan Oakes LLP",
    "Sato & Lindqvist LLP",
    "Marlow Grant Kessler LLP",
    "Ardent County Public Defender",
)


def revenue(rng: random.Random) -> list[GlLine]:
    total = ORGANIZATION.gross_receipts[YEAR] * 100
    weights = [1.0 + 0.07 * m for m in MONTHS]
    monthly = [int(total * w / sum(weights)) for w in weights]
    monthly[-1] += total - sum(monthly)
    lines = []
    for month, month_total in zip(MONTHS, monthly, strict=True):
        services = cents(rng.choice((0, 0, 6500, 12000, 18500)))
        stripe = int((month_total - services) * 0.42)
        enterprise = month_total - services - stripe
        for week, part in enumerate(split_cents(stripe, 4, rng), start=1):
            day = nth_business_day(month, min(5 * week - 3, 19))
            lines.append(GlLine(day, "4000", "Stripe", f"STRIPE TRANSFER ST-{code(rng, 12)}", part))
        for part in split_cents(enterprise, 3, rng, 0.5):
            customer = rng.choice(_CUSTOMERS)
            lines.append(
                GlLine(
                    nth_business_day(month, rng.randint(3, 18)),
                    "4000",
                    customer,
                    f"ACH DEPOSIT {customer.upper()} INV-{rng.randint(1040, 1990)} annual seats",
                    part,
                )
            )
        if services:
            lines.append(
                GlLine(
                    nth_business_day(month, 12),
                    "4100",
                    rng.choice(_CUSTOMERS),
                    "Onboarding, SSO and matter-system integration fee",
                    services,
                )
            )
    return lines


def _invoices(rng: random.Random, key: str, months: tuple[int, ...], account: str, text: str) -> list[GlLine]:
    contractor = CONTRACTORS_BY_KEY[key]
    parts = split_cents(contractor.amount_2025 * 100, len(months), rng, 0.2)
    return [
        GlLine(
            nth_business_day(month, rng.randint(8, 14)),
            account,
            contractor.gl_vendor,
            text.format(n=index, month=date(YEAR, month, 1).strftime("%b %Y")),
            part,
        )
        for index, (month, part) in enumerate(zip(months, parts, strict=True), start=1)
    ]


def contractors(rng: random.Random) -> list[GlLine]:
    tensorlane = _invoices(
        rng,
        "tensorlane",
        (4, 5, 6, 7, 8, 9, 10, 11),
        "6310",
        "Tensorlane Consulting LLC - INV-TL-25{n:02d} - Forge distributed training (SOW-2) {month}",
    )
    kestrel = _invoices(
        rng,
        "kestrel",
        (2, 3, 4, 5, 6, 7),
        "6310",
        "KESTREL DATA LABS PVT LTD intl wire - INV KDL-{n:03d} retrieval experiments (hard negatives)",
    )
    clearmark = _invoices(
        rng,
        "clearmark",
        (3, 4, 5, 7, 8),
        "6310",
        "ClearMark Annotation Inc. - citation labeling batch {n} (guidelines v3)",
    )
    codex = _invoices(
        rng,
        "codex",
        (6, 9),
        "6310",
        "Stanford University - CodeX sponsored research - Verdict lawyer agreement study (installment {n}/2)",
    )
    first_kestrel = kestrel[0]
    kestrel[0] = GlLine(
        first_kestrel.day, "6300", first_kestrel.vendor, first_kestrel.description, first_kestrel.cents
    )
    duplicate = tensorlane[5]
    reversal_day = nth_business_day(duplicate.day.month, 18)
    lines = (
        tensorlane
        + kestrel
        + clearmark
        + codex
        + [
            GlLine(
                duplicate.day,
                duplicate.account,
                duplicate.vendor,
                duplicate.description + " (ACH)",
                duplicate.cents,
            ),
            GlLine(
                reversal_day,
                duplicate.account,
                duplicate.vendor,
                "VOID - duplicate payment " + duplicate.description.split(" - ")[1],
                -duplicate.cents,
            ),
            GlLine(
                nth_business_day(3, 20),
                "6300",
                first_kestrel.vendor,
                "JE-2025-03-014 Reclass Kestrel INV KDL-001 to Contractors - R&D",
                -first_kestrel.cents,
            ),
            GlLine(
                nth_business_day(3, 20),
                "6310",
                first_kestrel.vendor,
                "JE-2025-03-014 Reclass Kestrel INV KDL-001 to Contractors - R&D",
                first_kestrel.cents,
            ),
        ]
    )
    for wire in kestrel:
        lines.append(
            GlLine(wire.day, "6950", "Silicon Valley Bank", "SVB outgoing international wire fee", cents(45))
        )
    return lines + _upwork(rng)


def _upwork(rng: random.Random) -> list[GlLine]:
    jobs = (
        "freelance designer - marketing site",
        "technical writer - API docs",
        "video editor - product demo",
        "Webflow developer - landing pages",
    )
    lines = []
    for _ in range(24):
        day = nth_business_day(rng.randint(1, 12), rng.randint(1, 19))
        lines.append(GlLine(day, "6300", "Upwork", f"Upwork - {rng.choice(jobs)}", amount(rng, 300, 2600)))
    return lines


_AWS_PRODUCTION = (
    ("AWS ECS/Fargate - production API", 6000, 14000, 1),
    ("AWS RDS PostgreSQL - production", 2100, 3400, 1),
    ("AWS S3 - passage store, indexes & backups", 1200, 2600, 1),
    ("AWS data transfer out", 400, 1500, 1),
    ("AWS Business Support", 1000, 2500, 1),
    ("AWS EC2 g6.xlarge (L4) - reranker inference", 3000, 6000, 7),
)


def cloud_invoices(rng: random.Random) -> list[GlLine]:
    lines = []
    for month in MONTHS:
        day = nth_business_day(month, 2)
        usage = date(YEAR - 1, 12, 1) if month == 1 else date(YEAR, month - 1, 1)
        label = usage.strftime("%b %Y")
        for text, low, high, first in _AWS_PRODUCTION:
            if month >= first:
                lines.append(
                    GlLine(day, "6110", "Amazon Web Services", f"{text} ({label})", amount(rng, low, high))
                )
        lines.append(
            GlLine(
                day,
                "6100",
                "Amazon Web Services",
                f"AWS EC2 g5.12xlarge - citerag embedding jobs ({label})",
                amount(rng, 3000, 9000),
            )
        )
        if month >= 5:
            account = "6110" if month in (6, 7) else "6100"
            lines.append(
                GlLine(
                    day,
                    account,
                    "Amazon Web Services",
                    f"AWS EC2 p4d.24xlarge usage - forge training ({label})",
                    amount(rng, 18000, 46000),
                )
            )
        if month <= 3:
            lines.append(
                GlLine(day, "6100", "Amazon Web Services", "AWS Activate promotional credit", -cents(5000))
            )
        lines.extend(_gcp(rng, month, label))
    return lines + _aws_reclass(lines) + _gpu_clouds(rng)


def _gcp(rng: random.Random, month: int, label: str) -> list[GlLine]:
    day = nth_business_day(month, 3)
    lines = [
        GlLine(
            day, "6110", "Google Cloud", f"Google Cloud - BigQuery analytics ({label})", amount(rng, 300, 900)
        )
    ]
    if 2 <= month <= 6:
        lines.append(
            GlLine(
                day,
                "6100",
                "Google Cloud",
                f"Google Cloud - Vertex AI batch embeddings - citerag ({label})",
                amount(rng, 1500, 6000),
            )
        )
    return lines


def _aws_reclass(lines: list[GlLine]) -> list[GlLine]:
    misbooked = sum(line.cents for line in lines if line.account == "6110" and "p4d" in line.description)
    day = nth_business_day(8, 20)
    text = "JE-2025-08-031 Reclass AWS p4d forge training (Jun-Jul invoices) from Hosting to Cloud R&D"
    return [
        GlLine(day, "6110", "Amazon Web Services", text, -misbooked),
        GlLine(day, "6100", "Amazon Web Services", text, misbooked),
    ]


def _gpu_clouds(rng: random.Random) -> list[GlLine]:
    lines = []
    week = date(YEAR, 4, 7)
    while week <= date(YEAR, 12, 15):
        lines.append(
            GlLine(
                week,
                "6100",
                "Lambda Labs",
                f"LAMBDA LABS GPU CLOUD 8x A100 - forge {code(rng, 6)}",
                amount(rng, 1800, 9500),
            )
        )
        if rng.random() < 0.35:
            lines.append(
                GlLine(week, "6100", "Lambda Labs", "Lambda Labs persistent storage", amount(rng, 120, 480))
            )
        week = date.fromordinal(week.toordinal() + 7)
    for month in range(7, 13):
        day = nth_business_day(month, 4)
        lines.append(
            GlLine(
                day,
                "6100",
                "CoreWeave",
                "CoreWeave - 4x HGX A100 nodes reserved - forge 7B",
                amount(rng, 24000, 38000),
            )
        )
        lines.append(GlLine(day, "6100", "CoreWeave", "CoreWeave - object storage", amount(rng, 400, 1100)))
    return lines


_SUBSCRIPTIONS = (
    ("6200", "GitHub", "GitHub Team - 12 seats + Actions minutes", 520, 760),
    ("6200", "Slack", "Slack Business+ - 14 users", 210, 260),
    ("6200", "Notion", "Notion Plus", 140, 170),
    ("6200", "Intuit QuickBooks", "QuickBooks Online Advanced", 235, 235),
    ("6200", "Gusto", "Gusto Plus - payroll service fee", 180, 260),
    ("6200", "1Password", "1Password Business", 110, 120),
    ("6200", "Zoom", "Zoom Business", 220, 240),
    ("6110", "Datadog", "Datadog - infrastructure + APM (production)", 1800, 3600),
    ("6200", "Adobe", "Adobe Creative Cloud - 2 seats", 120, 120),
    ("6200", "Figma", "Figma Professional", 90, 135),
    ("6200", "Linear", "Linear Standard", 110, 140),
    ("6110", "Sentry", "Sentry Business", 80, 140),
    ("6200", "Google Workspace", "Google Workspace Business Plus - 14 users", 308, 308),
    ("6200", "Cursor", "Cursor Business - 9 seats", 360, 400),
    ("6200", "Hugging Face", "Hugging Face Enterprise Hub", 200, 240),
    ("6200", "Docusign", "Docusign Business Pro", 65, 65),
    ("6200", "OpenAI", "OPENAI *CHATGPT SUBSCR", 420, 450),
    ("6200", "Anthropic", "ANTHROPIC* CLAUDE TEAM", 300, 330),
    ("6700", "HubSpot", "HubSpot Marketing Hub Professional", 890, 890),
    ("6700", "Webflow", "Webflow CMS site plan", 29, 29),
    ("6800", "Carta", "Carta - cap table management", 280, 280),
    ("6850", "Vouch", "Vouch Insurance - D&O / E&O / cyber", 3100, 3100),
    ("6800", "Cooley LLP", "Cooley LLP - general corporate", 2500, 9000),
    ("6320", "Free Law Project", "Free Law Project - CourtListener bulk data API", 1500, 1500),
)


def subscriptions(rng: random.Random) -> list[GlLine]:
    lines = []
    for account, vendor, text, low, high in _SUBSCRIPTIONS:
        charge_day = rng.randint(1, 20)
        for month in MONTHS:
            lines.append(
                GlLine(
                    nth_business_day(month, min(charge_day, 19)),
                    account,
                    vendor,
                    text,
                    amount(rng, low, high),
                )
            )
    return lines + _fixed_costs(rng)


def _fixed_costs(rng: random.Random) -> list[GlLine]:
    lines = [
        GlLine(
            nth_business_day(month, 1),
            "6400",
            "WeWork",
            "WeWork - 600 California St - 16 dedicated desks",
            cents(14400),
        )
        for month in MONTHS
    ]
    for month in (3, 6, 9, 11):
        lines.append(
            GlLine(
                nth_business_day(month, 10),
                "6400",
                "WeWork",
                "WeWork - conference room overage",
                amount(rng, 150, 600),
            )
        )
    lines += [
        GlLine(
            nth_business_day(2, 5),
            "6320",
            "vLex",
            "vLex / Fastcase - case law data license (annual)",
            cents(84000),
        ),
        GlLine(
            nth_business_day(2, 18),
            "6800",
            "Delaware Division of Corporations",
            "Delaware franchise tax 2024",
            cents(400),
        ),
        GlLine(
            nth_business_day(3, 7), "6700", "Legalweek", "Legalweek New York - exhibitor booth", cents(18000)
        ),
        GlLine(nth_business_day(5, 2), "6700", "CLOC", "CLOC Global Institute - sponsorship", cents(9500)),
        GlLine(nth_business_day(8, 4), "6700", "ILTA", "ILTACON 2025 - exhibitor package", cents(14000)),
        GlLine(
            nth_business_day(7, 9),
            "6800",
            "Wilson Sonsini",
            "Wilson Sonsini - patent application (citation-aware re-ranking)",
            cents(18500),
        ),
        GlLine(
            nth_business_day(10, 14),
            "6800",
            "Wilson Sonsini",
            "Wilson Sonsini - patent office action response",
            cents(6200),
        ),
    ]
    for quarter in (1, 4, 7, 10):
        lines.append(
            GlLine(
                nth_business_day(quarter, 15),
                "6800",
                "Frank, Rimerman + Co.",
                "Frank, Rimerman + Co. - bookkeeping review & tax provision",
                amount(rng, 4500, 7500),
            )
        )
    return lines
