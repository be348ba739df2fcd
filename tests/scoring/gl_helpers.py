"""Small GL files and helpers shared by the import, review and page tests."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from scoring.models import GLAccount, GLExpense

HEADER = "company,industry,date,account_number,account_name,account_type,vendor,description,amount\n"
ROWS = [
    ("2025-01-06", "6120", "Cloud Compute - R&D", "Expense", "Amazon Web Services", "EC2 p4d training sweep",
     "14210.44"),
    ("2025-01-09", "6120", "Cloud Compute - R&D", "Expense", "Lambda Labs", "H100 hours, eval harness",
     "3120.00"),
    ("2025-01-12", "6150", "Research Supplies", "Expense", "Digi-Key", "Jetson Orin dev kits (x4)",
     "2396.00"),
    ("2025-01-15", "6300", "Contract Research", "Expense", "Quantile Labs LLC", "Retrieval study, phase 1",
     "5400.00"),
    ("2025-01-20", "6400", "Software Subscriptions", "Expense", "Slack", "Seats - January", "812.50"),
    ("2025-01-21", "6400", "Software Subscriptions", "Expense", "1Password", "Team plan", "95.88"),
    ("2025-01-25", "6500", "Office Supplies", "Expense", "Staples", "Paper and toner", "148.20"),
    ("2025-01-31", "4000", "Revenue", "Income", "Customer A", "January subscription", "-25000.00"),
]


def canonical_csv(rows: list[tuple[str, ...]] = ROWS, company: str = "Acme AI, Inc.",
                  industry: str = "Software") -> bytes:
    lines = [HEADER] + [",".join([f'"{company}"', industry, *(_quoted(value) for value in row)]) + "\n"
                        for row in rows]
    return "".join(lines).encode()


def _quoted(value: str) -> str:
    return f'"{value}"' if "," in value else value


BAD_CSV = HEADER.encode() + (
    b"Acme,Software,2025-01-03,6120,Cloud,Expense,AWS,Training,1200.00\n"
    b"Acme,Software,2025-01-04,6120,Cloud,Expense,AWS,Inference,\"12,3x\"\n"
    b"Acme,Software,2025-02-30,6150,Supplies,Expense,Adafruit,Sensors,45.10\n")

UNKNOWN_LAYOUT = (b"When,Ledger,Who,What,Value\n"
                  b"2025-03-01,6120 Cloud Services,CoreWeave,H100 reserved capacity,42000.00\n"
                  b"2025-03-04,6150 Lab Supplies,Fisher Scientific,Reagents for assay prototypes,7318.20\n"
                  b"2025-03-09,6700 Legal Fees,Cooley LLP,Patent filing,11250.00\n")


def lines_of(session: Session, import_id: int) -> list[GLExpense]:
    return list(session.scalars(select(GLExpense).where(GLExpense.import_id == import_id)
                                .order_by(GLExpense.row_number)))


def accounts_of(session: Session, import_id: int) -> dict[str, GLAccount]:
    return {account.number: account for account in session.scalars(
        select(GLAccount).where(GLAccount.import_id == import_id))}


def set_scores(session: Session, import_id: int, expense: dict[str, float],
               account: dict[str, float]) -> None:
    """Scores as the scorer would set them: by vendor for lines, by account number for accounts."""
    for line in lines_of(session, import_id):
        if line.amount > Decimal("0"):
            line.score = expense.get(line.vendor, 0.1)
    for number, found in accounts_of(session, import_id).items():
        found.score = account.get(number, 0.1)
    session.flush()
