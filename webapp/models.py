"""Imports every package's models so that ``Base.metadata`` is complete (Alembic, tests)."""

from core import audit, blobs, jobs, users  # noqa: F401
from evidence import models as evidence_models  # noqa: F401
from narratives import models as narrative_models  # noqa: F401
from scoring import models as scoring_models  # noqa: F401
from studies import models as study_models  # noqa: F401
