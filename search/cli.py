"""The policy-search command: index, query, docs, show, stats, check, serve."""

from __future__ import annotations

import enum
import json
import os
import sys
from collections.abc import Callable
from contextlib import nullcontext
from pathlib import Path
from typing import Any, TypeVar

import click

from search import settings

T = TypeVar("T")

PROG = "policy-search"


class Exit(enum.IntEnum):
    """Exit codes."""

    OK = 0
    USER_ERROR = 1
    USAGE = 2


class UserError(click.ClickException):
    """A problem the user can fix; printed as one line, exit 1."""

    exit_code = Exit.USER_ERROR


def _color(stream: object = None) -> bool:
    """Colour only a terminal, and never when NO_COLOR is set."""
    stream = stream or sys.stdout
    return "NO_COLOR" not in os.environ and hasattr(stream, "isatty") and stream.isatty()


def _warn(message: str) -> None:
    click.echo(f"{PROG}: {message}", err=True)


def _paths(ctx: click.Context) -> tuple[Path, Path]:
    return ctx.obj["seeds"], ctx.obj["index"]


def _progress_build(seeds: Path, root: Path, if_stale: bool = False, full: bool = False):
    """Build the index, with a progress bar on a terminal for a large corpus; None when
    ``if_stale`` and another process has just built it."""
    from search.build import build
    from search.lifecycle import IndexUnavailable

    bar = None

    def progress(done: int, total: int) -> None:
        nonlocal bar
        if bar is None and total >= 1000 and _color(sys.stderr):
            bar = click.progressbar(length=total, label="indexing passages", file=sys.stderr)
            bar.__enter__()
        if bar is not None:
            bar.update(done - bar.pos)

    try:
        report = build(seeds, root, progress, if_stale=if_stale, full=full)
    except IndexUnavailable as error:
        raise UserError(str(error)) from error
    finally:
        if bar is not None:
            bar.__exit__(None, None, None)
    for error in report.errors if report else ():
        click.echo(f"{PROG}: error: {error}", err=True)
    return report


def ensure_index(seeds: Path, root: Path) -> str | None:
    """Rebuild the index when it is missing, damaged or older than the seeds, saying so on
    stderr; return a warning when answering from an index that could not be rebuilt."""
    from search.manifest import staleness
    from search.lifecycle import building, usable_build

    usable, problems = usable_build(root)
    for problem in problems:
        _warn(f"warning: {problem}")
    if not seeds.is_dir():
        if usable is None:
            raise UserError(f"no index in {root}/ and no seed folder {seeds}/ to build it from")
        return None
    reason = staleness(seeds, root)
    if not reason:
        return None
    if usable is not None and building(root):
        warning = (f"another process is rebuilding the index ({reason}); "
                   "answering from the current one")
        _warn(f"warning: {warning}")
        return warning
    _warn(f"rebuilding the index: {reason}")
    try:
        _progress_build(seeds, root, if_stale=True)
    except OSError as error:
        cause = f"cannot write the index in {root}/: {error.strerror or error}"
        if usable is None:
            raise UserError(cause) from error
        warning = f"{cause}; answering from the index built before ({reason})"
        _warn(f"warning: {warning}")
        return warning
    return None


def _open(ctx: click.Context):
    from search.engine import IndexUnavailable, open_searcher

    seeds, root = _paths(ctx)
    ensure_index(seeds, root)
    try:
        return open_searcher(root)
    except IndexUnavailable as error:
        raise UserError(str(error)) from error


def _searched(ctx: click.Context, search: Callable[[Any], T]) -> T:
    """Return ``search(searcher)`` on an index that matches the seeds. The check (a walk
    and a stat of every seed file: 0.25 s at 27,000 files) runs in a child process while
    this one opens the index and searches; only when the child finds the index stale (or
    cannot tell) is it rebuilt, as _open() does, and searched again."""
    from search.apart import Apart
    from search.lifecycle import usable_build
    from search.manifest import staleness

    seeds, root = _paths(ctx)
    if seeds.is_dir():
        with Apart(staleness, seeds, root) as check:
            from search.engine import IndexUnavailable, open_searcher

            usable, problems = usable_build(root)
            if usable is not None and not problems:
                try:
                    with open_searcher(root) as searcher:
                        found = search(searcher)
                except IndexUnavailable:  # swapped and tidied away meanwhile: _open() says
                    pass
                else:
                    if check.result() is None:
                        return found
    with _open(ctx) as searcher:  # rebuilds a stale index, or says what is wrong
        return search(searcher)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--seeds", type=click.Path(path_type=Path), default=None,
              help="Seed folder [env POLICY_SEARCH_SEEDS; default ./seeds].")
