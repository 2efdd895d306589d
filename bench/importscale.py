"""Import at scale: ``dkg import`` of 1k-100k articles of JSON lines (gzip), timed from outside.

Not a test: it prints figures and asserts nothing about time. Usage (from the project folder)::

    .venv/bin/python -m bench.importscale [--articles 1000 10000 100000] [--jobs-list 1 2]
        [--corpus-dir DIR] [--store-dir DIR] [--per-file 10000] [--seed N] [--json] [--keep]
        [--time-limit-s S] [--rss-limit-mb MB] [--no-fixed-cost]

The corpus is built from real text, deterministically (fixed seed): the two seed articles of
``data/articles`` (whole, with their own metadata) and articles of 10-40 sentences drawn from the
sentence pools of ``bench/speed.py`` (read where they lie in ``../shared/eval``), each with its own
id, title, url and date (spread over 2017-2026), so that no two are "unchanged" duplicates. It is
written as gzip-compressed JSON lines, the news-dump format: one article a line, ``--per-file``
articles a file.

For each size and each ``--jobs`` value, ``dkg import`` runs as a child process into a fresh on-disk
store, with ``--jobs N --no-progress`` when ``dkg import --help`` lists those options (without them
otherwise: then only one process is measured and the jobs figures are unavailable). Measured: wall
time, CPU time of the child and its workers, MB/s of article text (UTF-8 bytes of the
``text`` fields, uncompressed) and articles/s (per core = divided by the jobs), the peak memory of
the process tree (its resident sets summed, read from ``/proc`` every 0.2 s, so worker processes
count; and their proportional sets, which count shared pages once, every 5 s), the largest single
process (``ru_maxrss``), the store's size on disk, its quads and named graphs, the exit code, and
whether every article was imported (the end summary line ``N articles: X imported, Y unchanged, Z
failed``). An import that passes ``--time-limit-s`` or ``--rss-limit-mb`` is killed (with its
workers) and reported as stopped, with its rates over the articles it had done. First, an import of
one article gives the fixed cost (start-up, gazetteer, reference graphs).
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import gzip
import hashlib
import itertools
import json
import os
import random
import re
import shlex
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

if not __package__:  # run as a script: make ``bench`` importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench import speed  # noqa: E402

ROOT = speed.ROOT
DEFAULT_SIZES = (1000, 10_000, 100_000)
DEFAULT_JOBS = (1, 2)
PER_FILE = 10_000  # articles a JSON lines file
DATE_STRIDE = 2741  # days between consecutive articles' dates, mod the span: prime, coprime with 3652
POLL_S = 0.2  # how often the resident sets of the child's process tree are read
TREE_EVERY_S = 1.0  # how often the child's descendants are listed (worker processes start and stop)
PSS_EVERY_S = 5.0  # how often their proportional sets are read
_PAGE_KB = os.sysconf("SC_PAGE_SIZE") // 1024 if hasattr(os, "sysconf") else 4
_TICKS = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100
CORPUS_VERSION = 1  # bump when the corpus changes, so that a kept corpus is rebuilt
URL = "https://bench.example/{lang}/{id}"
DEFAULT_RSS_LIMIT_MB = 12_000.0  # an import is killed beyond this (or half the memory): other jobs share the machine
GOAL_MB_PER_S_PER_CORE = 1.0
GOAL_100K_S = 600.0
GOAL_100K_RSS_MB = 2048.0
_SUMMARY = re.compile(r"^(\d+) articles: (\d+) imported, (\d+) unchanged, (\d+) failed(?: in ([\d.]+) s)?")
_TRIPLES = re.compile(r"\((\d+) triples\)")


# -- the corpus ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class Corpus:
    """A built corpus: its folder, files, and sizes."""

    folder: Path
    files: tuple[Path, ...]
    articles: int
    text_bytes: int  # UTF-8 bytes of the articles' text fields, uncompressed
    gz_bytes: int  # bytes on disk, compressed
    build_s: float = 0.0
    reused: bool = False

    @property
    def text_mb(self) -> float:
        return self.text_bytes / 1e6


def _seed_record(path: Path) -> dict[str, Any]:
    """A seed article as a JSON lines record: its text as the reader reads it, its own metadata."""
    from kg.read import read_article

    article = read_article(path)
    return {"id": f"seed-{path.stem}", "title": article.title,
            "date": article.date.isoformat() if article.date else None, "url": article.url,
            "publisher": article.publisher, "lang": article.lang, "text": article.text}


def _generated_record(rng: random.Random, index: int, first_day: int, pools: dict[str, list[str]],
                      titles: dict[str, int]) -> dict[str, Any]:
    """One article of pool sentences, mostly in one language, as in ``bench/speed.py``."""
    lang = "ko" if rng.random() < speed.KO_SHARE else "en"
    other = "en" if lang == "ko" else "ko"
    count = rng.randint(*speed.SENTENCES)
    n_other = min(sum(rng.random() >= speed.MAIN_LANG_SHARE for _ in range(count)), count - 1)
    main = speed._draw(rng, pools[lang], count - n_other)
    foreign = speed._draw(rng, pools[other], n_other)
    body = main[:1] + rng.sample(main[1:] + foreign, len(main) - 1 + len(foreign))
    paragraphs: list[str] = []
    i = 0
    while i < len(body):
        size = rng.randint(*speed.PARAGRAPH)
        paragraphs.append(" ".join(body[i:i + size]))
        i += size
    span = (speed.LAST_DAY - speed.FIRST_DAY).days + 1
    day = speed.FIRST_DAY + dt.timedelta(days=(first_day + index * DATE_STRIDE) % span)
    title = speed._title(body[0])
    seen = titles.get(title, 0)
    titles[title] = seen + 1
    ident = f"bench-{index:06d}"
    return {"id": ident, "title": f"{title} ({seen + 1})" if seen else title, "date": day.isoformat(),
            "url": URL.format(lang=lang, id=ident), "publisher": rng.choice(speed.PUBLISHERS[lang]),
            "lang": lang, "text": "\n\n".join(paragraphs) + "\n"}


def corpus_records(articles: int, seed: int = speed.RANDOM_SEED, eval_dir: Path = speed.EVAL_DIR,
                   seeds_dir: Path = speed.SEEDS_DIR) -> Iterator[dict[str, Any]]:
    """The corpus's articles as JSON lines records, in order: the seeds, then generated ones.

    Dates go ``DATE_STRIDE`` days on from one article to the next (modulo 2017-2026, from a random
    start): the first 3,652 are all different, and any run of them is spread over the years. A title
    already used gets `` (N)`` appended. The same arguments always give the same records.
    """
    if articles < 1:
        raise ValueError("at least one article")
    rng = random.Random(seed)
    pools = speed.sentence_pools(eval_dir)
    first_day = rng.randrange((speed.LAST_DAY - speed.FIRST_DAY).days + 1)
    seeds = speed.SEED_FILES[:articles]
    for name in seeds:
        yield _seed_record(seeds_dir / name)
    titles: dict[str, int] = {}
    for index in range(articles - len(seeds)):
        yield _generated_record(rng, index, first_day, pools, titles)


def _gzip_writer(raw: BinaryIO) -> gzip.GzipFile:
    """A gzip writer whose bytes depend only on what is written (no file name or time in the header)."""
    return gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0, compresslevel=6)


def build_corpus(out_dir: Path, articles: int, seed: int = speed.RANDOM_SEED, per_file: int = PER_FILE,
                 eval_dir: Path = speed.EVAL_DIR, seeds_dir: Path = speed.SEEDS_DIR) -> Corpus:
    """Write ``articles`` articles as ``news-NNN.jsonl.gz`` files of ``per_file`` lines into ``out_dir``.

    A ``corpus.json`` manifest records what was built; when it matches the arguments and the files
    are there, the corpus is reused, not rebuilt.
    """
    manifest_path = out_dir / "corpus.json"
    wanted = {"version": CORPUS_VERSION, "articles": articles, "seed": seed, "per_file": per_file}
    try:
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        manifest = {}
    if manifest and all(manifest.get(k) == v for k, v in wanted.items()):
        files = tuple(out_dir / name for name in manifest["files"])
        if all(f.is_file() for f in files):
            return Corpus(out_dir, files, articles, manifest["text_bytes"], sum(f.stat().st_size for f in files),
                          reused=True)
    start = time.perf_counter()
    out_dir.mkdir(parents=True, exist_ok=True)
    manifest_path.unlink(missing_ok=True)
    for old in out_dir.glob("news-*.jsonl.gz"):
        old.unlink()
    files_list: list[Path] = []
    text_bytes = 0
    records = corpus_records(articles, seed, eval_dir, seeds_dir)
    for first in range(0, articles, per_file):
        files_list.append(out_dir / f"news-{first // per_file:03d}.jsonl.gz")
        with files_list[-1].open("wb") as raw, _gzip_writer(raw) as writer:
            for record in itertools.islice(records, per_file):
                text_bytes += len(record["text"].encode("utf-8"))
                writer.write(json.dumps(record, ensure_ascii=False).encode("utf-8") + b"\n")
    files = tuple(files_list)
    manifest_path.write_text(json.dumps({**wanted, "text_bytes": text_bytes, "files": [f.name for f in files]},
                                        indent=1) + "\n", encoding="utf-8")
    return Corpus(out_dir, files, articles, text_bytes, sum(f.stat().st_size for f in files),
                  build_s=time.perf_counter() - start)


# -- the child's memory -------------------------------------------------------------------------
def _tree(pid: int) -> dict[int, float]:
    """``pid`` and every process below it, each with its CPU seconds so far, from ``/proc/*/stat`` (Linux)."""
    children: dict[int, list[int]] = {}
    cpu: dict[int, float] = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat", "rb") as f:
                stat = f.read()
        except OSError:
            continue
        fields = stat[stat.rfind(b")") + 2:].split()  # state, ppid, ...: utime and stime are the 12th and 13th
        children.setdefault(int(fields[1]), []).append(int(entry.name))
        cpu[int(entry.name)] = (int(fields[11]) + int(fields[12])) / _TICKS
    found: dict[int, float] = {}
    todo = [pid]
    while todo:
        p = todo.pop()
        found[p] = cpu.get(p, 0.0)
        todo.extend(children.get(p, ()))
    return found


def _kill_tree(pid: int) -> None:
    """Kill ``pid`` and its descendants (workers first: orphaned, they would linger)."""
    for p in reversed(list(_tree(pid))):
        with contextlib.suppress(OSError):
            os.kill(p, signal.SIGKILL)


def _rss_kb(pid: int) -> int | None:
    """Resident set size of one process, in KB (``/proc/PID/statm``: cheap whatever the process's size)."""
    try:
        with open(f"/proc/{pid}/statm", "rb") as f:
            return int(f.read().split()[1]) * _PAGE_KB
    except (OSError, IndexError, ValueError):
        return None


def _pss_kb(pid: int) -> int | None:
    """Proportional set size of one process, in KB (``/proc/PID/smaps_rollup``: the kernel walks the
    process's page tables, about 0.1 s for 1.5 GB, so it is read only every ``PSS_EVERY_S``)."""
    try:
        with open(f"/proc/{pid}/smaps_rollup", "rb") as f:
            for line in f:
                if line.startswith(b"Pss:"):
                    return int(line.split()[1])
    except (OSError, IndexError, ValueError):
        return None
    return None


@dataclass
class TreeMemory:
    """Watches a running import until stopped: the memory of its process tree, and how far it got.

    The resident sets are read every ``interval`` seconds, the list of descendants every
    ``TREE_EVERY_S`` and the proportional sets every ``PSS_EVERY_S`` (a full scan of ``/proc`` and
    ``smaps_rollup`` cost too much to run five times a second beside the import on two cores); the
    lines the import has written to ``output`` (one an article) are counted every ``TREE_EVERY_S``.
    The import is killed when its resident sets pass ``limit_kb`` or it has run ``time_limit_s``.
    """

    pid: int
    output: Path | None = None
    interval: float = POLL_S
    limit_kb: int = 0  # when the tree's resident sets pass this, its processes are killed (0: no limit)
    time_limit_s: float = 0.0  # when the import has run this long, it is killed (0: no limit)
    peak_rss_kb: int = 0
    peak_pss_kb: int = 0
    peak_processes: int = 0
    stopped: str = ""  # why the import was killed: "memory" or "time"
    samples: list[tuple[float, int, int]] = field(default_factory=list)  # (seconds, rss KB, output lines)
    available: bool = os.path.exists(f"/proc/{os.getpid()}/statm")
    cpu_by_pid: dict[int, float] = field(default_factory=dict)  # CPU seconds of each process, last seen
    _lines: int = 0
    _offset: int = 0
    _stop: threading.Event = field(default_factory=threading.Event)
    _thread: threading.Thread | None = None

    def start(self) -> TreeMemory:
        if self.available or self.time_limit_s:
            self._thread = threading.Thread(target=self._run, daemon=True)
            self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join()

    def _count_lines(self) -> None:
        if self.output is None:
            return
        try:
            with self.output.open("rb") as f:
                f.seek(self._offset)
                chunk = f.read()
        except OSError:
            return
        self._offset += len(chunk)
        self._lines += chunk.count(b"\n")

    def _kill(self, why: str) -> None:
        if not self.stopped:
            self.stopped = why
            _kill_tree(self.pid)

    def _run(self) -> None:
        start = time.perf_counter()
        tree_at = pss_at = -1e9
        pids: list[int] = []
        while not self._stop.is_set():
            now = time.perf_counter() - start
            if self.time_limit_s and now > self.time_limit_s:
                self._kill("time")
            if now - tree_at >= TREE_EVERY_S:
                tree = _tree(self.pid) if self.available else {}
                self.cpu_by_pid.update(tree)
                pids, tree_at = list(tree), now
                self._count_lines()
            sizes = [s for s in map(_rss_kb, pids) if s is not None]
            if sizes:
                self.peak_rss_kb = max(self.peak_rss_kb, sum(sizes))
                if self.limit_kb and sum(sizes) > self.limit_kb:
                    self._kill("memory")
                self.peak_processes = max(self.peak_processes, len(sizes))
                self.samples.append((now, sum(sizes), self._lines))
            if now - pss_at >= PSS_EVERY_S and pids:
                self.peak_pss_kb = max(self.peak_pss_kb, sum(p for p in map(_pss_kb, pids) if p is not None))
                pss_at = now
            self._stop.wait(self.interval)

    def rss_growth(self) -> float:
        """MB of tree RSS per 1,000 output lines (articles), fitted over the second half of the lines
        written (least squares; the last samples, taken as the processes end, left out); 0 when unknown."""
        samples = [(n, rss / 1024) for _, rss, n in self.samples[:-5] if n > 0]
        if len(samples) < 10:
            return 0.0
        half = samples[-1][0] / 2
        xs, ys = zip(*[(n, mb) for n, mb in samples if n >= half], strict=True)
        mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
        var = sum((x - mx) ** 2 for x in xs)
        return 1000 * sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / var if var else 0.0

    def timeline(self, points: int = 20) -> list[tuple[float, float, int]]:
        """About ``points`` (seconds, tree RSS MB, lines written) triples, evenly spaced over the run."""
        step = max(1, len(self.samples) // points)
        picked = self.samples[::step] + self.samples[-1:]
        return [(round(t, 1), round(rss / 1024, 1), lines) for t, rss, lines in picked]


# -- one import ---------------------------------------------------------------------------------
def _memory_mb() -> float:
    """The machine's memory in MB (``MemTotal``), or infinity when unknown."""
    try:
        for line in Path("/proc/meminfo").read_text(encoding="ascii").splitlines():
            if line.startswith("MemTotal:"):
                return int(line.split()[1]) / 1024
    except (OSError, ValueError, IndexError):
        pass
    return float("inf")


def code_version() -> str:
    """A digest of the library's source (``kg/**/*.py``) and the time of its latest change.

    The working tree may change between runs (no commit to name): this tells which runs ran the same code.
    """
    h = hashlib.sha256()
    latest = 0.0
    for path in sorted((ROOT / "kg").rglob("*.py")):
        h.update(path.relative_to(ROOT).as_posix().encode() + b"\0" + path.read_bytes())
        latest = max(latest, path.stat().st_mtime)
    changed = dt.datetime.fromtimestamp(latest, dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    return f"{h.hexdigest()[:12]} (changed {changed})"


def dkg_command() -> list[str]:
    """How to run ``dkg``: the console script beside this Python, else the CLI module."""
    script = Path(sys.executable).with_name("dkg")
    if script.is_file():
        return [str(script)]
    return [sys.executable, "-c", "from kg.cli import main; main()"]


def import_options() -> set[str]:
    """The options ``dkg import --help`` lists."""
    done = subprocess.run([*dkg_command(), "import", "--help"], capture_output=True, text=True, check=False)
    return set(re.findall(r"--[a-z][a-z-]*", done.stdout))


@dataclass
class ImportRun:
    """The figures of one ``dkg import`` run."""

    articles: int
    jobs: int
    jobs_option: bool  # False: ``--jobs`` not available, one process ran
    command: str
    text_mb: float
    load_before: float = 0.0  # the machine's 1-minute load average as the import starts, and as it ends
    load_after: float = 0.0
    code: str = ""  # the library's code as the import starts (``code_version``): others may be editing it
    exit_code: int = -1
    wall_s: float = 0.0
    cpu_s: float = 0.0
    own_s: float = 0.0  # the time dkg's summary line reports (from its start of importing; 0: not reported)
    peak_rss_tree_mb: float = 0.0  # resident sets of the process and its descendants, summed
    peak_pss_tree_mb: float = 0.0  # proportional sets summed (shared pages counted once)
    peak_rss_single_mb: float = 0.0  # ru_maxrss: the largest single process
    processes: int = 0  # most processes alive at once
    reported: int = 0
    lines: int = 0  # article lines printed (imported, unchanged, FAILED): how far a stopped import got
    stopped: str = ""  # killed: "memory" (over the RSS limit) or "time" (over the time limit)
    imported: int = 0
    unchanged: int = 0
    failed: int = 0
    summary_found: bool = False
    article_triples: int = 0  # summed over the "imported" lines
    quads: int = 0
    graphs: int = 0
    store_mb: float = 0.0  # disk usage (du) of the store folder
    count_s: float = 0.0  # time to open the store and count its quads and graphs afterwards
    failures: list[str] = field(default_factory=list)  # the first few FAILED lines
    stderr_tail: str = ""
    rss_growth_mb: float = 0.0  # tree RSS MB per 1,000 articles, over the second half of the run
    rss_timeline: list[tuple[float, float, int]] = field(default_factory=list)  # (s, tree RSS MB, lines)
    store_path: str = ""

    @property
    def cores(self) -> int:
        return self.jobs if self.jobs_option else 1

    @property
    def done(self) -> int:
        """Articles done: all of them, or for an import stopped early the article lines it printed."""
        return self.articles if self.summary_found else min(self.lines, self.articles)

    @property
    def done_mb(self) -> float:
        """Text of the articles done (for a stopped import, pro rata: the corpus's articles are alike)."""
        return self.text_mb * self.done / self.articles if self.articles else 0.0

    @property
    def mb_per_s(self) -> float:
        return self.done_mb / self.wall_s if self.wall_s else 0.0

    @property
    def mb_per_cpu_s(self) -> float:
        """Text per CPU second of dkg and its workers: the per-core speed, less sensitive to other jobs."""
        return self.done_mb / self.cpu_s if self.cpu_s else 0.0

    @property
    def articles_per_s(self) -> float:
        return self.done / self.wall_s if self.wall_s else 0.0

    @property
    def all_imported(self) -> bool:
        return self.exit_code == 0 and self.summary_found and self.imported == self.articles == self.reported

    def as_dict(self) -> dict[str, Any]:
        return {**asdict(self), "cores": self.cores, "mb_per_s": self.mb_per_s,
                "mb_per_s_per_core": self.mb_per_s / self.cores,
                "mb_per_cpu_s": self.mb_per_cpu_s, "articles_per_s": self.articles_per_s,
                "articles_per_s_per_core": self.articles_per_s / self.cores, "all_imported": self.all_imported,
                "done": self.done, "done_mb": self.done_mb}


def _du_mb(folder: Path) -> float:
    """Disk usage of ``folder`` (allocated blocks, as ``du``), in MB."""
    return sum(p.stat().st_blocks * 512 for p in folder.rglob("*") if p.is_file()) / 1e6


def _read_output(run: ImportRun, stdout: Path) -> None:
    """Fill the counts from the import's output: its summary line, its per-article lines."""
    with stdout.open(encoding="utf-8", errors="replace") as f:
        for line in f:
            if line.startswith(("imported ", "unchanged ", "FAILED ")):
                run.lines += 1
            if line.startswith("imported "):
                found = _TRIPLES.search(line)
                run.article_triples += int(found.group(1)) if found else 0
            elif line.startswith("FAILED") and len(run.failures) < 5:
                run.failures.append(line.rstrip("\n"))
            else:
                summary = _SUMMARY.match(line)
                if summary:
                    run.reported, run.imported, run.unchanged, run.failed = map(int, summary.groups()[:4])
                    run.own_s = float(summary.group(5)) if summary.group(5) else 0.0
                    run.summary_found = True


def _count_store(run: ImportRun, store_dir: Path) -> None:
    from kg.store import Store

    start = time.perf_counter()
    with Store(store_dir) as store:
        run.quads = store.count()
        run.graphs = len(store.graphs())
    run.count_s = time.perf_counter() - start


def run_import(corpus: Corpus, jobs: int, work_dir: Path, options: set[str], keep: bool = False,
               rss_limit_mb: float = 0, time_limit_s: float = 0) -> ImportRun:
    """Run ``dkg import`` on ``corpus`` into a fresh store under ``work_dir``; measure it from outside.

    An import whose process tree's resident sets pass ``rss_limit_mb``, or that runs longer than
    ``time_limit_s`` (0: no limit), is killed, so that it cannot take the machine's memory or the
    session's time; its figures then say how far it got.
    """
    name = f"{corpus.articles}-j{jobs}"
    store_dir = work_dir / f"store-{name}"
    shutil.rmtree(store_dir, ignore_errors=True)
    jobs_option = "--jobs" in options
    command = [*dkg_command(), "--store", str(store_dir), "import", str(corpus.folder)]
    if jobs_option:
        command += ["--jobs", str(jobs)]
    if "--no-progress" in options:
        command.append("--no-progress")
    run = ImportRun(corpus.articles, jobs, jobs_option, shlex.join(command), corpus.text_mb,
                    load_before=os.getloadavg()[0], code=code_version())
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DKG_ENDPOINT", "DKG_UPDATE", "DKG_GSP"))}
    stdout, stderr = work_dir / f"import-{name}.out", work_dir / f"import-{name}.err"
    with stdout.open("wb") as out, stderr.open("wb") as err:
        start = time.perf_counter()
        child = subprocess.Popen(command, stdout=out, stderr=err, env=env, cwd=ROOT)
        memory = TreeMemory(child.pid, stdout, limit_kb=int(rss_limit_mb * 1024), time_limit_s=time_limit_s).start()
        try:
            _, status, usage = os.wait4(child.pid, 0)
        except BaseException:  # interrupted: stop the import and its workers before going
            _kill_tree(child.pid)
            child.wait()
            memory.stop()
            raise
        run.wall_s = time.perf_counter() - start
        memory.stop()
    run.load_after = os.getloadavg()[0]
    child.returncode = run.exit_code = os.waitstatus_to_exitcode(status)
    # rusage counts the workers only once dkg has reaped them (not when it was killed): the /proc samples do
    run.cpu_s = max(usage.ru_utime + usage.ru_stime, sum(memory.cpu_by_pid.values()))
    run.peak_rss_single_mb = usage.ru_maxrss / 1024
    run.peak_rss_tree_mb = memory.peak_rss_kb / 1024 if memory.available else run.peak_rss_single_mb
    run.peak_pss_tree_mb = memory.peak_pss_kb / 1024
    run.processes = memory.peak_processes
    run.stopped = memory.stopped
    run.rss_timeline = memory.timeline()
    run.rss_growth_mb = memory.rss_growth()
    _read_output(run, stdout)
    run.stderr_tail = "\n".join(stderr.read_text(encoding="utf-8", errors="replace").splitlines()[-5:])
    if store_dir.is_dir():
        run.store_mb = _du_mb(store_dir)
        if run.exit_code in (0, 2) and not run.stopped:  # a stopped import left a partial store
            _count_store(run, store_dir)
    if keep:
        run.store_path = str(store_dir)
    else:
        shutil.rmtree(store_dir, ignore_errors=True)
        stdout.unlink(missing_ok=True)
        stderr.unlink(missing_ok=True)
    return run


# -- reporting ----------------------------------------------------------------------------------
HEADER = (f"{'articles':>8} {'jobs':>4} {'text MB':>8} {'wall s':>8} {'dkg s':>8} {'MB/s':>6} {'MB/s/core':>9}"
          f" {'art/s':>7} {'CPU s':>8} {'CPU/wall':>8} {'MB/CPU-s':>8} {'RSS tree':>9} {'PSS tree':>9}"
          f" {'RSS max1':>9} {'store MB':>9} {'quads':>11} {'imported':>9} {'exit':>4} {'load':>9}")


def format_row(run: ImportRun) -> str:
    """One run as a table row; jobs in brackets when ``--jobs`` was not available."""
    jobs = str(run.jobs) if run.jobs_option else f"({run.cores})"
    imported = (str(run.imported) if run.summary_found else f"({run.lines})") + ("" if run.all_imported else "!")
    load = f"{run.load_before:.1f}-{run.load_after:.1f}"
    return (f"{run.articles:>8} {jobs:>4} {run.text_mb:>8.1f} {run.wall_s:>8.1f} {run.own_s:>8.1f}"
            f" {run.mb_per_s:>6.3f} {run.mb_per_s / run.cores:>9.3f} {run.articles_per_s:>7.1f} {run.cpu_s:>8.1f}"
            f" {run.cpu_s / run.wall_s if run.wall_s else 0:>8.2f} {run.mb_per_cpu_s:>8.3f}"
            f" {run.peak_rss_tree_mb:>9.0f} {run.peak_pss_tree_mb:>9.0f} {run.peak_rss_single_mb:>9.0f}"
            f" {run.store_mb:>9.1f} {run.quads:>11,} {imported:>9} {run.exit_code:>4} {load:>9}")


def goals(runs: list[ImportRun]) -> list[str]:
    """The issue's goals, each met or not and by how much, from the runs made."""
    lines = []
    best = max(runs, key=lambda r: r.mb_per_s / r.cores, default=None)
    if best is not None:
        per_core = best.mb_per_s / best.cores
        per_cpu = max(r.mb_per_cpu_s for r in runs)
        lines.append(f"text per core >= {GOAL_MB_PER_S_PER_CORE:g} MB/s: {'met' if per_core >= 1 else 'NOT met'}"
                     f" (best {per_core:.3f} MB/s/core at {best.articles} articles, jobs {best.cores};"
                     f" {per_core / GOAL_MB_PER_S_PER_CORE:.0%} of the goal; best {per_cpu:.3f} MB per CPU second)")
    for size in sorted({r.articles for r in runs}):
        by_jobs = {r.jobs: r for r in runs if r.articles == size and r.jobs_option}
        if 1 in by_jobs and 2 in by_jobs:
            speedup = by_jobs[1].wall_s / by_jobs[2].wall_s
            lines.append(f"near-linear in jobs, {size} articles: jobs 2 is {speedup:.2f}x jobs 1"
                         f" ({speedup / 2:.0%} of linear)")
    if not any(r.jobs_option for r in runs):
        lines.append("near-linear in jobs: unavailable (dkg import has no --jobs option yet)")
    big = [r for r in runs if r.articles >= 100_000 and r.cores == 2]
    if big:
        r = big[0]
        if r.all_imported:
            took = f"{r.wall_s / 60:.1f} min, {r.wall_s / GOAL_100K_S:.0%} of the limit"
        else:
            rate = r.lines / r.wall_s if r.wall_s else 0.0
            took = (f"stopped ({r.stopped or 'failed'}) after {r.wall_s / 60:.1f} min at {r.lines} articles;"
                    f" at its mean {rate:.1f} articles/s all would take"
                    f" {r.articles / rate / 60 if rate else float('inf'):.0f} min, more if its rate falls")
        lines.append(f"100k articles on 2 cores under {GOAL_100K_S / 60:.0f} min: "
                     f"{'met' if r.wall_s < GOAL_100K_S and r.all_imported else 'NOT met'} ({took})")
        growth = r.rss_growth_mb
        if r.all_imported or r.peak_rss_tree_mb >= GOAL_100K_RSS_MB:
            verdict = "met" if r.peak_rss_tree_mb < GOAL_100K_RSS_MB else "NOT met"
        else:  # stopped below the limit: say where the trend leads
            at_end = r.peak_rss_tree_mb + max(growth, 0) * (r.articles - r.done) / 1000
            verdict = (f"not known (stopped at {r.done} articles); extrapolated {at_end:.0f} MB at {r.articles},"
                       f" {'under' if at_end < GOAL_100K_RSS_MB else 'over'} the limit")
        lines.append(f"100k articles peak RSS under {GOAL_100K_RSS_MB / 1024:.0f} GB: {verdict}"
                     f" (process tree {r.peak_rss_tree_mb:.0f} MB RSS, {r.peak_pss_tree_mb:.0f} MB PSS;"
                     f" {r.peak_rss_tree_mb / GOAL_100K_RSS_MB:.0%} of the limit"
                     + (f"; growing {growth:.0f} MB per 1,000 articles" if growth else "") + ")")
    else:
        lines.append("100k articles on 2 cores (10 min, 2 GB): not measured in this run")
    return lines


def format_report(figures: dict[str, Any], runs: list[ImportRun]) -> str:
    """The whole report as text: setting, table, goals."""
    env = figures["environment"]
    lines = [f"command      {figures['command']}",
             f"machine      {env.get('cpu', '')} ({env.get('cpus', '?')} CPUs), Python {env.get('python', '')}",
             f"dkg import   {figures['note']}"]
    for c in figures["corpora"]:
        built = "reused" if c["reused"] else f"built in {c['build_s']:.1f} s"
        lines.append(f"corpus       {c['articles']} articles, {c['text_bytes'] / 1e6:.1f} MB text,"
                     f" {c['gz_bytes'] / 1e6:.1f} MB in {len(c['files'])} .jsonl.gz file(s), {built}"
                     + (f" ({c['folder']})" if c["kept"] else ""))
    fixed = figures.get("fixed_cost")
    if fixed:
        lines.append(f"fixed cost   {fixed['wall_s']:.2f} s, {fixed['peak_rss_tree_mb']:.0f} MB: dkg import of one"
                     " article (start-up, gazetteer, reference graphs)")
    lines += ["", HEADER, *map(format_row, runs), "",
              "wall s = start to exit of dkg import; dkg s = the time its summary line reports (after start-up);",
              "MB/s, art/s from wall s; per core = divided by the jobs; CPU s = dkg and its workers;",
              "MB/CPU-s = text MB per CPU second (per-core speed, less sensitive to other jobs on the machine);",
              "RSS tree = peak of the summed resident sets of dkg and its workers, PSS tree = the same with",
              "shared pages counted once, RSS max1 = the largest single process (ru_maxrss); sizes in MB;",
              "load = the machine's 1-minute load average at the start and the end of the import;",
              "'!' after imported = not every article was imported (see below); (N) = articles done when stopped.", ""]
    for run in runs:
        if run.stopped:
            why = ("its processes passed the RSS limit" if run.stopped == "memory" else "it passed the time limit")
            lines.append(f"{run.articles} articles, jobs {run.jobs}: STOPPED when {why}, after {run.wall_s:.0f} s"
                         f" and {run.lines} articles ({run.lines / run.wall_s:.1f} articles/s), tree RSS"
                         f" {run.peak_rss_tree_mb:.0f} MB; its rates are over the {run.done} articles done")
        if run.rss_timeline and run.articles >= 10_000:
            lines.append(f"{run.articles} articles, jobs {run.jobs}: tree RSS grows {run.rss_growth_mb:.0f} MB per"
                         " 1,000 articles (fitted over the second half of the articles done)")
            lines.append(f"{run.articles} articles, jobs {run.jobs}: seconds / tree RSS MB / articles written: "
                         + ", ".join(f"{t:.0f}/{m:.0f}/{n}" for t, m, n in run.rss_timeline[:: max(1, len(
                             run.rss_timeline) // 10)]))
        if not run.all_imported and not run.stopped:
            lines.append(f"{run.articles} articles, jobs {run.jobs}: exit {run.exit_code}, summary "
                         f"{run.reported} reported / {run.imported} imported / {run.unchanged} unchanged /"
                         f" {run.failed} failed")
            lines += [f"    {f}" for f in run.failures]
            if run.stderr_tail:
                lines += [f"    stderr: {s}" for s in run.stderr_tail.splitlines()]
    codes = list(dict.fromkeys(r.code for r in runs if r.code))
    if codes:
        lines.append("code: " + "; ".join(codes) + (" (the runs did not all run the same code)" if len(codes) > 1
                                                       else ""))
    lines += ["goals:", *(f"    {g}" for g in goals(runs))]
    return "\n".join(lines)


def _command(argv: list[str]) -> str:
    exe = sys.executable
    rel = os.path.relpath(exe)
    return shlex.join([rel if not rel.startswith("..") else exe, "-m", "bench.importscale", *argv])


def _terminate(signum: int, _frame: object) -> None:
    raise SystemExit(128 + signum)


def main(argv: list[str] | None = None) -> int:
    """Build the corpora, run the imports, print the figures. Exit 1 if an import did not import everything."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0])
    parser.add_argument("--articles", type=int, nargs="+", default=list(DEFAULT_SIZES),
                        help="corpus sizes (default 1000 10000 100000)")
    parser.add_argument("--jobs-list", type=int, nargs="+", default=list(DEFAULT_JOBS),
                        help="values of dkg import --jobs (default 1 2)")
    parser.add_argument("--per-file", type=int, default=PER_FILE, help=f"articles a file (default {PER_FILE})")
    parser.add_argument("--corpus-dir", type=Path, default=None,
                        help="folder for the corpora (one subfolder a size; reused when it matches)")
    parser.add_argument("--store-dir", type=Path, default=None, help="folder in which the fresh stores are made")
    parser.add_argument("--seed", type=int, default=speed.RANDOM_SEED, help="random seed of the corpus")
    parser.add_argument("--rss-limit-mb", type=float, default=DEFAULT_RSS_LIMIT_MB,
                        help="kill an import whose process tree passes this resident size, in MB (0: no limit;"
                             f" default {DEFAULT_RSS_LIMIT_MB:.0f}, or half the memory if less)")
    parser.add_argument("--time-limit-s", type=float, default=0,
                        help="kill an import that runs longer than this, in seconds (default 0: no limit)")
    parser.add_argument("--no-fixed-cost", action="store_true", help="skip the one-article import")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON too")
    parser.add_argument("--keep", action="store_true", help="keep the corpora, stores and import logs")
    args = parser.parse_args(argv)
    if min(args.articles) < 1 or min(args.jobs_list) < 1 or args.per_file < 1:
        parser.error("sizes, jobs and --per-file must be at least 1")
    command = _command(sys.argv[1:] if argv is None else argv)
    on_main_thread = threading.current_thread() is threading.main_thread()
    previous = signal.signal(signal.SIGTERM, _terminate) if on_main_thread else None  # `kill` cleans up
    try:
        return _main(args, command)
    finally:
        if on_main_thread:
            signal.signal(signal.SIGTERM, previous)


def _main(args: argparse.Namespace, command: str) -> int:
    if not (speed.EVAL_DIR / "plover_gsr").is_dir():
        print(f"shared evaluation data not found in {speed.EVAL_DIR} (set DKG_EVAL_DIR)", file=sys.stderr)
        return 2
    options = import_options()
    rss_limit = args.rss_limit_mb
    if rss_limit == DEFAULT_RSS_LIMIT_MB:
        rss_limit = min(rss_limit, _memory_mb() / 2)
    jobs_list = list(dict.fromkeys(args.jobs_list))
    if "--jobs" in options:
        note = "--jobs available: " + " ".join(f"--jobs {j}" for j in jobs_list)
    else:
        note = "no --jobs option: one process per size, the jobs figures are unavailable"
        jobs_list = [1]
    print(f"dkg import: {note}", file=sys.stderr, flush=True)
    temp = Path(tempfile.mkdtemp(prefix="dkg-importscale-"))
    corpus_root = args.corpus_dir or temp / "corpus"
    store_root = args.store_dir or temp / "stores"
    store_root.mkdir(parents=True, exist_ok=True)
    figures: dict[str, Any] = {"command": command,
                               "environment": speed.environment(), "note": note, "keep": args.keep,
                               "import_options": sorted(options), "corpora": [], "runs": []}
    runs: list[ImportRun] = []
    try:
        if not args.no_fixed_cost:
            one = build_corpus(temp / "corpus-1", 1, args.seed, args.per_file)
            fixed = run_import(one, 1, store_root, options)
            figures["fixed_cost"] = fixed.as_dict()
        for size in args.articles:
            corpus = build_corpus(corpus_root / f"articles-{size}", size, args.seed, args.per_file)
            figures["corpora"].append({**asdict(corpus), "folder": str(corpus.folder),
                                       "files": [f.name for f in corpus.files],
                                       "kept": args.keep or args.corpus_dir is not None})
            print(f"corpus {size}: {corpus.text_mb:.1f} MB text", file=sys.stderr, flush=True)
            for jobs in jobs_list:
                print(f"importing {size} articles, jobs {jobs} ...", file=sys.stderr, flush=True)
                run = run_import(corpus, jobs, store_root, options, args.keep, rss_limit, args.time_limit_s)
                runs.append(run)
                figures["runs"].append(run.as_dict())
                print(HEADER + "\n" + format_row(run), file=sys.stderr, flush=True)
    finally:
        if not args.keep:
            shutil.rmtree(temp, ignore_errors=True)
    figures["goals"] = goals(runs)
    print(format_report(figures, runs))
    if args.json:
        print(json.dumps(figures, indent=2, ensure_ascii=False, default=str))
    return 0 if all(r.all_imported for r in runs) else 1


if __name__ == "__main__":
    sys.exit(main())
