"""The errors of the narratives package that a person is shown."""

from __future__ import annotations

from collections.abc import Mapping


class InputError(ValueError):
    """Bad input; ``errors`` maps each field name to what is wrong with it. Nothing was saved."""

    def __init__(self, errors: Mapping[str, str]) -> None:
        self.errors = dict(errors)
        super().__init__("; ".join(f"{field}: {message}" for field, message in self.errors.items()))


class ReviewError(ValueError):
    """A review step that the narrative's state or its author does not allow; the message says why."""
