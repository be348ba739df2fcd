"""Filling memo templates, and the neutral ways a ledger shows a payment: bank feeds, card descriptors and
bills."""

from __future__ import annotations

import datetime as dt
import random
import string
from collections.abc import Sequence
from typing import TypeVar

from scoring.corpus.vendors import Vendor

T = TypeVar("T")

# Index mod 4 of a variant list: 0 and 1 in both splits, 2 in train only, 3 in held-out only.
_KEEP = {"train": (0, 1, 2), "heldout": (0, 1, 3)}


def split_variants(variants: Sequence[T], split: str) -> tuple[T, ...]:
    """The variants (names, phrasings) a split may use; held-out keeps a share the train split never sees."""
    if len(variants) < 4:
        return tuple(variants)
    return tuple(v for i, v in enumerate(variants) if i % 4 in _KEEP[split])


PROJECTS = ("atlas", "orion", "retrieval-v2", "helix", "nova", "reranker", "vision-3", "copilot-eval",
            "forge", "lighthouse", "kepler", "sentinel", "mosaic", "quantum-tune", "echo", "pathfinder",
            "falcon-asr", "delta-ocr", "tensor-sched", "graphsearch")
GPUS = ("H100", "A100", "L40S", "A10G", "H200", "8xH100", "B200", "A6000", "V100", "RTX 4090", "MI300X",
        "GH200")
LLM_MODELS = ("gpt-4o", "claude-3-5-sonnet", "gpt-4.1-mini", "claude-sonnet-4", "command-r-plus", "o3-mini",
              "llama-3.1-70b", "mistral-large", "claude-haiku", "gpt-4o-mini", "embedding-3-large",
              "qwen-2.5-72b")
PARTS = ("STM32 dev boards", "load cells", "stepper motors", "LiDAR module", "thermocouples", "IMU sensors",
         "aluminum 6061 stock", "connectors and headers", "Jetson Orin dev kit", "servo motors",
         "ESP32 modules",
         "linear actuators", "camera modules", "battery cells", "pneumatic fittings", "FPGA eval board",
         "silicone tubing", "carbon fiber sheet", "stainless fasteners", "MEMS microphones")
REAGENTS = ("PCR master mix", "pipette tips", "primary antibodies", "cell culture media", "FBS",
            "qPCR probes",
            "CRISPR guide RNAs", "plasmid prep kits", "ELISA kits", "restriction enzymes", "96-well plates",
            "oligo pool", "transfection reagent", "RNA extraction kits", "competent cells",
            "flow cytometry dyes")
EQUIPMENT = ("centrifuge", "PCR thermocycler", "oscilloscope", "3D printer", "GPU server",
             "spectrum analyzer",
             "microscope", "MacBook Pro", "workstation", "biosafety cabinet", "laser cutter",
             "NAS storage array")
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December")


