"""The ``dkg`` command line: thin click commands, each calling one library function.

Exit codes: 0 ok, 1 a check found problems, 2 bad input or usage.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from dataclasses import asdict
from pathlib import Path

import click
from rdflib import URIRef

from kg import __version__
from kg.errors import DkgError
from kg.formats import FORMATS
from kg.store import Store, store_path


class _Group(click.Group):
    """Maps the project's typed errors to messages and exit codes."""

    def invoke(self, ctx: click.Context) -> object:
        try:
            return super().invoke(ctx)
        except DkgError as exc:
            click.echo(f"dkg: {exc}", err=True)
            sys.exit(exc.exit_code)


@click.group(cls=_Group)
@click.version_option(__version__, prog_name="dkg")
@click.option("--store", "store", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Folder of the embedded Oxigraph store (env DKG_STORE; default ./.store).")
@click.option("--endpoint", envvar="DKG_ENDPOINT", metavar="URL", default=None,
              help="Use the SPARQL server at this query endpoint instead of the embedded store (env "
                   "DKG_ENDPOINT), e.g. http://localhost:7878/query (Oxigraph), http://host:3030/ds/query "
                   "(Fuseki), http://host:7200/repositories/ID (GraphDB), http://host:8890/sparql "
                   "(Virtuoso). Credentials only from $DKG_ENDPOINT_USER and $DKG_ENDPOINT_PASSWORD.")
@click.option("--update-endpoint", envvar="DKG_UPDATE_ENDPOINT", metavar="URL", default=None,
              help="SPARQL update endpoint (env DKG_UPDATE_ENDPOINT; default derived from --endpoint: "
                   "/update for Oxigraph and Fuseki, /statements for GraphDB, the same URL otherwise).")
@click.option("--gsp-endpoint", envvar="DKG_GSP_ENDPOINT", metavar="URL", default=None,
              help="Graph Store Protocol endpoint used to write a whole graph in one PUT (env DKG_GSP_ENDPOINT; "
                   "default derived: /store for Oxigraph, /data for Fuseki, /rdf-graphs/service for GraphDB, "
                   "/sparql-graph-crud(-auth) for Virtuoso; '' for none).")
@click.option("--wait", envvar="DKG_WAIT", type=click.FloatRange(min=0), default=0, metavar="SECONDS",
              help="When another process has the embedded store open (an import), wait up to this long for "
                   "it instead of failing at once with 'store in use' (env DKG_WAIT).")
@click.option("--cache/--no-cache", envvar="DKG_CACHE", default=True, show_default=True,
              help="Answer a query asked again of an unchanged embedded store from the answers the store keeps "
                   "(in STORE/dkg-answers; every write through dkg makes them stale). --no-cache runs the query "
                   "afresh (env DKG_CACHE=0).")
@click.pass_context
def cli(ctx: click.Context, store: Path | None, endpoint: str | None, update_endpoint: str | None,
        gsp_endpoint: str | None, wait: float, cache: bool) -> None:
    """Diplomatic-event knowledge graph: import Korean and English news, query it, view it."""
    from_command_line = click.core.ParameterSource.COMMANDLINE
    if store is not None and endpoint and ctx.get_parameter_source("endpoint") == from_command_line:
        raise click.UsageError("give --store or --endpoint, not both")
    if store is not None:  # an explicit --store wins over $DKG_ENDPOINT
        endpoint = None
    ctx.obj = {"store": endpoint or store_path(store), "endpoint": endpoint,
               "update_endpoint": update_endpoint, "gsp_endpoint": gsp_endpoint, "wait": wait,
               "cache": cache}


def _open(ctx: click.Context, timeout: float | None = None) -> Store:
    if ctx.obj.get("endpoint"):
        from kg.remote import RemoteStore

        if timeout is None:
            return RemoteStore(ctx.obj["endpoint"], ctx.obj["update_endpoint"], ctx.obj["gsp_endpoint"])
        return RemoteStore(ctx.obj["endpoint"], ctx.obj["update_endpoint"], ctx.obj["gsp_endpoint"],
                           timeout=timeout, retries=0)  # a query that ran out of time would again
    store = Store(ctx.obj["store"], wait=ctx.obj.get("wait", 0))
    store.reuse_answers = ctx.obj.get("cache", True)
    if store.recovered:
        click.echo(f"dkg: {store.path}: an earlier import was cut short while writing {len(store.recovered)} "
                   "articles; what it had written of them is removed (import them again)", err=True)
    return store


@cli.command("import")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--date", help="Publication date (YYYY-MM-DD) for every file, overriding its metadata.")
@click.option("--lang", type=click.Choice(["ko", "en"]), help="Language of every file.")
@click.option("--publisher", help="Publisher of every file.")
@click.option("--max-size", "max_size", type=click.IntRange(min=1), default=None, metavar="BYTES",
              help="Refuse files (for JSON lines: lines) larger than this; default 50 MB.")
@click.option("--jobs", "-j", type=click.IntRange(min=0), default=1, show_default=True,
              help="Worker processes reading and extracting in parallel; 0: one per CPU.")
@click.option("--progress/--no-progress", default=None,
              help="Show a progress bar with articles/s on stderr (default: when stderr is a terminal).")
@click.option("--quiet", "-q", is_flag=True, help="List only the articles that failed or have warnings.")
@click.pass_context
def import_cmd(ctx: click.Context, paths: tuple[Path, ...], date: str | None, lang: str | None,
               publisher: str | None, max_size: int | None, jobs: int, progress: bool | None, quiet: bool) -> None:
    """Import article files or folders (.txt, .md, .html, .jsonl, .jsonl.gz) into the store.

    Each article's line is printed once it is stored (or failed), in the order of the input, then
    a summary with the time taken. Exit code 0 when every article was imported or unchanged, 2 when
    any file or line failed (the others are imported all the same; each failure is listed with its
    reason).
    """
    import os
    import time

    from tqdm import tqdm

    from kg.errors import InputError
    from kg.importer import FileReport, import_paths
    from kg.read import MAX_BYTES, holds_many_articles, iter_article_files

    try:  # the bar's total, when every file holds one article
        files = list(iter_article_files(paths))
        total = None if any(holds_many_articles(f) for f in files) else len(files)
    except InputError:
        total = None  # import_paths reports it
    show = sys.stderr.isatty() if progress is None else progress
    counts = {"imported": 0, "unchanged": 0, "failed": 0}
    size = 0
    started = time.perf_counter()
    with tqdm(total=total, unit=" articles", disable=not show, file=sys.stderr, mininterval=0.5,
              dynamic_ncols=True) as bar:

        def report(r: FileReport) -> None:
            nonlocal size
            counts[r.status] += 1
            size += r.size
            if not quiet or r.status == "failed" or r.warnings:
                if show:
                    bar.write(r.line(), file=sys.stdout)
                else:
                    click.echo(r.line())
            bar.update(1)

        with _open(ctx) as store:
            import_paths(store, paths, {"date": date, "lang": lang, "publisher": publisher},
                         max_bytes=max_size or MAX_BYTES, jobs=jobs or os.cpu_count() or 1, on_report=report)
    seconds = time.perf_counter() - started
    n = sum(counts.values())
    click.echo(f"{n} articles: {counts['imported']} imported, {counts['unchanged']} unchanged, "
               f"{counts['failed']} failed in {seconds:.1f} s ({n / seconds:.1f} articles/s, "
               f"{size / 1e6 / seconds:.2f} MB/s of text); store {ctx.obj['store']}")
    if counts["failed"]:
        sys.exit(2)


@cli.command("remove")
@click.argument("articles", nargs=-1, required=True)
@click.pass_context
def remove_cmd(ctx: click.Context, articles: tuple[str, ...]) -> None:
    """Take imported articles out of the store (by file name or path), with the facts only they supported."""
    from kg.importer import remove_articles

    with _open(ctx) as store:
        removed = remove_articles(store, articles)
    for source in removed:
        click.echo(f"removed    {source}")
    click.echo(f"{len(removed)} articles removed; store {ctx.obj['store']}")


@cli.command("extract")
@click.argument("path", type=click.Path(path_type=Path))
@click.option("--date", help="Publication date (YYYY-MM-DD), overriding the file's metadata.")
def extract_cmd(path: Path, date: str | None) -> None:
    """Print the facts of one article with their evidence as JSON; store nothing."""
    from kg.extract import extract_article
    from kg.read import read_article

    article = read_article(path, {"date": date})
    extraction = extract_article(article)
    data = {
        "article": {"source": article.source, "title": article.title, "lang": article.lang,
                    "date": article.date.isoformat() if article.date else None, "url": article.url},
        "meetings": [asdict(m) for m in extraction.meetings],
        "agreements": [asdict(a) for a in extraction.agreements],
        "relations": [asdict(r) for r in extraction.relations],
        "people": [asdict(p) for p in extraction.people],
    }
    click.echo(json.dumps(data, ensure_ascii=False, indent=2))


@cli.command("queries")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
def queries_cmd(fmt: str) -> None:
    """List the named queries from their headers: what each answers, its parameters and columns."""
    from kg.queries import registry

    queries = registry()
    if fmt == "json":
        data = [{"name": name, "answers": q.answers, "file": q.path.name, "columns": list(q.columns),
                 "params": [asdict(p) for p in q.params]} for name, q in queries.items()]
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    for name, query in queries.items():
        click.echo(f"{name}\n  {query.answers}")
        for p in query.params:
            click.echo(f"  --param {p.name}=<{p.type}> (default {p.default or 'none'}): {p.description}")
        click.echo(f"  columns: {' '.join(query.columns)}")


@cli.command("prepare")
@click.argument("names", nargs=-1)
@click.pass_context
def prepare_cmd(ctx: click.Context, names: tuple[str, ...]) -> None:
    """Run named queries ahead (default: all but the checks) so the store keeps their answers.

    After an import, a query or view asking the same (default parameters) is then answered at once
    until the next write. Only for the embedded store.
    """
    from kg.queries import prepare

    with _open(ctx) as store:
        for done in prepare(store, names):
            click.echo(f"{done.state:<12} {done.name}: {done.rows:,} rows in {done.seconds:.2f} s")


@cli.command("query")
@click.argument("name", required=False)
@click.option("-e", "--expression", "expression", metavar="SPARQL",
              help="Run this query text instead of a named query.")
@click.option("--param", "params", multiple=True, metavar="NAME=VALUE",
              help="A query parameter declared in the query's header; repeatable.")
@click.option("--format", "fmt", type=click.Choice(list(FORMATS)), default=None,
              help="Rows: table (default), csv, tsv, json, sparql-json, sparql-xml. "
                   "Triples (CONSTRUCT, DESCRIBE): turtle (default), trig.")
@click.option("--article", metavar="FILE_NAME",
              help="Query the graph of this article (with the gazetteer and ontology graphs) instead of all.")
@click.option("--graph", "graph_iris", metavar="IRI", multiple=True,
              help="Query only this named graph (repeat for the union of several).")
@click.option("--update", "allow_update", is_flag=True,
              help="Allow a SPARQL update (INSERT, DELETE, LOAD, CLEAR, DROP...) to change the store.")
@click.option("--timeout", type=click.FloatRange(min=0, min_open=True), default=None, metavar="SECONDS",
              help="Stop the query after this long (exit 2); an update stopped so changes nothing.")
@click.pass_context
def query_cmd(ctx: click.Context, name: str | None, expression: str | None, params: tuple[str, ...],
              fmt: str | None, article: str | None, graph_iris: tuple[str, ...], allow_update: bool,
              timeout: float | None) -> None:
    """Run a named query (see `dkg queries`), a .rq file, or -e TEXT.

    Queries see the union of all graphs unless --article or --graph names one. Parameters are
    typed (actor codes become actor IRIs, dates xsd:date) and bound by the query engine, never
    pasted into the query text. Updates are refused unless --update is given.
    """
    from kg import iris
    from kg.errors import QueryError
    from kg.formats import default_format, render
    from kg.queries import adhoc, article_scope, execute, registry

    if (name is None) == (expression is None):
        raise QueryError("give a query name, a .rq file, or -e 'SELECT ...' (one of them)")
    if expression is not None:
        query = adhoc(expression)
    else:
        assert name is not None
        queries = registry()
        if name in queries:
            query = queries[name]
        elif name.endswith(".rq"):
            path = Path(name)
            if not path.is_file():
                raise QueryError(f"{name}: no such query file")
            try:
                text = path.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError) as exc:
                raise QueryError(f"{name}: cannot read query file: {exc}") from exc
            query = adhoc(text, path)
        else:
            raise QueryError(f"no query named {name!r}; `dkg queries` lists them")
    given: dict[str, str] = {}
    for item in params:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise QueryError(f"--param {item!r}: expected NAME=VALUE")
        given[key.strip()] = value
    if article and graph_iris:
        raise QueryError("give --article or --graph, not both")

    def answer() -> str | None:
        with _open(ctx, timeout) as store:
            scope: tuple[URIRef, ...] | URIRef | None = None
            if article:
                if iris.article_graph(article) not in store.graphs():
                    raise QueryError(f"no article {article!r} in the store (`dkg stats` lists the articles)")
                scope = article_scope(article)
            elif graph_iris:
                stored = set(store.graphs())
                for graph_iri in graph_iris:
                    if URIRef(graph_iri) not in stored:
                        raise QueryError(f"no graph <{graph_iri}> in the store")
                scope = tuple(URIRef(g) for g in graph_iris)
            result = execute(store, query, given, scope, allow_update=allow_update)
        return None if result is None else render(result, fmt or default_format(result))

    if timeout is not None and not ctx.obj.get("endpoint"):
        output = _within(timeout, answer)  # the embedded engine cannot be interrupted: it runs in a child process
    else:
        output = answer()  # a server: the request's timeout
    if output is None:
        click.echo("update done", err=True)
        return
    click.echo(output, nl=False)


