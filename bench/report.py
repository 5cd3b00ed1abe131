"""Turn the measurements into the targets verdict, a Markdown table and a PNG chart."""

from __future__ import annotations

from pathlib import Path

#: Targets are judged at this corpus size (or the largest one measured, if smaller).
TARGET_PASSAGES = 30_000
MIB = 1024 * 1024


def _at_target_size(results: dict) -> dict:
    sizes = results["sizes"]
    eligible = [s for s in sizes if s["requested"] <= TARGET_PASSAGES] or sizes
    return max(eligible, key=lambda s: s["requested"])


def targets(results: dict) -> list[dict]:
    """Judge the issue's targets: each with what was measured, met or not, and by how much."""
    size = _at_target_size(results)
    ours, naive = size["ours"], size["naive"]
    at = f"at {size['label']}"
    judged = []

    def judge(name: str, measured: str, met: bool, margin: str) -> None:
        judged.append({"target": name, "measured": measured, "met": met, "margin": margin})

    speedup = naive["query"]["p50_ms"] / ours["query"]["p50_ms"]
    judge(f"query p50 no slower than naive ({at}; aim 3x faster)",
          f"{ours['query']['p50_ms']:.1f} ms vs {naive['query']['p50_ms']:.1f} ms (first runs: "
          f"{ours['query']['first_p50_ms']:.1f} vs {naive['query']['first_p50_ms']:.1f} ms)",
          speedup >= 1, f"{speedup:.1f}x faster" if speedup >= 1 else f"{1 / speedup:.1f}x slower")
    p95 = ours["query"]["p95_ms"]
    judge(f"query p95 under 100 ms ({at})",
          f"{p95:.1f} ms (first runs: {ours['query']['first_p95_ms']:.1f} ms)", p95 < 100,
          f"{100 - p95:.0f} ms to spare" if p95 < 100 else f"{p95 - 100:.0f} ms over")
    throughput = ours["build"]["chars_per_second"] / naive["build"]["chars_per_second"]
    judge(f"build chars/s at least naive's ({at})",
          f"{ours['build']['chars_per_second'] / 1000:.0f}k vs "
          f"{naive['build']['chars_per_second'] / 1000:.0f}k chars/s",
          throughput >= 1, f"{throughput:.2f}x naive's")
    cold = results.get("cold_start")
    if cold:
        seconds = cold["median_seconds"]
        judge("cold-start CLI query under 0.3 s (aim 0.15 s)", f"{seconds:.3f} s", seconds < 0.3,
              f"{(0.3 - seconds) * 1000:.0f} ms to spare" if seconds < 0.3
              else f"{(seconds - 0.3) * 1000:.0f} ms over")
    web = results.get("web")
    if web:
        rps, p99 = web["requests_per_second"], web["p99_ms"]
        judge("web: at least 200 requests/s (8 clients, seed corpus)", f"{rps:.0f} req/s",
              rps >= 200, f"{rps / 200:.1f}x the target")
        judge("web: p99 under 50 ms", f"{p99:.1f} ms", p99 < 50,
              f"{50 - p99:.0f} ms to spare" if p99 < 50 else f"{p99 - 50:.0f} ms over")
    return judged


def _seconds(value: float) -> str:
    return f"{value:.2f}" if value < 10 else f"{value:.1f}"


def _rows(size: dict) -> list[tuple[str, str, str, str]]:
    """Return (figure, ours, naive, ours/naive) rows for one corpus size."""
    ours, naive = size["ours"], size["naive"]
    figures = [
        ("build wall time (s)", "build", "seconds", _seconds),
        ("build throughput (chars/s)", "build", "chars_per_second", lambda v: f"{v / 1000:.0f}k"),
        ("build peak memory (MiB)", "build", "peak_bytes", lambda v: f"{v / MIB:.0f}"),
        ("index size on disk (MiB)", "build", "index_bytes", lambda v: f"{v / MIB:.1f}"),
        ("index size / raw text", "build", "index_ratio", lambda v: f"{v:.2f}"),
        ("query p50 (ms)", "query", "p50_ms", lambda v: f"{v:.1f}"),
        ("query p95 (ms)", "query", "p95_ms", lambda v: f"{v:.1f}"),
        ("query p99 (ms)", "query", "p99_ms", lambda v: f"{v:.1f}"),
        ("query p50, first run on a fresh index (ms)", "query", "first_p50_ms",
         lambda v: f"{v:.1f}"),
        ("query p95, first run on a fresh index (ms)", "query", "first_p95_ms",
         lambda v: f"{v:.1f}"),
    ]
    rows = []
    for label, group, key, show in figures:
        a, b = ours[group][key], naive[group][key]
        rows.append((label, show(a), show(b), f"{a / b:.2f}" if b else "–"))
    return rows


def main_table(results: dict) -> str:
    """Return the Markdown table of ours vs naive at every corpus size."""
    sizes = results["sizes"]
    head = ["figure"]
    for size in sizes:
        label = size["label"]
        head += [f"{label} ours", f"{label} naive", f"{label} ours/naive"]
    per_size = [_rows(size) for size in sizes]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for index, (label, *_) in enumerate(per_size[0]):
        cells = [label] + [cell for rows in per_size for cell in rows[index][1:]]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def corpus_table(results: dict) -> str:
    """Return the Markdown table of the generated corpora."""
    lines = ["| corpus | documents | passages | characters | raw text (MiB) |", "|---|---|---|---|---|"]
    for size in results["sizes"]:
        lines.append(f"| {size['label']} | {size['documents']} | {size['passages']} | "
                     f"{size['characters']} | {size['raw_bytes'] / MIB:.1f} |")
    return "\n".join(lines)


