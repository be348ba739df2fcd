"""Form 6765 (Rev. December 2024) figures keyed by the form's own line numbers, as JSON and CSV.

Line texts are short paraphrases, checked against the December 2024 revision's line captions (the
IRS e-file rendering of the form). Two figures remain Fourpart's reading, marked UNSURE in LINE_TEXT:
line 46 (Fourpart records no basic research payments as QREs, so it enters 0; how the "applicable
amount" is figured is in the instructions, not on the form) and the option names of 49(e) (the form
says "select from the available options" without listing them).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from decimal import Decimal

from studies.credit.asc import AscCredit
from studies.credit.inputs import ACTIVITIES, ZERO, CreditInputs
from studies.credit.method import MethodChoice
from studies.credit.payroll import PayrollElection
from studies.credit.regular import RegularCredit
from studies.credit.schedule import ComponentQres, QreSchedule
from studies.credit.section_g import SectionGStatus, listed_components, section_g_status

REVISION = "Rev. December 2024"
Value = Decimal | bool | int | str | None

LINE_TEXT = {
    "A": "Are you electing the reduced credit under section 280C?",
    "B": "Are you a member of a controlled group or business under common control?",
    "1": "Certain amounts paid or incurred to energy consortia",
    "2": "Basic research payments paid or incurred to qualified organizations",
    "3": "Qualified organization base period amount",
    "4": "Line 2 minus line 3 (not less than zero)",
    "5": "Total qualified research expenses (line 48)",
    "6": "Fixed-base percentage (not more than 16%)",
    "7": "Average annual gross receipts",
    "8": "Line 7 x line 6",
    "9": "Line 5 minus line 8 (not less than zero)",
    "10": "Line 5 x 50%",
    "11": "Smaller of line 9 or line 10",
    "12": "Lines 1 + 4 + 11",
    "13": "Regular credit: line 12 x 20% (15.8% if electing the reduced credit)",
    "14": "Certain amounts paid or incurred to energy consortia",
    "15": "Basic research payments paid or incurred to qualified organizations",
    "16": "Qualified organization base period amount",
    "17": "Line 15 minus line 16 (not less than zero)",
    "18": "Lines 14 + 17",
    "19": "Line 18 x 20%",
    "20": "Total qualified research expenses (line 48)",
    "21": "Total QREs for the prior 3 tax years (skip 22 and 23 if any of them had none)",
    "22": "Line 21 / 6.0",
    "23": "Line 20 minus line 22 (not less than zero)",
    "24": "Line 23 x 14% (or line 20 x 6% if lines 22 and 23 were skipped)",
    "25": "Lines 19 + 24",
    "26": "ASC: line 25, x 79% if electing the reduced credit",
    "27": "Portion of the Form 8932 credit attributable to wages also used for this credit",
    "28": "Line 13 or 26 minus line 27 (not less than zero)",
    "29": "Research credit from partnerships, S corporations, estates and trusts",
    "30": "Lines 28 + 29",
    "31": "Estates and trusts: portion of line 30 allocated to beneficiaries",
    "32": "Line 30 minus line 31",
    "33a": "Qualified small business electing the payroll tax credit (check box)",
    "33b": "Check the box if payroll tax is reported on a different EIN",
    "34": "Portion of line 28 elected as a payroll tax credit (limit $500,000; $250,000 before 2023)",
    "35": "General business credit carryforward from the current year (not for partnerships, S corps)",
    "36": "Smaller of lines 28 and 34 (pass-throughs), else smallest of 28, 34 and 35; to Form 8974",
    "37": "Number of business components generating the QREs on line 5 or line 20",
    "38": "Officers' wages included on line 42",
    "39": "Did you acquire or dispose of any major portion of a trade or business in the tax year?",
    "40": "Did you include any new categories of expenses as current year QREs?",
    "41": "Did you determine any of the QREs on line 5 or line 20 following the ASC 730 Directive?",
    "42": "Total wages for qualified services for all business components",
    "43": "Total costs of supplies for all business components",
    "44": "Total rental or lease cost of computers for all business components",
    "45": "Total applicable amount of contract research (not basic research payments)",
    "46": "UNSURE: applicable amount of all basic research payments (Fourpart enters 0)",
    "47": "Line 45 + line 46",
    "48": "Total QREs: lines 42 + 43 + 44 + 47 (to line 5 or line 20)",
    "49(a)": "EIN of the controlled group member conducting the research on this component",
    "49(b)": "Controlled group member's principal business activity code",
    "49(c)": "Business component's name or unique alphanumeric identifier",
    "49(d)": "Business component type",
    "49(e)": "Software (if applicable; UNSURE: the form's option names are not confirmed)",
    "49(f)": "Information sought to be discovered",
    "50": "Direct research wages for qualified services",
    "51": "Direct supervision wages for qualified services",
    "52": "Direct support wages for qualified services",
    "53": "Total qualified wages (lines 50 + 51 + 52)",
    "54": "Cost of supplies",
    "55": "Rental or lease costs of computers",
    "56": "Applicable amount of contract research",
}
SECTIONS = (
    ("Items", ("A", "B")),
    ("A", tuple(str(n) for n in range(1, 14))),
    ("B", tuple(str(n) for n in range(14, 27))),
    ("C", tuple(str(n) for n in range(27, 33))),
    ("D", ("33a", "33b", "34", "35", "36")),
    ("E", tuple(str(n) for n in range(37, 42))),
    ("F", tuple(str(n) for n in range(42, 49))),
)


def yes_no(flag: bool) -> str:
    return "Yes" if flag else "No"


@dataclass(frozen=True)
class Form6765:
    tax_year: int
    lines: dict[str, Value]
    section_g: tuple[dict[str, Value], ...]
    section_g_status: SectionGStatus
    listed: tuple[ComponentQres, ...]

    def as_json(self) -> dict[str, object]:
        return {
            "revision": REVISION,
            "tax_year": self.tax_year,
            "lines": {k: _json(v) for k, v in self.lines.items()},
            "section_g": [{k: _json(v) for k, v in row.items()} for row in self.section_g],
            "section_g_status": {
                "status": self.section_g_status.status,
                "reason": self.section_g_status.reason,
            },
        }

    def to_csv(self) -> str:
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(["section", "line", "component", "description", "value"])
        for section, numbers in SECTIONS:
            for number in numbers:
                writer.writerow([section, number, "", LINE_TEXT[number], _csv(self.lines[number])])
        for row in self.section_g:
            for number, value in row.items():
                writer.writerow(["G", number, row["49(c)"], LINE_TEXT[number], _csv(value)])
        return out.getvalue()


def _json(value: Value) -> object:
    return str(value) if isinstance(value, Decimal) else value


def _csv(value: Value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "X" if value else ""
    return str(value)


def build_form(
    inputs: CreditInputs,
    schedule: QreSchedule,
    regular: RegularCredit,
    asc: AscCredit,
    choice: MethodChoice,
    payroll: PayrollElection,
) -> Form6765:
    lines: dict[str, Value] = {
        "A": yes_no(inputs.elections.reduced_credit),
        "B": yes_no(inputs.controlled_group),
    }
    lines.update(_section_a(regular) if choice.method == "regular" else dict.fromkeys(SECTIONS[1][1]))
    lines.update(_section_b(asc) if choice.method == "asc" else dict.fromkeys(SECTIONS[2][1]))
    lines.update(_section_c(inputs, choice))
    lines.update(_section_d(payroll))
    lines.update(_section_e(inputs, schedule))
    lines.update(_section_f(schedule))
    listed = listed_components(schedule)
    status = section_g_status(
        inputs.tax_year,
        payroll_elected=payroll.line33a,
        amended_return=inputs.amended_return,
        total_qres=schedule.total,
        gross_receipts=inputs.history.gross_receipts.get(inputs.tax_year),
    )
    rows = tuple(_section_g_row(inputs, c) for c in listed)
    return Form6765(inputs.tax_year, lines, rows, status, listed)


def _section_a(r: RegularCredit) -> dict[str, Value]:
    return {
        "1": r.line1,
        "2": r.line2,
        "3": r.line3,
        "4": r.line4,
        "5": r.line5,
        "6": r.line6,
        "7": r.line7,
        "8": r.line8,
        "9": r.line9,
        "10": r.line10,
        "11": r.line11,
        "12": r.line12,
        "13": r.line13,
    }


def _section_b(a: AscCredit) -> dict[str, Value]:
    return {
        "14": a.line14,
        "15": a.line15,
        "16": a.line16,
        "17": a.line17,
        "18": a.line18,
        "19": a.line19,
        "20": a.line20,
        "21": a.line21,
        "22": a.line22,
        "23": a.line23,
        "24": a.line24,
        "25": a.line25,
        "26": a.line26,
    }


def _section_c(inputs: CreditInputs, choice: MethodChoice) -> dict[str, Value]:
    other = inputs.other
    line28 = max(choice.credit - other.form_8932_wage_credit, ZERO)
    line30 = line28 + other.pass_through_credit
    line31 = other.beneficiaries_share if other.beneficiaries_share else None
    return {
        "27": other.form_8932_wage_credit,
        "28": line28,
        "29": other.pass_through_credit,
        "30": line30,
        "31": line31,
        "32": line30 - (line31 or ZERO),
    }


def _section_d(p: PayrollElection) -> dict[str, Value]:
    if not p.line33a:
        return {"33a": False, "33b": None, "34": None, "35": None, "36": None}
    return {"33a": True, "33b": p.line33b, "34": p.line34, "35": p.line35, "36": p.line36}


def _section_e(inputs: CreditInputs, schedule: QreSchedule) -> dict[str, Value]:
    other = inputs.other
    return {
        "37": sum(1 for c in schedule.components if c.total > 0),
        "38": schedule.officer_wages,
        "39": yes_no(other.acquired_or_disposed),
        "40": yes_no(other.new_expense_category),
        "41": yes_no(other.asc_730_directive),
    }


def _section_f(schedule: QreSchedule) -> dict[str, Value]:
    categories = [
        schedule.category(c) for c in ("wages", "supplies", "computer_rental", "contract_research")
    ]
    line46 = ZERO  # no basic research payments are counted as QREs (they go on lines 2 and 15)
    line47 = categories[3] + line46
    return {
        "42": categories[0],
        "43": categories[1],
        "44": categories[2],
        "45": categories[3],
        "46": line46,
        "47": line47,
        "48": categories[0] + categories[1] + categories[2] + line47,
    }


def _section_g_row(inputs: CreditInputs, row: ComponentQres) -> dict[str, Value]:
    component = row.component
    research, supervision, support = (row.wages_for(a) for a in ACTIVITIES)
    return {
        "49(a)": inputs.ein,
        "49(b)": inputs.business_activity_code,
        "49(c)": f"{row.code}: {row.name}",
        "49(d)": component.component_type if component else None,
        "49(e)": component.software_category if component else None,
        "49(f)": component.information_sought if component else None,
        "50": research,
        "51": supervision,
        "52": support,
        "53": research + supervision + support,
        "54": row.category("supplies"),
        "55": row.category("computer_rental"),
        "56": row.category("contract_research"),
    }
