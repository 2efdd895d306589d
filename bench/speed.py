"""Speed benchmark: how fast articles are read, extracted and imported, and where the time goes.

Not a test: it prints figures. Usage (from the project folder)::

    .venv/bin/python bench/speed.py [--articles N] [--jobs 1] [--store-dir DIR] [--json] [--keep]

It builds, at run time and in a temporary folder, a corpus of N articles (default 500) from real
text: the two seed articles of ``data/articles`` kept whole, and sentences read where they lie in
the shared evaluation data (``../shared/eval``: PLOVER GSR ``text`` fields, the KLUE-NER diplomacy
sentences with their tags removed, PETRARCH2 unit-test ``<Text>`` elements). Sentences are grouped
into articles of 10-40 sentences, each mostly in one language with a few sentences of the other, and
written as ``.md`` files with YAML front matter (title, date spread over 2017-2026, publisher, lang).
The corpus is deterministic: a fixed random seed, the same files on every run.

Then, in this one process, it measures:

(a) reading and extraction only (``kg.read.read_article`` + ``kg.extract.extract_article``);
(b) the full import into a fresh on-disk store (``kg.store.Store`` + ``kg.importer.import_paths``);
(c) the time per extraction stage on a sample (sentence splitting, actor mentions, people, dates,
    triggers and the rest of fact building), as percentages.

Wall and CPU time (``time.process_time``), MB/s and articles/s per core (divided by the number of
processes used: 1), peak RSS so far (``ru_maxrss``) and the store's size on disk. The gazetteer is
loaded (and its mention automaton built) before timing; those one-off costs are reported apart.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import random
import re
import resource
import shlex
import shutil
import sys
import tempfile
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[1]
SEEDS_DIR = ROOT / "data" / "articles"
SEED_FILES = ("000_e23bad62de7aac41.txt", "004_73f0e8a35ad27e31.txt")
EVAL_DIR = Path(os.environ.get("DKG_EVAL_DIR") or ROOT.parent / "shared" / "eval")

RANDOM_SEED = 20250116
KO_SHARE = 0.5  # share of articles written mainly in Korean
MAIN_LANG_SHARE = 0.9  # share of an article's sentences in its main language
SENTENCES = (10, 40)  # sentences per article, inclusive
PARAGRAPH = (1, 4)  # sentences per paragraph, inclusive
FIRST_DAY, LAST_DAY = dt.date(2017, 1, 1), dt.date(2026, 12, 31)
PUBLISHERS = {"ko": ("벤치일보", "가상통신", "시험뉴스"), "en": ("Bench Wire", "Synthetic Herald", "Test Times")}
TITLE_CHARS = 70
DEFAULT_SAMPLE = 100  # articles in the per-stage sample

_TRAILING_COMMA = re.compile(r",(\s*[}\]])")
_KLUE_TAG = re.compile(r"<([^<>]*?):[A-Z]{2}>")
_PETR_TEXT = re.compile(r"<Text>(.*?)</Text>", re.S)


# -- the corpus ---------------------------------------------------------------------------------
def _unique(items: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(s for s in (" ".join(i.split()) for i in items) if s))


def plover_sentences(eval_dir: Path = EVAL_DIR) -> list[str]:
    """The ``text`` fields of PLOVER GSR (JSON with trailing commas, removed first)."""
    raw = (eval_dir / "plover_gsr" / "PLOVER_GSR_CAMEO.txt").read_text(encoding="utf-8")
    records = json.loads(_TRAILING_COMMA.sub(r"\1", raw))
    return _unique(str(r["text"]) for r in records if isinstance(r, dict) and r.get("text"))


def klue_sentences(eval_dir: Path = EVAL_DIR) -> list[str]:
    """The KLUE-NER diplomacy sentences (``id<TAB>tagged sentence``) with ``<x:TAG>`` made ``x``."""
    lines = (eval_dir / "klue_ner" / "diplomacy_sentence_ids.txt").read_text(encoding="utf-8").splitlines()
    tagged = [line.split("\t", 1)[1] for line in lines if line.strip() and not line.startswith("#") and "\t" in line]
    return _unique(_KLUE_TAG.sub(r"\1", s) for s in tagged)


def petrarch_sentences(eval_dir: Path = EVAL_DIR) -> list[str]:
    """The ``<Text>`` elements of the PETRARCH2 unit-test records, one line each."""
    raw = (eval_dir / "petrarch2" / "PETR.UnitTest.records.xml").read_text(encoding="utf-8")
    return _unique(_PETR_TEXT.findall(raw))


def sentence_pools(eval_dir: Path = EVAL_DIR) -> dict[str, list[str]]:
    """Korean and English sentences of the shared evaluation data."""
    return {"ko": klue_sentences(eval_dir), "en": plover_sentences(eval_dir) + petrarch_sentences(eval_dir)}


def _front_matter(meta: dict[str, Any]) -> str:
    return "---\n" + yaml.safe_dump(meta, allow_unicode=True, sort_keys=False, width=1000) + "---\n\n"


def _seed_article(path: Path) -> tuple[str, str]:
    """A seed article as (file name, .md content), its text whole.

    Its own front matter, if any, and its sidecar metadata (which wins, as in the reader) become one
    front matter, so the article reads as the original does.
    """
    from kg.read import META_KEYS, read_sidecar, split_front_matter

    content = path.read_text(encoding="utf-8")
    front, body = split_front_matter(content, path) if content.startswith("---") else ({}, content)
    front.update({k: v for k, v in read_sidecar(path).items() if k in META_KEYS})
    return f"seed_{path.stem}.md", _front_matter(front) + body.lstrip("\n")


def _title(sentence: str) -> str:
    """A prefix of the first sentence, cut at a space: the reader then does not repeat it."""
    if len(sentence) <= TITLE_CHARS:
        return sentence
    cut = sentence.rfind(" ", 0, TITLE_CHARS)
    return sentence[:cut if cut > 20 else TITLE_CHARS].rstrip(" ,;:")


def _draw(rng: random.Random, pool: list[str], k: int) -> list[str]:
    """``k`` sentences of ``pool``: without repeats while the pool lasts."""
    out: list[str] = []
    while len(out) < k:
        out.extend(rng.sample(pool, min(k - len(out), len(pool))))
    return out


def _generated_article(rng: random.Random, index: int, pools: dict[str, list[str]]) -> tuple[str, str]:
    lang = "ko" if rng.random() < KO_SHARE else "en"
    other = "en" if lang == "ko" else "ko"
    count = rng.randint(*SENTENCES)
    n_other = sum(rng.random() >= MAIN_LANG_SHARE for _ in range(count))
    n_other = min(n_other, count - 1)  # the first sentence (the title) is in the main language
    main = _draw(rng, pools[lang], count - n_other)
    foreign = _draw(rng, pools[other], n_other)
    body = main[:1] + rng.sample(main[1:] + foreign, len(main) - 1 + len(foreign))
    paragraphs: list[str] = []
    i = 0
    while i < len(body):
        size = rng.randint(*PARAGRAPH)
        paragraphs.append(" ".join(body[i:i + size]))
        i += size
    day = FIRST_DAY + dt.timedelta(days=rng.randrange((LAST_DAY - FIRST_DAY).days + 1))
    meta = {"title": _title(body[0]), "date": day, "publisher": rng.choice(PUBLISHERS[lang]), "lang": lang}
    return f"bench_{index:05d}_{lang}.md", _front_matter(meta) + "\n\n".join(paragraphs) + "\n"


def build_corpus(out_dir: Path, articles: int = 500, seed: int = RANDOM_SEED, eval_dir: Path = EVAL_DIR,
                 seeds_dir: Path = SEEDS_DIR) -> list[Path]:
    """Write ``articles`` ``.md`` articles into ``out_dir``; return their paths, sorted.

    The two seed articles come first (whole); the rest are made of shared-evaluation sentences.
    The same arguments always give the same files.
    """
    if articles < 1:
        raise ValueError("at least one article")
    out_dir.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    pools = sentence_pools(eval_dir)
    files: dict[str, str] = {}
    for name in SEED_FILES[:articles]:
        file_name, content = _seed_article(seeds_dir / name)
        files[file_name] = content
    for index in range(articles - len(files)):
        file_name, content = _generated_article(rng, index, pools)
        files[file_name] = content
    if len(files) != articles:
        raise RuntimeError("article names must be unique")
    paths = []
    for file_name, content in files.items():
        path = out_dir / file_name
        path.write_text(content, encoding="utf-8")
        paths.append(path)
    return sorted(paths)


# -- measuring ----------------------------------------------------------------------------------
def peak_rss_mb() -> float:
    """Peak resident set size of this process so far, in MB (``ru_maxrss`` is KB on Linux)."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


