"""Turn the measurements into Markdown tables and a PNG chart."""

from __future__ import annotations

from pathlib import Path

from bench.generate import size_label
from bench.sides import ANCHORS, NAMES
from bench.targets import MIB, UPDATE_STEPS


def _seconds(value: float) -> str:
    return f"{value:.2f}" if value < 10 else f"{value:.1f}"


def _ms(value: float) -> str:
    return f"{value:.1f}"


#: (label, group, key, format) of each figure a table row shows for one side.
FIGURES = (
    ("build wall time (s)", "build", "seconds", _seconds),
    ("build throughput (chars/s)", "build", "chars_per_second", lambda v: f"{v / 1000:.0f}k"),
    ("build peak memory (MiB)", "build", "peak_bytes", lambda v: f"{v / MIB:.0f}"),
    ("index size on disk (MiB)", "build", "index_bytes", lambda v: f"{v / MIB:.1f}"),
    ("index size / raw text", "build", "index_ratio", lambda v: f"{v:.2f}"),
    ("query p50 (ms)", "query", "p50_ms", _ms),
    ("query p95 (ms)", "query", "p95_ms", _ms),
    ("query p99 (ms)", "query", "p99_ms", _ms),
    ("query p50, first run on a fresh index (ms)", "query", "first_p50_ms", _ms),
    ("query p95, first run on a fresh index (ms)", "query", "first_p95_ms", _ms),
)


def _ratio(a: float, b: float) -> str:
    return f"{a / b:.2f}" if b else "–"


