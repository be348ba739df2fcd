"""The ``package.build`` job: a package version built in the background, with progress."""

from __future__ import annotations

from typing import Any

from core.jobs import JobContext, job_handler
from core.settings import get_settings
from narratives.package.build import BuildRequest, build_package
from narratives.package.seal import configured_key


@job_handler("package.build")
def build_package_job(context: JobContext) -> dict[str, Any]:
    if context.study_id is None:
        raise ValueError("package.build needs a study")
    request = BuildRequest(final=bool(context.params.get("final")),
                           override_reason=context.params.get("override_reason"),
                           user_id=context.params.get("user_id"))
    built = build_package(context.db, context.blobs, context.study_id, request, progress=context.progress,
                          sealing=configured_key(get_settings()))
    return built.as_json()