def _within(seconds: float, work: Callable[[], str | None]) -> str | None:
    """``work()`` run in a forked child process, killed after ``seconds``.

    The child opens the store, so a killed child leaves it closed and unchanged (Oxigraph commits
    an update's transaction whole or not at all); its answer or error comes back through a pipe.
    """
    import multiprocessing

    from kg.errors import QueryError

    fork = multiprocessing.get_context("fork")
    receive, send = fork.Pipe(duplex=False)

    def run() -> None:
        try:
            send.send(("answer", work()))
        except BaseException as exc:  # noqa: B036 - the parent raises it
            send.send(("error", exc if isinstance(exc, DkgError) else RuntimeError(f"{type(exc).__name__}: {exc}")))

    child = fork.Process(target=run, daemon=True)
    child.start()
    send.close()
    try:
        if not receive.poll(seconds):
            child.kill()
            raise QueryError(f"the query ran longer than {seconds:g} s and was stopped (--timeout); "
                             "the store is as it was")
        kind, value = receive.recv()
    except EOFError:
        raise QueryError("the query process ended without an answer") from None
    finally:
        child.join()  # after an answer, the child closes the store and ends
        receive.close()
    if kind == "error":
        raise value
    return value  # type: ignore[no-any-return]


@cli.group("viz")
def viz_group() -> None:
    """Write interactive HTML views of the graph (offline: every asset is inside the file).

    Each view takes --lang ko|en, -o FILE and a period --since/--until YYYY-MM-DD; `dkg viz index
    DIR` writes an index page linking the views in DIR.
    """