@click.option("--index", "index_path", type=click.Path(path_type=Path), default=None,
              help="Index folder [env POLICY_SEARCH_INDEX; default ./index].")
@click.version_option(package_name="policy-search", prog_name=PROG)
@click.pass_context
def cli(ctx: click.Context, seeds: Path | None, index_path: Path | None) -> None:
    """Full-text search for Chinese government policy documents."""
    ctx.obj = {"seeds": seeds or settings.seeds_dir(), "index": index_path or settings.index_dir()}


@cli.command()
@click.option("--full", is_flag=True,
              help="Read every seed file again, not only the changed ones.")
@click.pass_context
def index(ctx: click.Context, full: bool) -> None:
    """Bring the index up to date with the seed folder (atomically replacing the old one)."""
    seeds, root = _paths(ctx)
    try:
        report = _progress_build(seeds, root, full=full)
    except OSError as error:
        raise UserError(f"cannot write the index in {root}/: {error.strerror or error}") from error
    if report.mode == "current":
        click.echo(f"up to date: no seed file added, changed or removed since {report.build}")
    if report.mode == "update":
        click.echo(f"updated {report.added} added, {report.changed} changed, {report.removed} "
                   f"removed seed file{'s' * (report.added + report.changed + report.removed != 1)}"
                   f" ({report.reindexed} passages indexed) in {report.seconds:.2f} s -> {root}/")
    click.echo(
        f"{'indexed' if report.mode == 'full' else 'index:'} "
        f"{report.documents} document{'s' * (report.documents != 1)}, "
        f"{report.passages} passages, {report.characters} characters"
        + (f" in {report.seconds:.2f} s -> {root}/" if report.mode == "full" else "")
    )
    if report.documents > 1:
        click.echo("  by format: " + _counts(report.formats))
        click.echo("  by type:   " + _counts(report.types))
    if report.errors:
        raise UserError(f"{len(report.errors)} file(s) could not be indexed (see above)")


def _counts(counts: dict[str, int]) -> str:
    return ", ".join(f"{name} {count}" for name, count in
                     sorted(counts.items(), key=lambda item: (-item[1], item[0])))


def _argument_text(value: str) -> str:
    """Return an argument as valid text: bytes that were not UTF-8 become U+FFFD.

    Python keeps such bytes as lone surrogates, which would be printed back as invalid UTF-8.
    """
    return value.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def _breadcrumb(doc_title: str, path: tuple[str, ...] | list[str]) -> str:
    return " › ".join([doc_title, *path])


def _is_exclusion(arg: str) -> bool:
    """Tell a query's -词, -2017 or -"phrase" from an option such as -n or --json."""
    return len(arg) > 1 and arg[0] == "-" and (not arg[1].isascii() or arg[1].isdigit()
                                                or arg[1] in "\"'(")


class _QueryCommand(click.Command):
    """Take `query 专利 -质押` as the user means it, not as an unknown option -质."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if "--" not in args and any(_is_exclusion(a) for a in args):
            words = [a for a in args if _is_exclusion(a)]
            args = [a for a in args if not _is_exclusion(a)] + ["--", *words]
        return super().parse_args(ctx, args)


def _chapter(ctx: click.Context, param: click.Parameter, value: str | None) -> int | None:
    from search.documents.numbering import chapter_number

    if value is None:
        return None
    number = chapter_number(value)
    if not number:
        raise click.BadParameter(f"{value!r} is not a chapter number such as 3 or 三")
    return number


def _filter_options(command):
    """Add the document filters every listing shares (search/filters.py names them)."""
    for option in reversed([
        click.option("--office", metavar="NAME", help="Only documents of this 发文机关."),
        click.option("--type", "doc_type", metavar="NAME", help="Only this 文种 (通知, 意见, ...)."),
        click.option("--year", metavar="YYYY", help="Only documents dated in this year."),
        click.option("--after", metavar="DATE",
                     help="Dated on or after 2018, 2018-01, 2018-01-31."),
        click.option("--before", metavar="DATE", help="Dated on or before this date."),
        click.option("--title", metavar="TEXT", help="Only documents whose title contains TEXT."),
    ]):
        command = option(command)
    return command


def _filters(**values: object):
    """Return the checked filters of the command line's flags, by public name."""
    from search.filters import Filters
    from search.query import QueryError

    try:
        return Filters.read(values)
    except QueryError as error:
        raise UserError(str(error)) from error


