"""python -m bench: measure policy-search against the naive recipe (see bench/__init__.py)."""

from __future__ import annotations

import argparse
import shlex
import sys
from pathlib import Path

from bench.generate import parse_size
from bench.run import BENCH, Options, log_to_stderr, run

DEFAULT_SIZES = "1k,30k"
LARGE_SIZES = "1k,30k,300k"


def _sizes(text: str) -> tuple[int, ...]:
    try:
        return tuple(sorted({parse_size(part) for part in text.split(",") if part.strip()}))
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    p.add_argument("--sizes", type=_sizes, default=None,
                   help=f"corpus sizes in passages [default {DEFAULT_SIZES}]")
    p.add_argument("--large", action="store_true",
                   help=f"also the 300k-passage corpus (slow): --sizes {LARGE_SIZES}")
    p.add_argument("--repeat", type=int, default=5, help="timed runs of each query [5]")
    p.add_argument("--out", type=Path, default=BENCH / "out", help="output folder [bench/out]")
    p.add_argument("--corpora", type=Path, default=BENCH / "corpora",
                   help="where generated corpora are kept and reused [bench/corpora]")
    p.add_argument("--cold-runs", type=int, default=10, help="CLI processes timed [10]")
    p.add_argument("--web-requests", type=int, default=2000, help="requests sent to the server [2000]")
    p.add_argument("--web-clients", type=int, default=8, help="concurrent clients [8]")
    p.add_argument("--publish", action="store_true",
                   help="also copy results.md, results.json and chart.png into bench/")
    return p


def main(argv: list[str] | None = None) -> None:
    args = parser().parse_args(argv)
    sizes = args.sizes or _sizes(LARGE_SIZES if args.large else DEFAULT_SIZES)
    if args.large and args.sizes:
        sizes = tuple(sorted({*sizes, *_sizes(LARGE_SIZES)}))
    command = " ".join(["python -m bench", *map(shlex.quote, sys.argv[1:] if argv is None else argv)])
    run(Options(sizes, args.repeat, args.out, args.corpora, args.cold_runs, args.web_requests,
                args.web_clients, args.publish, command.strip()), log_to_stderr)


main()
