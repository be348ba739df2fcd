"""Imports every package's job handlers so web and worker processes know them all."""

from evidence import tasks as evidence_tasks  # noqa: F401
from evidence import thirdparty as thirdparty_tasks  # noqa: F401
from evidence.ingest import git_job as git_tasks  # noqa: F401
from evidence.linking import tasks as linking_tasks  # noqa: F401
from narratives.package import tasks as package_tasks  # noqa: F401
from scoring import tasks as scoring_tasks  # noqa: F401
