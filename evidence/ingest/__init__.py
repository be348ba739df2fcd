"""Ingestion: turning files, folders, uploads and repositories into artifacts with their facts.

Entry points: :func:`~evidence.ingest.files.ingest_path` (files and folders, kind detected from
content), :func:`~evidence.ingest.files.ingest_files` (uploaded files), and
``evidence.ingest.git.ingest_git`` (repositories). Each reports one
:class:`~evidence.ingest.results.IngestResult` per artifact, or an
:class:`~evidence.ingest.results.IngestFailure` for what was refused.
"""
