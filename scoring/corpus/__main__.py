"""python -m scoring.corpus [--split train|heldout] [--seed N] [--companies N] OUT.csv[.gz]"""

from __future__ import annotations

import argparse
import sys
import time

from scoring.corpus.generate import DEFAULT_SEED, SPLITS
from scoring.corpus.writer import STARTER_CORPUS, write_corpus


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m scoring.corpus", description=__doc__)
    parser.add_argument("out", nargs="?", default=str(STARTER_CORPUS), help="CSV path; .gz for gzip")
    parser.add_argument("--split", choices=SPLITS, default="train")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--companies", type=int, default=None, help="default: 60 for train, 20 for heldout")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    path = write_corpus(args.out, args.split, args.seed, args.companies)
    print(
        f"wrote {path} ({path.stat().st_size:,} bytes) in {time.perf_counter() - started:.1f} s",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