def _table(head: list[str], rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    return "\n".join([*lines, *("| " + " | ".join(row) + " |" for row in rows)])


def main_table(results: dict) -> str:
    """Return the Markdown table of ours vs naive at every corpus size that measured both."""
    sizes = [s for s in results["sizes"] if "naive" in s]
    head = ["figure"]
    for size in sizes:
        label = size["label"]
        head += [f"{label} ours", f"{label} naive", f"{label} ours/naive"]
    rows = []
    for label, group, key, show in FIGURES:
        row = [label]
        for size in sizes:
            a, b = size["ours"][group][key], size["naive"][group][key]
            row += [show(a), show(b), _ratio(a, b)]
        rows.append(row)
    return _table(head, rows)


def sides_table(size: dict) -> str:
    """Return the Markdown table of every side measured on one corpus, with ours / each anchor."""
    sides = [side for side in NAMES if side in size]
    anchors = [side for side in ANCHORS if side in size]
    head = ["figure", *(NAMES[side] for side in sides),
            *(f"ours / {NAMES[anchor]}" for anchor in anchors)]
    rows = []
    for label, group, key, show in FIGURES:
        ours = size["ours"][group][key]
        rows.append([label, *(show(size[side][group][key]) for side in sides),
                     *(_ratio(ours, size[anchor][group][key]) for anchor in anchors)])
    return _table(head, rows)


def corpus_table(results: dict) -> str:
    """Return the Markdown table of the corpora."""
    return _table(["corpus", "kind", "documents", "passages", "characters", "raw text (MiB)"],
                  [[s["label"], s.get("kind", "synthetic"), str(s["documents"]), str(s["passages"]),
                    str(s["characters"]), f"{s['raw_bytes'] / MIB:.1f}"] for s in results["sizes"]])


def memory_table(results: dict) -> str:
    """Return the Markdown table of the server's idle memory at every corpus size."""
    return _table(["corpus", "passages", "serve idle RSS, started (MiB)",
                   "serve idle RSS, after the query set (MiB)"],
                  [[s["label"], str(s["passages"]), f"{s['serve']['idle_started_bytes'] / MIB:.0f}",
                    f"{s['serve']['idle_warm_bytes'] / MIB:.0f}"]
                   for s in results["sizes"] if s.get("serve")])


def updates_table(results: dict) -> str:
    """Return the Markdown table of add / change / remove one document, until a query sees it."""
    rows = []
    for size in results["sizes"]:
        updates = size.get("updates")
        if updates:
            rows.append([size["label"], str(size["passages"]),
                         *(f"{_seconds(updates[step]['seconds'])} "
                           f"({_seconds(updates[step]['index_seconds'])} + "
                           f"{_seconds(updates[step]['query_seconds'])})" for step in UPDATE_STEPS),
                         f"`{updates['add']['index_said'].split(' -> ')[0]}`"])
    return _table(["corpus", "passages", *(f"{step} one document (s)" for step in UPDATE_STEPS),
                   "policy-search index said (add)"], rows) if rows else ""


def targets_table(results: dict) -> str:
    """Return the Markdown table of the targets, each marked met or missed."""
    return _table(["target", "measured", "", "by how much"],
                  [[t["target"], t["measured"], "met" if t["met"] else "**missed**", t["margin"]]
                   for t in results["targets"]])


def _hits(per_query: dict, ours: dict) -> str:
    """Show a side's hits; bold a 0 where policy-search finds passages with every word."""
    if per_query is ours and ours["all_words"] != ours["total"]:
        return f"{ours['total']} ({ours['all_words']} all)"
    return "**0**" if per_query["total"] == 0 < ours["all_words"] else str(per_query["total"])


def queries_table(results: dict, size: dict) -> str:
    """Return the per-query Markdown table of one corpus: hits, p50 and first run of every side.

    Ours counts passages with some of the words too (N all: with every word, as the other
    sides require). A side's 0 where ours has passages with every word is bold: it missed
    text that is there.
    """
    sides = [side for side in NAMES if side in size]
    head = ["kind", "query", *(f"{side} hits" for side in sides),
            *(f"{side} p50 (ms)" for side in sides), *(f"{side} first run (ms)" for side in sides)]
    rows = []
    for index, query in enumerate(size.get("queries", results["queries"])):
        per = {side: size[side]["query"]["per_query"][index] for side in sides}
        rows.append([query["kind"], f"`{query['text'].replace('|', chr(92) + '|')}`",
                     *(_hits(per[s], per["ours"]) for s in sides),
                     *(_ms(per[s]["p50_ms"]) for s in sides), *(_ms(per[s]["first_ms"]) for s in sides)])
    return _table(head, rows)


def machine_line(machine: dict) -> str:
    return (f"{machine['cpu']}, {machine['cores']} cores, {machine['ram_gib']:.0f} GiB RAM, "
            f"Python {machine['python']}, {machine['system']}")


def _largest_of_each_kind(results: dict) -> list[dict]:
    largest: dict[str, dict] = {}
    for size in results["sizes"]:
        kind = size.get("kind", "synthetic")
        if kind not in largest or size["requested"] > largest[kind]["requested"]:
            largest[kind] = size
    return list(largest.values())


def markdown(results: dict) -> str:
    """Return results.md: the command, the machine, the tables."""
    cold, web = results.get("cold_start"), results.get("web")
    parts = [
        "# policy-search benchmark", "",
        f"Command: `{results['command']}` ({results['seconds'] / 60:.1f} minutes, "
        f"{results['finished']}). Machine: {machine_line(results['machine'])}.", "",
    ]
    if any("naive" in s for s in results["sizes"]):
        parts += ["## Ours vs the naive recipe", "", main_table(results), ""]
    parts += ["## Targets", "", targets_table(results), ""]
    if cold:
        parts += [f"Cold start: `{cold['command']}` on the seed corpus, median of {cold['runs']} "
                  f"processes: {cold['median_seconds']:.3f} s (min {cold['min_seconds']:.3f}, "
                  f"max {cold['max_seconds']:.3f}).", ""]
    if web:
        parts += [f"Web: `policy-search serve` on {web['host']}, seed corpus, {web['clients']} "
                  f"keep-alive clients, {web['requests']} requests alternating `/api/search?q=` and "
                  f"`/?q=` over the query set: {web['requests_per_second']:.0f} requests/s, "
                  f"p50 {web['p50_ms']:.1f} ms, p99 {web['p99_ms']:.1f} ms, {web['errors']} errors.",
                  ""]
    for size in results["sizes"]:
        if any(anchor in size for anchor in ANCHORS):
            parts += [f"## Side by side at {size['label']}", "", sides_table(size), ""]
    updates = updates_table(results)
    if updates:
        parts += ["## Incremental updates", "",
                  "One document added, one changed, one removed in a copy of the corpus; each: "
                  "`policy-search index` + the `policy-search query` that first sees it.", "",
                  updates, ""]
    parts += ["## Server memory at idle", "", memory_table(results), "",
              "## Corpora", "", corpus_table(results), ""]
    for size in _largest_of_each_kind(results):
        parts += [f"## Each query at {size['label']}", "", queries_table(results, size), ""]
    return "\n".join(parts)
#: Line colours of the chart, one per side.
COLOURS = {"ours": "#1f6feb", "naive": "#d1481a", "tantivy": "#2da44e", "sqlite": "#8250df"}
#: Line styles of the chart, one per kind of corpus.
STYLES = {"synthetic": "o-", "laws": "s--"}


def chart(results: dict, path: Path) -> None:
    """Draw build time and query p95 against corpus size, every side, every kind of corpus."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib import ticker

    sizes = results["sizes"]
    figure, (build_axes, query_axes) = plt.subplots(1, 2, figsize=(11, 4.8))
    for kind, style in STYLES.items():
        of_kind = [s for s in sizes if s.get("kind", "synthetic") == kind]
        for side, name in NAMES.items():
            measured = [s for s in of_kind if side in s]
            if not measured:
                continue
            passages = [s["requested"] for s in measured]
            label = f"{name} ({kind})"
            build_axes.plot(passages, [s[side]["build"]["seconds"] for s in measured], style,
                            color=COLOURS[side], label=label)
            query_axes.plot(passages, [s[side]["query"]["p95_ms"] for s in measured], style,
                            color=COLOURS[side], label=label)
    build_axes.set_title("Index build: wall time")
    build_axes.set_ylabel("seconds")
    query_axes.set_title("Query p95: top 10 with highlights")
    query_axes.set_ylabel("milliseconds")
    query_axes.axhline(100, color="grey", linewidth=0.8, linestyle=":")
    query_axes.annotate("p95 target 100 ms", (min(s["requested"] for s in sizes), 100),
                        textcoords="offset points", xytext=(2, 4), fontsize=8, color="grey")
    ticks = sorted({s["requested"] for s in sizes})
    for axes in (build_axes, query_axes):
        axes.set_xscale("log")
        axes.set_yscale("log")
        axes.set_xlabel("corpus size (passages; ● synthetic, ■ real laws)")
        axes.set_xticks(ticks, [size_label(passages) for passages in ticks])
        axes.xaxis.set_minor_locator(ticker.NullLocator())
        axes.yaxis.set_major_locator(ticker.LogLocator(base=10, subs=(1.0, 2.0, 5.0)))
        axes.yaxis.set_major_formatter(ticker.FuncFormatter(lambda value, _: f"{value:g}"))
        axes.yaxis.set_minor_locator(ticker.NullLocator())
        axes.grid(True, which="major", alpha=0.3)
        axes.legend(fontsize=7)
    figure.suptitle(f"policy-search beside the naive recipe, tantivy + jieba and SQLite FTS5 "
                    f"({results['machine']['cpu']}, {results['machine']['cores']} cores)", fontsize=10)
    figure.tight_layout()
    figure.savefig(path, dpi=110)
    plt.close(figure)