def _date_value(ctx: click.Context, param: click.Parameter, value: str | None) -> str:
    from viz.views import ViewError, check_date

    try:
        return check_date(value or "", f"--{param.name}")
    except ViewError as exc:
        raise click.BadParameter(str(exc)) from None


def _view_options(command: click.decorators.FC) -> click.decorators.FC:
    """-o, --lang, --since and --until, shared by the views."""
    for option in reversed((
        click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), required=True,
                     help="HTML file to write."),
        click.option("--lang", type=click.Choice(["ko", "en"]), default="ko", show_default=True,
                     help="Label language."),
        click.option("--since", metavar="YYYY-MM-DD", callback=_date_value,
                     help="Leave out facts dated before this day."),
        click.option("--until", metavar="YYYY-MM-DD", callback=_date_value,
                     help="Leave out facts dated after this day."),
    )):
        command = option(command)
    return command


def _codes(codes: tuple[str, ...]) -> list[str]:
    """Actor codes checked against the gazetteer before the store opens (unknown: exit 2)."""
    from viz.views import actor_code

    return [actor_code(code) for code in codes]


def _wrote(output: Path, nodes: int, edges: int) -> None:
    click.echo(f"wrote {output} ({nodes} nodes, {edges} edges)")


@viz_group.command("trilateral")
@click.argument("codes", nargs=3)
@_view_options
@click.pass_context
def viz_trilateral(ctx: click.Context, codes: tuple[str, str, str], output: Path, lang: str, since: str,
                   until: str) -> None:
    """The events, agreements and relations tying three actors (e.g. KOR JPN USA).

    With a period, dated events and agreements outside it are left out; relations have no date
    and stay.
    """
    from viz.views import trilateral_view

    checked = _codes(codes)
    with _open(ctx) as store:
        graph = trilateral_view(store, checked, output, lang=lang, since=since, until=until)
    _wrote(output, graph.number_of_nodes(), graph.number_of_edges())