def _stdin_query() -> str:
    """Return the query piped on stdin (`echo 专利 | policy-search query -`), lines joined."""
    text = " ".join(_argument_text(sys.stdin.read()).split())
    if not text:
        raise UserError("empty query on stdin: pipe the words to look for, "
                        "e.g. echo 专利 | policy-search query -")
    return text


@cli.command(cls=_QueryCommand)
@click.argument("words", metavar="QUERY...", nargs=-1, required=True)
@click.option("--limit", "-n", type=click.IntRange(1, settings.MAX_LIMIT),
              default=settings.DEFAULT_LIMIT, show_default=True, help="Hits per page.")
@click.option("--page", type=click.IntRange(1), default=1, show_default=True, help="Page of hits.")
@click.option("--sort", type=click.Choice(settings.SORTS), default=settings.SORTS[0],
              show_default=True, help="Order: relevance, or date (newest first).")
@click.option("--doc", "doc_id", metavar="ID", help="Only this document.")
@click.option("--section", metavar="N", callback=_chapter, help="Only this chapter (三 = 3).")
@_filter_options
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
@click.option("--jsonl", "as_jsonl", is_flag=True, help="Print one hit per line as JSON.")
@click.option("--count", "count_only", is_flag=True, help="Print only the number of hits.")
@click.pass_context
def query(ctx: click.Context, words: tuple[str, ...], limit: int, page: int, sort: str,
          doc_id: str | None, section: int | None, office: str | None, doc_type: str | None,
          year: str | None, after: str | None, before: str | None, title: str | None,
          as_json: bool, as_jsonl: bool, count_only: bool) -> None:
    """Search the passages. Space = AND, OR, -word, "exact phrase", office:, type:, year:,
    after:, before:, title:, doc:ID, section:N; QUERY - reads the query from stdin."""
    text = _stdin_query() if words == ("-",) else _argument_text(" ".join(words))
    filters = _filters(office=office, type=doc_type, year=year, after=after, before=before,
                       title=title, doc=doc_id, section=section)
    from search.highlight import to_terminal
    from search.query import QueryError

    def search(searcher):
        try:
            return searcher.search(text, limit=limit, page=page, filters=filters, sort=sort,
                                   facets=as_json)
        except QueryError as error:
            raise UserError(str(error)) from error

    result = _searched(ctx, search)
    if count_only:
        click.echo(result.total)
        return
    if as_json:
        click.echo(json.dumps(result.to_json(), ensure_ascii=False))
        return
    if as_jsonl:
        for hit in result.hits:
            click.echo(json.dumps(hit.to_json(), ensure_ascii=False))
        return
    color = _color()
    if not result.hits:
        shown = "no passage matches" if result.total == 0 else f"no hits on page {page}"
        hint = "drop a filter" if result.filters else "use OR between words"
        click.echo(f"{shown} {result.query!r} ({result.took_ms} ms). "
                   f"Try fewer or shorter words, or {hint}.")
        return
    first = (page - 1) * limit + 1
    click.echo(f"{result.total} passage{'s' * (result.total != 1)} for {result.query!r} "
               f"({result.took_ms} ms), showing {first}-{first + len(result.hits) - 1}")
    if result.expanded:
        click.echo("Also searched: " + "; ".join(f"{term} → {'、'.join(words)}"
                                                 for term, words in result.expanded))
    if result.relaxed:
        missing = f" ({'、'.join(result.unmatched)} found nowhere)" if result.unmatched else ""
        click.echo(f"No passage contains all the words{missing}; these contain some of them.")
    if result.partial:
        click.echo("The search stopped at its time limit: these are the best passages found "
                   "so far, and there may be more.")
    for rank, hit in enumerate(result.hits, first):
        title = _breadcrumb(hit.doc_title, hit.path)
        click.echo()
        click.echo(f"{rank}. " + (click.style(title, bold=True) if color else title))
        click.echo(f"   {hit.id}  {settings.shown_url(hit.url)}")
        facts = [fact for fact in (hit.date, hit.office, hit.number, hit.doc_type) if fact]
        if facts:  # what a 政策文件库 lists with each hit: date, 发文机关, 文号, 文种
            click.echo("   " + "  ".join(facts))
        for fragment in hit.fragments:
            click.echo("   " + to_terminal(fragment, color))


@cli.command()
@_filter_options
@click.option("--sort", type=click.Choice(settings.DOCUMENT_SORTS),
              default=settings.DOCUMENT_SORTS[0], show_default=True,
              help="Order: date (newest first) or title.")
@click.option("--limit", "-n", type=click.IntRange(1, settings.MAX_LIMIT), default=50,
              show_default=True, help="Documents per page.")