class Slots(dict[str, str]):
    """Template slot values, drawn when a template first asks for them."""

    def __init__(self, rng: random.Random, split: str, date: dt.date, fixed: dict[str, str]):
        super().__init__(fixed)
        self._rng, self._split, self._date = rng, split, date

    def __missing__(self, key: str) -> str:
        value = self._draw(key)
        self[key] = value
        return value

    def _draw(self, key: str) -> str:
        rng, date = self._rng, self._date
        pick = lambda items: rng.choice(split_variants(items, self._split))  # noqa: E731
        draws = {
            "mon": lambda: MONTHS[date.month - 1][:3] if rng.random() < 0.5 else MONTHS[date.month - 1],
            "yr": lambda: str(date.year),
            "mm": lambda: f"{date.month:02d}",
            "dd": lambda: f"{date.day:02d}",
            "q": lambda: str((date.month - 1) // 3 + 1),
            "inv": lambda: invoice_number(rng, date),
            "po": lambda: f"PO-{rng.randint(1000, 99999)}",
            "acct": lambda: "-".join(str(rng.randint(1000, 9999)) for _ in range(3)),
            "n": lambda: str(rng.randint(2, 40)),
            "proj": lambda: pick(PROJECTS),
            "gpu": lambda: pick(GPUS),
            "model": lambda: pick(LLM_MODELS),
            "part": lambda: pick(PARTS),
            "reagent": lambda: pick(REAGENTS),
            "equip": lambda: pick(EQUIPMENT),
        }
        if key not in draws:
            raise KeyError(f"unknown template slot {{{key}}}")
        return draws[key]()


def fill(template: str, slots: Slots) -> str:
    return template.format_map(slots)


def invoice_number(rng: random.Random, date: dt.date) -> str:
    form = rng.randrange(5)
    if form == 0:
        return f"INV-{date.year}-{rng.randint(1, 9999):04d}"
    if form == 1:
        return f"#{rng.randint(10000, 999999)}"
    if form == 2:
        return "".join(rng.choices(string.ascii_uppercase + string.digits, k=8)) + f"-{rng.randint(1, 9):04d}"
    if form == 3:
        return str(rng.randint(100000, 9999999))
    return f"{date.year}{date.month:02d}-{rng.randint(100, 999)}"


_BANK_FORMS = (
    "POS DEBIT {d} {ref}",
    "CHECKCARD {mm}{dd} {d} {st} {card}",
    "DEBIT CARD PURCHASE - {d}",
    "{d}",
    "{d} {mm}/{dd}",
    "ACH DEBIT {d} {ref}",
    "ORIG CO NAME:{d} CO ENTRY DESCR:{word} SEC:CCD TRACE#:{trace}",
    "Online Payment {ref} To {name} {mm}/{dd}",
    "PURCHASE AUTHORIZED ON {mm}/{dd} {d} {st} S{trace} CARD {card}",
    "Brex card - {name}",
    "Expensify: {name}",
    "RECURRING PAYMENT {d} {ref}",
    "{d} {st} {card}",
    "Ramp: {name}",
)
_ACH_WORDS = ("PAYMENT", "BILL PAY", "INVOICE", "SALE", "AUTOPAY", "WEB PMT")
_STATES = ("CA", "WA", "NY", "TX", "MA", "NJ", "DE", "IL", "GA", "CO", "WA", "OR")


def bank_feed(rng: random.Random, vendor: Vendor, date: dt.date, split: str) -> str:
    """A bank or card feed string for a payment to ``vendor``."""
    form = rng.choice(split_variants(_BANK_FORMS, split))
    return form.format(
        d=rng.choice(vendor.descriptors), name=vendor.name, ref=str(rng.randint(1000, 99999)),
        mm=f"{date.month:02d}", dd=f"{date.day:02d}", st=rng.choice(_STATES), card=str(rng.randint(1000,
                                                                                                   9999)),
        trace=str(rng.randint(10**9, 10**10 - 1)), word=rng.choice(_ACH_WORDS),
    )


_BILL_FORMS = (
    "Invoice {inv}", "Bill {inv} - {name}", "{name} INV-{inv}", "Inv# {inv}", "{name} - statement {mon} {yr}",
    "{name} {mon} {yr}", "BILL.COM Payables {name} Inv {inv}", "{name} - invoice {inv}", "Vendor bill {inv}",
)


def bill_reference(rng: random.Random, vendor: Vendor, date: dt.date, split: str) -> str:
    form = rng.choice(split_variants(_BILL_FORMS, split))
    month = MONTHS[date.month - 1][:3]
    return form.format(inv=invoice_number(rng, date), name=vendor.name, mon=month, yr=date.year)


def vendor_column(rng: random.Random, vendor: Vendor) -> str:
    """What the GL's vendor/payee column shows: usually the name, sometimes a descriptor, often nothing."""
    roll = rng.random()
    if roll < 0.62:
        return vendor.name
    if roll < 0.72:
        words = [word for word in vendor.descriptors[0].split() if not any(ch.isdigit() for ch in word)]
        return " ".join(words).title() or vendor.name
    return ""
