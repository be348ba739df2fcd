"""Column types and enum helpers shared by the packages' models."""

from __future__ import annotations

import enum
from decimal import Decimal
from typing import Annotated

from sqlalchemy import Enum, Numeric, String
from sqlalchemy.orm import mapped_column

Money = Annotated[Decimal, mapped_column(Numeric(14, 2))]
Percent = Annotated[Decimal, mapped_column(Numeric(5, 2))]
ShortText = Annotated[str, mapped_column(String(200))]


def enum_column(enum_cls: type[enum.Enum]) -> Enum:
    """A portable (VARCHAR) enum column storing the members' values."""
    return Enum(enum_cls, native_enum=False, create_constraint=False, length=40,
                values_callable=lambda members: [m.value for m in members],
                validate_strings=True)