@click.option("--page", type=click.IntRange(1), default=1, show_default=True, help="Page.")
@click.option("--json", "as_json", is_flag=True, help="Print the list as JSON.")
@click.pass_context
def docs(ctx: click.Context, office: str | None, doc_type: str | None, year: str | None,
         after: str | None, before: str | None, title: str | None, sort: str, limit: int,
         page: int, as_json: bool) -> None:
    """List the documents of the library with their metadata, newest first."""
    from search.library import catalogue_for, list_documents
    from search.query import QueryError

    filters = _filters(office=office, type=doc_type, year=year, after=after, before=before,
                       title=title)
    with _open(ctx) as searcher:
        try:
            listing = list_documents(catalogue_for(searcher.index), filters, sort, page, limit)
        except QueryError as error:
            raise UserError(str(error)) from error
    if as_json:
        click.echo(json.dumps(listing.to_json(), ensure_ascii=False))
        return
    first = (page - 1) * limit + 1
    shown = f", showing {first}-{first + len(listing.documents) - 1}" if listing.documents else ""
    click.echo(f"{listing.total} document{'s' * (listing.total != 1)}{shown}")
    color = _color()
    for rank, entry in enumerate(listing.documents, first):
        click.echo()
        click.echo(f"{rank}. " + (click.style(entry["title"], bold=True) if color
                                  else entry["title"]))
        facts = [entry["id"], entry.get("date") or "undated", entry.get("office"),
                 entry.get("doc_type"), entry.get("number") if entry.get("number") != entry["id"]
                 else None, f"{len(entry['passages'])} passages"]
        click.echo("   " + "  ".join(str(fact) for fact in facts if fact))


@cli.command()
@click.argument("passage_id")
@click.option("--query", "-q", "text", default="", help="Highlight this query in the passage.")
@click.option("--json", "as_json", is_flag=True, help="Print the passage as JSON.")
@click.pass_context
def show(ctx: click.Context, passage_id: str, text: str, as_json: bool) -> None:
    """Print one passage by id, e.g. tianjin-ip-2017/3.2."""
    passage_id, text = _argument_text(passage_id), _argument_text(text)
    from search.engine import NotFound
    from search.highlight import to_terminal

    with _open(ctx) as searcher:
        try:
            passage = searcher.passage(searcher.resolve(passage_id))
        except NotFound as error:
            raise UserError(f"{error}; find ids with '{PROG} query'") from error
        pieces = searcher.highlight_passage(passage, text) if text else None
    if as_json:
        click.echo(json.dumps(passage.to_json(), ensure_ascii=False))
        return
    click.echo(_breadcrumb(passage.doc_title, passage.path))
    click.echo(f"{passage.id}  {settings.shown_url(passage.url)}  ({passage.date or 'undated'})")
    click.echo()
    click.echo(to_terminal(pieces, _color()) if pieces else passage.text)
    neighbours = [f"previous: {passage.previous}" if passage.previous else "",
                  f"next: {passage.next}" if passage.next else ""]
    if any(neighbours):
        click.echo()
        click.echo("  ".join(n for n in neighbours if n))
    click.echo(f"cite: {passage.citation()}")


@cli.command()
@click.option("--json", "as_json", is_flag=True, help="Print the figures as JSON.")
@click.pass_context
def stats(ctx: click.Context, as_json: bool) -> None:
    """Show what is indexed: documents, passages, characters, size on disk."""
    with _open(ctx) as searcher:
        index = searcher.index
        manifest = index.manifest
        size = sum(p.stat().st_size for p in index.path.iterdir() if p.is_file())
        figures = {
            "documents": manifest["documents"], "passages": manifest["passages"],
            "characters": manifest["characters"], "index_bytes": size,
            "built_at": manifest["built_at"], "analyzer_version": manifest["analyzer_version"],
            "pending_terms": index.pending_terms(),
            "index": str(index.path),
            "by_document": [{**{k: v for k, v in d.items() if k != "passages"},
                             "passages": len(d["passages"])} for d in index.documents.values()],
        }
    if as_json:
        click.echo(json.dumps(figures, ensure_ascii=False))
        return
    documents = figures["documents"]
    click.echo(f"{documents} document{'s' * (documents != 1)}, {figures['passages']} passages, "
               f"{figures['characters']} characters")
    click.echo(f"index: {figures['index']} ({size / 1024:.0f} KiB, built {figures['built_at']})")
    if figures["pending_terms"]:
        pending = figures["pending_terms"]
        click.echo(f"dictionary: {len(pending)} new “” or 《》 term{'s' * (len(pending) != 1)} "
                   f"found verbatim until the next '{PROG} index --full' ("
                   + "、".join(pending[:5]) + ("…" if len(pending) > 5 else "") + ")")
    for document in figures["by_document"]:
        kind = f"{document['doc_type']}  " if document.get("doc_type") else ""
        click.echo(f"  {document['id']}  {document['passages']} passages  "
                   f"{document['date'] or 'undated'}  {kind}{document['title']}")


