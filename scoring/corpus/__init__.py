"""The labelled starter corpus for the GL scoring models: synthetic general ledgers of many companies.

``generate(split, seed, companies)`` makes the lines; ``write_corpus(path,
                                                                     ...)`` writes them as CSV. The train
and held-out splits draw companies, vendors and a share of phrasings from disjoint pools, so a model scored on
held-out has to read what an expense is rather than recall names. Labelling rules: docs/gl-labelling.md.
"""

from scoring.corpus.generate import DEFAULT_COMPANIES, DEFAULT_SEED, SPLITS, base_label, generate
from scoring.corpus.lines import Line
from scoring.corpus.writer import COLUMNS, GL_COLUMNS, LABEL_COLUMNS, STARTER_CORPUS, csv_bytes, write_corpus

__all__ = ["COLUMNS", "DEFAULT_COMPANIES", "DEFAULT_SEED", "GL_COLUMNS", "LABEL_COLUMNS", "SPLITS",
           "STARTER_CORPUS", "Line", "base_label", "csv_bytes", "generate", "write_corpus"]