@viz_group.command("actor")
@click.argument("code")
@click.option("--hops", type=click.IntRange(1, 3), default=1, show_default=True,
              help="How far out: 1 = the actor's facts and the actors in them; 2 = also their facts, ...")
@_view_options
@click.pass_context
def viz_actor(ctx: click.Context, code: str, hops: int, output: Path, lang: str, since: str, until: str) -> None:
    """One actor (KOR, UN, yoon-suk-yeol ...): its events, agreements, relations and people.

    With a period, dated facts outside it are left out; undated ones stay.
    """
    from viz.views import actor_view

    (checked,) = _codes((code,))
    with _open(ctx) as store:
        graph = actor_view(store, checked, output, lang=lang, hops=hops, since=since, until=until)
    _wrote(output, graph.number_of_nodes(), graph.number_of_edges())


@viz_group.command("network")
@_view_options
@click.pass_context
def viz_network(ctx: click.Context, output: Path, lang: str, since: str, until: str) -> None:
    """The actor network: states and organizations tied by shared meetings, shared agreements and
    typed relations, line width by the number of facts (the `ties` query).

    With a period, dated facts outside it do not count; undated ones (relations) do.
    """
    from viz.views import network_view

    with _open(ctx) as store:
        graph = network_view(store, output, lang=lang, since=since, until=until)
    _wrote(output, graph.number_of_nodes(), graph.number_of_edges())


