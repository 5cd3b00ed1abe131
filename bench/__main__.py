"""python -m bench: measure policy-search beside the naive recipe and two anchors (see bench/__init__.py)."""

from __future__ import annotations

import argparse
import shlex
import sys
from pathlib import Path

from bench.generate import LAWS, SYNTHETIC, parse_size
from bench.laws import LAWS_SOURCE
from bench.run import BENCH, CorpusSize, Options, log_to_stderr, run
from bench.sides import SIDES

DEFAULT_SIZES = "1k,30k"
LARGE_SIZES = "300k"
DEFAULT_LAWS = "30k"
LARGE_LAWS = "300k"
HUGE_LAWS = "1M"


def _sizes(text: str) -> tuple[int, ...]:
    try:
        return tuple(sorted({parse_size(part) for part in text.split(",") if part.strip()}))
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def _sides(text: str) -> tuple[str, ...]:
    chosen = [side.strip() for side in text.split(",") if side.strip()]
    unknown = [side for side in chosen if side not in SIDES]
    if unknown or "ours" not in chosen:
        raise argparse.ArgumentTypeError(f"sides are {', '.join(SIDES)}, and ours is always one")
    return tuple(side for side in SIDES if side in chosen)


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m bench", description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--sizes", type=_sizes, default=None,
                   help=f"synthetic corpus sizes in passages [default {DEFAULT_SIZES}]")
    p.add_argument("--laws", type=_sizes, nargs="?", const=_sizes(DEFAULT_LAWS), default=(),
                   help=f"also the real laws replicated to these sizes [{DEFAULT_LAWS} when "
                        "given alone]")
    p.add_argument("--large", action="store_true",
                   help=f"also {LARGE_SIZES} synthetic, {DEFAULT_LAWS} and {LARGE_LAWS} real-law "
                        "passages (slow)")
    p.add_argument("--huge", action="store_true",
                   help=f"--large and {HUGE_LAWS} real-law passages (hours, several GiB)")
    p.add_argument("--laws-source", type=Path, default=LAWS_SOURCE,
                   help=f"the laws replicated by --laws [{LAWS_SOURCE}]")
    p.add_argument("--sides", type=_sides, default=SIDES,
                   help=f"the systems measured [{','.join(SIDES)}]")
    p.add_argument("--naive-up-to", type=parse_size, default=None, metavar="SIZE",
                   help="measure the naive recipe only on corpora up to SIZE passages [all]")
    p.add_argument("--no-updates", dest="updates", action="store_false",
                   help="skip timing add / change / remove one document on the real-law corpora")
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


def corpus_sizes(args: argparse.Namespace) -> tuple[CorpusSize, ...]:
    """Return every corpus the options ask for: synthetic ones first, then the real laws."""
    synthetic = set(args.sizes or _sizes(DEFAULT_SIZES))
    laws = set(args.laws)
    if args.large or args.huge:  # the real-law ladder of issue 11: 30k, 300k, 1M
        synthetic |= set(_sizes(LARGE_SIZES))
        laws |= {*_sizes(DEFAULT_LAWS), *_sizes(LARGE_LAWS)}
    if args.huge:
        laws |= set(_sizes(HUGE_LAWS))
    return (*(CorpusSize(SYNTHETIC, n) for n in sorted(synthetic)),
            *(CorpusSize(LAWS, n) for n in sorted(laws)))


def main(argv: list[str] | None = None) -> None:
    args = parser().parse_args(argv)
    command = " ".join(["python -m bench", *map(shlex.quote, sys.argv[1:] if argv is None else argv)])
    run(Options(corpus_sizes(args), args.sides, args.naive_up_to, args.updates, args.repeat,
                args.out, args.corpora,
                args.laws_source, args.cold_runs, args.web_requests, args.web_clients, args.publish,
                command.strip()), log_to_stderr)


main()