def _dir_bytes(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


class _Clock:
    """Wall and CPU time of a block."""

    def __enter__(self) -> _Clock:
        self.wall0, self.cpu0 = time.perf_counter(), time.process_time()
        return self

    def __exit__(self, *_: object) -> None:
        self.wall = time.perf_counter() - self.wall0
        self.cpu = time.process_time() - self.cpu0


def _rates(clock: _Clock, megabytes: float, articles: int, jobs: int) -> dict[str, float]:
    return {
        "wall_s": clock.wall,
        "cpu_s": clock.cpu,
        "mb_per_s_per_core": megabytes / clock.wall / jobs,
        "articles_per_s_per_core": articles / clock.wall / jobs,
        "ms_per_article": 1000 * clock.wall * jobs / articles,
        "peak_rss_mb": peak_rss_mb(),
    }


def warm_up() -> dict[str, float]:
    """Load the gazetteer and build the mention automaton, timing each, so later timings exclude them."""
    from kg import gazetteer
    from kg.extract import mentions

    with _Clock() as load:
        gaz = gazetteer.load()
    with _Clock() as automaton:
        mentions.MentionFinder(gaz)
    with _Clock() as warm:  # the cached instances the extractor uses
        mentions.finder_for(gazetteer.default())
    return {"gazetteer_load_s": load.wall, "mention_automaton_s": automaton.wall, "warm_up_s": warm.wall}


def measure_extract(files: list[Path], megabytes: float, jobs: int = 1) -> dict[str, Any]:
    """(a) Read and extract every file; nothing is stored."""
    from kg.extract import extract_article
    from kg.gazetteer import default
    from kg.read import read_article

    gaz = default()
    facts = 0
    langs: dict[str, int] = {}
    with _Clock() as clock:
        for path in files:
            x = extract_article(read_article(path), gaz)
            facts += len(x.meetings) + len(x.agreements) + len(x.relations)
            langs[x.article.lang] = langs.get(x.article.lang, 0) + 1
    return {**_rates(clock, megabytes, len(files), jobs), "articles": len(files), "facts": facts, "langs": langs}


def measure_import(corpus: Path, files: list[Path], megabytes: float, store_parent: Path | None,
                   jobs: int = 1, keep: bool = False) -> dict[str, Any]:
    """(b) Import the corpus into a fresh on-disk store; reference graphs (ontology, gazetteer) timed apart."""
    from kg.gazetteer import default
    from kg.importer import ensure_reference_graphs, import_paths
    from kg.store import Store

    gaz = default()
    if store_parent is not None:
        store_parent.mkdir(parents=True, exist_ok=True)
    store_dir = Path(tempfile.mkdtemp(prefix="dkg-bench-store-", dir=store_parent))
    try:
        with _Clock() as total:
            with Store(store_dir) as store:
                with _Clock() as reference:
                    ensure_reference_graphs(store, gaz)
                with _Clock() as articles:
                    reports = import_paths(store, [corpus], gazetteer=gaz)
                quads = store.count()
        statuses = [r.status for r in reports]
        figures = {
            **_rates(total, megabytes, len(files), jobs),
            "articles_only": _rates(articles, megabytes, len(files), jobs),
            "reference_graphs_s": reference.wall,
            "imported": statuses.count("imported"),
            "failed": statuses.count("failed"),
            "triples": sum(r.triples for r in reports),
            "quads_in_store": quads,
            "store_mb": _dir_bytes(store_dir) / 1e6,
            "store_path": str(store_dir) if keep else "",
        }
    finally:
        if not keep:
            shutil.rmtree(store_dir, ignore_errors=True)
    return figures


def measure_stages(files: list[Path]) -> dict[str, Any]:
    """(c) Time each extraction stage on ``files``; return seconds and percentages of read + extract."""
    from kg.extract import extract_article
    from kg.extract.dates import find_dates
    from kg.extract.mentions import finder_for
    from kg.extract.people import find_people
    from kg.extract.triggers import find_triggers
    from kg.gazetteer import default
    from kg.read import read_article
    from kg.text import split_sentences

    gaz = default()
    finder = finder_for(gaz)
    seconds = dict.fromkeys(("read", "split_sentences", "mentions", "people", "dates", "triggers"), 0.0)

    def timed(stage: str, call: Callable[[], Any]) -> Any:
        start = time.perf_counter()
        result = call()
        seconds[stage] += time.perf_counter() - start
        return result

    articles = [timed("read", lambda p=path: read_article(p)) for path in files]
    n_sentences = 0
    for article in articles:
        for sentence in timed("split_sentences", lambda a=article: split_sentences(a.text)):
            n_sentences += 1
            found = timed("mentions", lambda s=sentence: finder.find(s.text))
            timed("people", lambda s=sentence, m=found: find_people(s, m, gaz))
            timed("dates", lambda s=sentence, a=article: find_dates(s.text, a.date))
            timed("triggers", lambda s=sentence: find_triggers(s.text))
    with _Clock() as whole:
        for article in articles:
            extract_article(article, gaz)
    stage_sum = sum(v for k, v in seconds.items() if k != "read")
    seconds["other_extraction"] = max(0.0, whole.wall - stage_sum)  # contexts, fact building, discourse
    total = seconds["read"] + max(whole.wall, stage_sum)
    return {
        "articles": len(files),
        "sentences": n_sentences,
        "extract_s": whole.wall,
        "seconds": seconds,
        "percent": {k: 100 * v / total for k, v in seconds.items()},
    }


def measure_import_steps(files: list[Path], store_parent: Path | None) -> dict[str, Any]:
    """The steps of an import (``kg.importer.BatchImporter``) on ``files``, timed one by one into a fresh store.

    Read, unchanged check, extract and build RDF are timed per article; the store write per batch
    (``Store.replace_graphs``: term conversion and one write, all or none), with the importer's batch sizes
    for this store.
    """
    from rdflib import URIRef

    from kg import build, iris
    from kg.extract import extract_article
    from kg.gazetteer import default
    from kg.importer import BATCH_ARTICLES, BATCH_TRIPLES
    from kg.read import read_article
    from kg.store import Store
    from kg.vocab import DIP

    gaz = default()
    seconds = dict.fromkeys(("read", "extract", "build_rdf", "unchanged_check", "store_write"), 0.0)
    store_dir = Path(tempfile.mkdtemp(prefix="dkg-bench-steps-", dir=store_parent))
    try:
        with Store(store_dir) as store:
            pending: dict[URIRef, set[build.Triple]] = {}
            batch_articles, batch_triples = store.batch_size(BATCH_ARTICLES, BATCH_TRIPLES)

            def write() -> None:
                start = time.perf_counter()
                store.replace_graphs(pending)
                seconds["store_write"] += time.perf_counter() - start
                pending.clear()

            for path in files:
                t0 = time.perf_counter()
                article = read_article(path)
                t1 = time.perf_counter()
                graph_iri = iris.article_graph(article.source)
                store.graph_hash(graph_iri, iris.article(article.source), DIP.contentHash)
                build.article_hash(article)
                t2 = time.perf_counter()
                extraction = extract_article(article, gaz)
                t3 = time.perf_counter()
                pending[graph_iri] = build.article_graph(extraction, gaz)
                t4 = time.perf_counter()
                for stage, spent in zip(("read", "extract", "build_rdf", "unchanged_check"),
                                        (t1 - t0, t3 - t2, t4 - t3, t2 - t1), strict=True):
                    seconds[stage] += spent
                if len(pending) >= batch_articles or sum(map(len, pending.values())) >= batch_triples:
                    write()
            if pending:
                write()
    finally:
        shutil.rmtree(store_dir, ignore_errors=True)
    total = sum(seconds.values())
    return {"articles": len(files), "total_s": total, "seconds": seconds,
            "percent": {k: 100 * v / total for k, v in seconds.items()}}


def measure(corpus: Path, store_parent: Path | None = None, jobs: int = 1, sample: int = DEFAULT_SAMPLE,
            keep: bool = False) -> dict[str, Any]:
    """Every figure for the corpus in ``corpus``, measured in this process."""
    if jobs != 1:
        raise ValueError("only one process is measured (--jobs 1)")
    from kg.read import iter_article_files

    files = list(iter_article_files([corpus]))
    size = sum(p.stat().st_size for p in files)
    megabytes = size / 1e6
    warm = warm_up()
    extract = measure_extract(files, megabytes, jobs)
    step = max(1, len(files) // max(1, sample))
    figures: dict[str, Any] = {
        "corpus": {"articles": len(files), "bytes": size, "mb": megabytes,
                   "ko_articles": extract["langs"].get("ko", 0), "en_articles": extract["langs"].get("en", 0)},
        "jobs": jobs,
        "warm_up": warm,
        "extract": extract,
        "import": measure_import(corpus, files, megabytes, store_parent, jobs, keep),
        "stages": measure_stages(files[::step][:sample]),
        "import_steps": measure_import_steps(files[::step][:sample], store_parent),
    }
    return figures


# -- reporting ----------------------------------------------------------------------------------
def environment() -> dict[str, str]:
    """Where the figures were measured."""
    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text(encoding="utf-8").splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {"python": platform.python_version(), "platform": platform.platform(), "cpu": cpu or platform.processor(),
            "cpus": str(os.cpu_count())}


def format_table(figures: dict[str, Any]) -> str:
    """The figures as a plain-text table."""
    c, w, x, i = figures["corpus"], figures["warm_up"], figures["extract"], figures["import"]
    env = figures.get("environment", {})
    a, s = i["articles_only"], figures["stages"]
    lines = [
        f"command      {figures.get('command', '')}",
        f"machine      {env.get('cpu', '')} ({env.get('cpus', '?')} CPUs), Python {env.get('python', '')}",
        f"corpus       {c['articles']} articles ({c['ko_articles']} mainly Korean, {c['en_articles']} mainly English),"
        f" {c['mb']:.2f} MB",
        f"processes    {figures['jobs']} (per core = divided by {figures['jobs']})",
        f"warm-up      gazetteer load {w['gazetteer_load_s'] * 1000:.0f} ms, mention automaton"
        f" {w['mention_automaton_s'] * 1000:.0f} ms (not in the timings below)",
        "",
        f"{'phase':<34}{'wall s':>9}{'CPU s':>9}{'MB/s/core':>11}{'art/s/core':>12}{'ms/art':>9}{'peak RSS MB':>13}",
    ]
    rows = [("(a) read + extract", x), ("(b) import, total", i),
            ("    of which articles", a)]
    for label, r in rows:
        lines.append(f"{label:<34}{r['wall_s']:>9.2f}{r['cpu_s']:>9.2f}{r['mb_per_s_per_core']:>11.3f}"
                     f"{r['articles_per_s_per_core']:>12.1f}{r['ms_per_article']:>9.1f}{r['peak_rss_mb']:>13.0f}")
    lines += [
        f"{'    of which reference graphs':<34}{i['reference_graphs_s']:>9.2f}",
        "",
        f"import       {i['imported']} imported, {i['failed']} failed, {i['triples']} triples,"
        f" {i['quads_in_store']} quads in store, store on disk {i['store_mb']:.1f} MB"
        + (f" ({i['store_path']})" if i.get("store_path") else ""),
        f"extraction   {x['facts']} facts (meetings + agreements + relations)",
        "",
        f"(c) stages on a sample of {s['articles']} articles, {s['sentences']} sentences"
        f" (extraction {s['extract_s']:.2f} s):",
    ]
    for stage, pct in sorted(s["percent"].items(), key=lambda kv: -kv[1]):
        lines.append(f"    {stage:<20}{s['seconds'][stage] * 1000:>9.1f} ms{pct:>7.1f} %")
    steps = figures.get("import_steps")
    if steps:
        lines += ["", f"import steps on the same sample ({steps['articles']} articles, {steps['total_s']:.2f} s):"]
        for stage, pct in sorted(steps["percent"].items(), key=lambda kv: -kv[1]):
            lines.append(f"    {stage:<20}{steps['seconds'][stage] * 1000:>9.1f} ms{pct:>7.1f} %")
    return "\n".join(lines)


def _command(argv: list[str]) -> str:
    exe = sys.executable
    try:
        rel = os.path.relpath(exe)
        exe = rel if not rel.startswith("..") else exe
    except ValueError:
        pass
    script = argv[0]
    return shlex.join([exe, script, *argv[1:]])


def main(argv: list[str] | None = None) -> int:
    """Build the corpus, measure, print."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0])
    parser.add_argument("--articles", type=int, default=500, help="articles in the corpus (default 500)")
    parser.add_argument("--jobs", type=int, default=1, choices=[1], help="processes used (only 1 is measured)")
    parser.add_argument("--store-dir", type=Path, default=None,
                        help="folder in which the fresh store is created (default: the system temp folder)")
    parser.add_argument("--sample", type=int, default=DEFAULT_SAMPLE, help="articles in the per-stage sample")
    parser.add_argument("--seed", type=int, default=RANDOM_SEED, help="random seed of the corpus")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON too")
    parser.add_argument("--keep", action="store_true", help="keep the corpus and store folders")
    args = parser.parse_args(argv)
    if not (EVAL_DIR / "plover_gsr").is_dir():
        print(f"shared evaluation data not found in {EVAL_DIR} (set DKG_EVAL_DIR)", file=sys.stderr)
        return 2
    command = _command([sys.argv[0], *(sys.argv[1:] if argv is None else argv)])
    corpus = Path(tempfile.mkdtemp(prefix="dkg-bench-corpus-"))
    try:
        with _Clock() as build:
            build_corpus(corpus, args.articles, args.seed)
        figures = measure(corpus, args.store_dir, args.jobs, args.sample, args.keep)
    finally:
        if not args.keep:
            shutil.rmtree(corpus, ignore_errors=True)
    figures["command"] = command
    figures["environment"] = environment()
    figures["corpus"]["build_s"] = build.wall
    figures["corpus"]["path"] = str(corpus) if args.keep else ""
    print(format_table(figures))
    if args.json:
        print(json.dumps(figures, indent=2, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