@viz_group.command("timeline")
@click.argument("codes", nargs=-1, required=True)
@_view_options
@click.pass_context
def viz_timeline(ctx: click.Context, codes: tuple[str, ...], output: Path, lang: str, since: str,
                 until: str) -> None:
    """The events of one actor, or those two actors share (CODE [CODE]), left to right by date.

    With a period, only events dated within it are shown (undated ones are left out).
    """
    from viz.views import timeline_view

    if len(codes) > 2:
        raise click.UsageError(f"a timeline is of one or two actors, not {len(codes)}")
    checked = _codes(codes)
    with _open(ctx) as store:
        graph = timeline_view(store, checked, output, lang=lang, since=since, until=until)
    _wrote(output, graph.number_of_nodes(), graph.number_of_edges())


@viz_group.command("index")
@click.argument("folder", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Index file to write (default FOLDER/index.html).")
def viz_index(folder: Path, output: Path | None) -> None:
    """Write an offline index page linking every view (.html) in FOLDER, saying what each shows."""
    from viz.views import write_index

    path = write_index(folder, output)
    click.echo(f"wrote {path}")


@cli.command("export")
@click.option("--format", "fmt", type=click.Choice(["trig", "nquads", "turtle", "jsonld", "graphml", "gexf"]),
              default="trig", show_default=True,
              help="RDF (trig, nquads and jsonld keep the named graphs; turtle is their union) "
                   "or the actor network (graphml, gexf).")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), required=True,
              help="File to write (written whole or not at all).")
