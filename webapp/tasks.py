"""Imports every package's job handlers so web and worker processes know them all."""

from evidence import tasks as evidence_tasks  # noqa: F401
