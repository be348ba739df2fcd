"""Third-party model detection: which vendor models and hub models a repository uses, and where.

Dependency files and source files at HEAD of each ingested repository are read for vendor
SDKs (OpenAI, Anthropic, Google, Cohere, Mistral), LLM frameworks (LangChain, LlamaIndex) and
hub models used as shipped (a transformers pipeline with its default checkpoint, a
sentence-transformers model by its public name). Findings are mapped to projects by the paths
of their commits and become proposed third-party layers with the files as suggested evidence.
The vendors are data: ``evidence/data/model_vendors.yaml``.
"""

from evidence.thirdparty.detect import RepositoryResult, detect_in_repository, detect_in_study
from evidence.thirdparty.findings import Finding, Mention, MentionKind, Skipped
from evidence.thirdparty.job import JOB_KIND, detect_third_party
from evidence.thirdparty.layers import Proposal, propose_third_party_layers
from evidence.thirdparty.mapping import ProjectPaths, group_findings
from evidence.thirdparty.scan import RepositoryScan, scan_repository
from evidence.thirdparty.tree import ReadLimits

__all__ = ["JOB_KIND", "Finding", "Mention", "MentionKind", "ProjectPaths", "Proposal", "ReadLimits",
           "RepositoryResult", "RepositoryScan", "Skipped", "detect_in_repository", "detect_in_study",
           "detect_third_party", "group_findings", "propose_third_party_layers", "scan_repository"]