@click.option("--article", metavar="FILE_NAME", help="Export only the graph of this article (RDF formats).")
@click.pass_context
def export_cmd(ctx: click.Context, fmt: str, output: Path, article: str | None) -> None:
    """Write the store as RDF, or the actor network for Gephi."""
    from kg.errors import InputError
    from kg.export import NETWORK_FORMATS, article_graph_iri, export_network, export_rdf

    with _open(ctx) as store:
        if fmt in NETWORK_FORMATS:
            if article:
                raise InputError(f"--article {article}", f"applies to the RDF formats, not {fmt}")
            graph = export_network(store, output, fmt)
            click.echo(f"wrote {output} ({graph.number_of_nodes()} actors, {graph.number_of_edges()} ties)")
            return
        named = article_graph_iri(store, article) if article else None
        count = export_rdf(store, output, fmt, named)
    click.echo(f"wrote {output} ({count} {'triples' if fmt == 'turtle' else 'quads'})")


@cli.command("stats")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.pass_context
def stats_cmd(ctx: click.Context, fmt: str) -> None:
    """Count quads and graphs, typed nodes by class, facts by article and by language."""
    from kg.export import format_stats, stats

    with _open(ctx) as store:
        result = stats(store)
    if fmt == "json":
        click.echo(json.dumps(asdict(result), ensure_ascii=False, indent=2))
    else:
        click.echo(format_stats(result), nl=False)


@cli.command("validate")
@click.option("--article", metavar="FILE_NAME", help="Validate only the graph of this article (with the gazetteer).")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.pass_context
def validate_cmd(ctx: click.Context, article: str | None, fmt: str) -> None:
    """Run the SHACL shapes and the *-violation checks; print each violation with its evidence (exit 1 if any)."""
    from kg.export import article_graph_iri
    from kg.validate import format_report, report_data, validate

    with _open(ctx) as store:
        graph = article_graph_iri(store, article) if article else None
        report = validate(store, graph)
    if fmt == "json":
        click.echo(json.dumps(report_data(report), ensure_ascii=False, indent=2))
    else:
        click.echo(format_report(report))
    if not report.conforms:
        sys.exit(1)


@cli.command("ontology")
@click.option("--path", type=click.Path(exists=True, dir_okay=False, path_type=Path), default=None,
              help="Ontology file (default: the shipped diplomacy.ttl).")
def ontology_cmd(path: Path | None) -> None:
    """Load the ontology with owlready2, run HermiT, report consistency and the hierarchy."""
    from kg.ontology import check, format_report

    report = check(path)
    click.echo(format_report(report))
    if not report.consistent:
        sys.exit(1)


def main() -> None:
    """Entry point of the ``dkg`` console script."""
    try:
        cli(standalone_mode=True)
    except DkgError as exc:  # raised outside a command, e.g. while parsing
        click.echo(f"dkg: {exc}", err=True)
        sys.exit(2)