@cli.command()
@click.pass_context
def check(ctx: click.Context) -> None:
    """Verify every file of the live index build against the checksums in its manifest."""
    from search.integrity import Damaged, verify_checksums
    from search.lifecycle import check as check_build, usable_build

    _, root = _paths(ctx)
    build_dir, problems = usable_build(root)
    if build_dir is None:
        for problem in problems:
            _warn(f"error: {problem}")
        raise UserError(f"no usable index in {root}/; rebuild it with '{PROG} index'")
    try:
        manifest = check_build(build_dir)
    except Damaged as damage:  # changed since usable_build looked
        raise UserError(str(damage)) from damage
    problems += verify_checksums(build_dir, manifest)
    for problem in problems:
        _warn(f"error: {problem}")
    if problems:
        raise UserError(f"the index is damaged; rebuild it with '{PROG} index'")
    click.echo(f"{build_dir}: {len(manifest['files'])} files match their checksums")


@cli.command()
@click.option("--host", default=settings.DEFAULT_HOST, show_default=True,
              help="Address to listen on.")
@click.option("--port", type=click.IntRange(1, 65535), default=settings.DEFAULT_PORT,
              show_default=True)
@click.option("--base-url", metavar="URL", default=None, envvar="POLICY_SEARCH_BASE_URL",
              help="Start of canonical links, e.g. https://policy.example "
                   "[default: $POLICY_SEARCH_BASE_URL, else http://HOST:PORT].")
@click.option("--threads", type=click.IntRange(1, 64), default=settings.SERVE_THREADS,
              show_default=True,
              help="Worker threads of the WSGI server (per process).")
@click.option("--workers", type=click.IntRange(1, 32), default=1, show_default=True,
              help="Processes serving the same port: Python searches on one core per process.")
@click.option("--access-log", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Append a line per request (common log format) here [default: stderr].")
@click.option("--watch/--no-watch", default=True, show_default=True,
              help="Index changes to the seed folder while serving.")
@click.pass_context
def serve(ctx: click.Context, host: str, port: int, threads: int, workers: int,
          base_url: str | None, access_log: Path | None, watch: bool) -> None:
    """Build the index if needed, then serve the search page with waitress."""
    seeds, root = _paths(ctx)
    try:
        log = access_log.open("a", encoding="utf-8") if access_log else nullcontext(sys.stderr)
    except OSError as error:
        raise UserError(f"cannot write the access log {access_log}: {error.strerror}") from error
    warning = ensure_index(seeds, root)
    from web.server import serve as run_server  # the web layer sits on top of the engine

    with log as stream:
        try:
            run_server(host=host, port=port, threads=threads, seeds=seeds, index=root,
                       base_url=base_url, warning=warning, access_log=stream, watch=watch,
                       workers=workers)
        except OSError as error:
            raise UserError(f"cannot listen on {host}:{port}: {error.strerror}") from error


def main(argv: list[str] | None = None) -> int:
    """Run the CLI; print errors as one line on stderr; return the exit code."""
    try:
        cli.main(args=argv, prog_name=PROG, standalone_mode=False)
    except click.UsageError as error:
        click.echo(f"{PROG}: error: {error.format_message()} (see '{PROG} --help')", err=True)
        return Exit.USAGE
    except click.ClickException as error:
        click.echo(f"{PROG}: error: {error.format_message()}", err=True)
        return error.exit_code
    except click.exceptions.Abort:
        click.echo(f"{PROG}: interrupted", err=True)
        return Exit.USER_ERROR
    except click.exceptions.Exit as done:
        return done.exit_code
    except BrokenPipeError:
        # `policy-search query ... | head`: the reader left; that is not an error.
        sys.stderr.close()
        return Exit.OK
    except Exception as error:  # a bug: still one line for the user, the trace on request
        if os.environ.get("POLICY_SEARCH_DEBUG"):
            raise
        click.echo(f"{PROG}: error: unexpected {type(error).__name__}: {error} "
                   "(set POLICY_SEARCH_DEBUG=1 for the traceback, and please report it)", err=True)
        return Exit.USER_ERROR
    return Exit.OK


def entry() -> None:
    """Console-script entry point."""
    sys.exit(main())