def memory_table(results: dict) -> str:
    """Return the Markdown table of the server's idle memory at every corpus size."""
    lines = ["| corpus | passages | serve idle RSS, started (MiB) | serve idle RSS, after the "
             "query set (MiB) |", "|---|---|---|---|"]
    for size in results["sizes"]:
        serve = size.get("serve")
        if serve:
            lines.append(f"| {size['label']} | {size['passages']} | "
                         f"{serve['idle_started_bytes'] / MIB:.0f} | "
                         f"{serve['idle_warm_bytes'] / MIB:.0f} |")
    return "\n".join(lines)


def targets_table(results: dict) -> str:
    """Return the Markdown table of the targets, each marked met or missed."""
    lines = ["| target | measured | | by how much |", "|---|---|---|---|"]
    for target in results["targets"]:
        mark = "met" if target["met"] else "**missed**"
        lines.append(f"| {target['target']} | {target['measured']} | {mark} | {target['margin']} |")
    return "\n".join(lines)


def queries_table(results: dict) -> str:
    """Return the per-query Markdown table at the largest corpus size."""
    size = results["sizes"][-1]
    lines = ["| kind | query | ours hits | naive hits | ours p50 (ms) | naive p50 (ms) "
             "| ours first run (ms) | naive first run (ms) |", "|---|---|---|---|---|---|---|---|"]
    for index, query in enumerate(results["queries"]):
        ours, naive = size["ours"]["query"]["per_query"][index], size["naive"]["query"]["per_query"][index]
        shown = query["text"].replace("|", "\\|")
        lines.append(f"| {query['kind']} | `{shown}` | {ours['total']} | {naive['total']} | "
                     f"{ours['p50_ms']:.1f} | {naive['p50_ms']:.1f} | {ours['first_ms']:.1f} | "
                     f"{naive['first_ms']:.1f} |")
    return "\n".join(lines)


def machine_line(machine: dict) -> str:
    return (f"{machine['cpu']}, {machine['cores']} cores, {machine['ram_gib']:.0f} GiB RAM, "
            f"Python {machine['python']}, {machine['system']}")


def markdown(results: dict) -> str:
    """Return results.md: the command, the machine, the tables."""
    cold, web = results.get("cold_start"), results.get("web")
    parts = [
        "# policy-search benchmark",
        "",
        f"Command: `{results['command']}` ({results['seconds'] / 60:.1f} minutes, "
        f"{results['finished']}). Machine: {machine_line(results['machine'])}.",
        "",
        "## Ours vs the naive recipe",
        "",
        main_table(results),
        "",
        "## Targets",
        "",
        targets_table(results),
        "",
    ]
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
    parts += ["## Server memory at idle", "", memory_table(results), "",
              "## Corpora", "", corpus_table(results), "",
              f"## Each query at {results['sizes'][-1]['label']} passages", "",
              queries_table(results), ""]
    return "\n".join(parts)


def chart(results: dict, path: Path) -> None:
    """Draw build time and query latency against corpus size, ours vs naive."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib import ticker

    sizes = results["sizes"]
    passages = [s["passages"] for s in sizes]
    colours = {"ours": "#1f6feb", "naive": "#d1481a"}
    figure, (build_axes, query_axes) = plt.subplots(1, 2, figsize=(11, 4.4))
    for side, name in (("ours", "policy-search"), ("naive", "naive recipe")):
        build_axes.plot(passages, [s[side]["build"]["seconds"] for s in sizes], "o-",
                        color=colours[side], label=name)
        query_axes.plot(passages, [s[side]["query"]["p50_ms"] for s in sizes], "o-",
                        color=colours[side], label=f"{name} p50")
        query_axes.plot(passages, [s[side]["query"]["p95_ms"] for s in sizes], "s--",
                        color=colours[side], alpha=0.7, label=f"{name} p95")
    build_axes.set_title("Index build: wall time")
    build_axes.set_ylabel("seconds")
    query_axes.set_title("Query latency: top 10 with highlights")
    query_axes.set_ylabel("milliseconds")
    query_axes.axhline(100, color="grey", linewidth=0.8, linestyle=":")
    query_axes.annotate("p95 target 100 ms", (passages[0], 100), textcoords="offset points",
                        xytext=(2, 4), fontsize=8, color="grey")
    for axes in (build_axes, query_axes):
        axes.set_xscale("log")
        axes.set_yscale("log")
        axes.set_xlabel("corpus size (passages)")
        axes.set_xticks(passages, [s["label"] for s in sizes])
        axes.xaxis.set_minor_locator(ticker.NullLocator())
        axes.yaxis.set_major_locator(ticker.LogLocator(base=10, subs=(1.0, 2.0, 5.0)))
        axes.yaxis.set_major_formatter(ticker.FuncFormatter(lambda value, _: f"{value:g}"))
        axes.yaxis.set_minor_locator(ticker.NullLocator())
        axes.grid(True, which="major", alpha=0.3)
        axes.legend(fontsize=8)
    figure.suptitle(f"policy-search vs whoosh + jieba ChineseAnalyzer ({results['machine']['cpu']}, "
                    f"{results['machine']['cores']} cores)", fontsize=10)
    figure.tight_layout()
    figure.savefig(path, dpi=110)
    plt.close(figure)
