"""Read article files into ``Article`` records (text plus metadata).

Formats, by suffix (a folder is searched for all of them; its ``README`` files are not articles):

- ``.txt``: plain text, kept as is. A ``.txt`` that opens with ``---`` YAML front matter or holds HTML
  markup is read as Markdown that may contain HTML (news exports often are, whatever their suffix); one
  that is a whole web page (``<!DOCTYPE html>`` or ``<html>`` first) is read like ``.html``.
- ``.md`` / ``.markdown``: Markdown with optional ``---`` YAML front matter; HTML inside is reduced to
  text. A lead paragraph in the front matter (``excerpt``, ``summary``, ``description`` or ``lead``) is
  part of the article's text.
- ``.html`` / ``.htm``: a web page. Its text is that of its longest ``<article>`` or ``<main>`` when it
  has one, else that of the page; scripts, styles, ``noscript``, templates, comments, the head,
  navigation, asides, forms, footers and (outside the article) the page's header are dropped; block
  elements end paragraphs, entities are decoded and unclosed tags are tolerated. Metadata from the page:
  title (``og:title``, else the first ``<h1>``, else ``<title>``), date (``article:published_time``,
  ``<meta name="date">`` and the like, else the first ``<time datetime>``), url (``<link
  rel="canonical">``, else ``og:url``), publisher (``og:site_name``), language (``<html lang>``).
- ``.jsonl`` / ``.jsonl.gz``: one article per line, a JSON object with ``text`` (or ``body`` /
  ``content``) and optional ``id``, ``title``, ``date``, ``url``, ``publisher``, ``lang``, read as a
  stream by ``read_articles`` (never the whole file in memory). A line's article has the source
  ``FILE#ID``, or ``FILE#LINE`` without an id. A bad line (not UTF-8, invalid JSON, no text, an
  impossible date, an id already used in the file) is an ``InputError`` naming the file and the line,
  and the other lines are still read.

Metadata comes from the file itself (front matter, the page's head, the JSON line), then from a sidecar
``NAME.meta.yaml`` beside the file, then from explicit overrides, each later source winning; for JSON
lines the sidecar holds defaults for every line, and each line's own fields win over it.

Encodings: UTF-8 (with or without a byte order mark) is tried first; then a UTF-16 or UTF-32 byte
order mark; then charset-normalizer's detection (CP949 / EUC-KR Korean, Latin code pages, ...), ties
going to the Korean and Western code pages. JSON lines must be UTF-8.

Refused with an ``InputError`` naming the file and the reason: an unsupported suffix, an empty file, a
binary file (NUL bytes, or mostly control characters), a file with no usable text (only whitespace or
markup), a file larger than ``max_bytes`` (``MAX_BYTES``, 50 MB, by default; for JSON lines the limit
holds for each line, and the file may be any size). Broken front matter or sidecar YAML, metadata that
is not a single value, and impossible dates in a file's metadata are ``InputWarning`` s (file and line)
on ``Article.warnings``: the article is read with the text and metadata that are usable.

Hostile input is read in time linear in its size: HTML after its last ``>`` is text (html.parser would
rescan it for each ``<``), Markdown patterns are bounded, YAML over 64 KB or nested over 64 deep counts
as broken, and a JSON lines file is given up after 1000 bad lines in a row. Text is normalised: line
ends unified (Unicode's separators too), control characters dropped, lone surrogates (which JSON and
YAML escapes can make) replaced by U+FFFD.
"""

from __future__ import annotations

import datetime as dt
import gzip
import hashlib
import io
import json
import os
import re
import zlib
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from functools import cached_property
from html import unescape
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import charset_normalizer
import yaml

from kg.errors import InputError, InputWarning

SUFFIXES = (".txt", ".md", ".markdown", ".html", ".htm", ".jsonl", ".jsonl.gz")
MARKDOWN_SUFFIXES = (".md", ".markdown")
HTML_SUFFIXES = (".html", ".htm")
JSONL_SUFFIXES = (".jsonl", ".jsonl.gz")
META_KEYS = ("title", "date", "url", "publisher", "lang")
LEAD_KEYS = ("excerpt", "summary", "description", "lead")
TEXT_KEYS = ("text", "body", "content")
MAX_BYTES = 50 * 1024 * 1024  # the largest file (for JSON lines: line) read; larger ones are refused
MAX_FRONT_MATTER = 64 * 1024  # characters of YAML front matter read; longer front matter is ignored
MAX_YAML_DEPTH = 64  # YAML nested deeper (PyYAML is quadratic, then recursive, in the depth) is broken
MAX_SIDECAR = 64 * 1024  # bytes of a sidecar read; a larger one is ignored (PyYAML reads some 100 KB a second)
MAX_BAD_LINES = 1000  # a JSON lines file is given up after this many bad lines in a row

_HTML_BLOCK = re.compile(r"<(?:p|div|h[1-6]|ul|ol|li|table|br|span|a)(?:\s[^<>]{0,2000})?/?>", re.I)
_HTML_PAGE = re.compile(r"\s*(?:<!doctype\s+html|<html)[\s>]", re.I)
_HANGUL = re.compile(r"[\uac00-\ud7a3]")
_NON_ASCII = re.compile(r"[^\x00-\x7f\s]")
_HANGUL_RUNS = re.compile(r"[\uac00-\ud7a3]+")
_LATIN_RUNS = re.compile(r"[A-Za-z]+")
_CONTROL = re.compile(r"[\x01-\x08\x0e-\x1f\x7f-\x9f\ufffd]")
_BOMS = ((b"\xff\xfe\x00\x00", "utf-32-le", "UTF-32"), (b"\x00\x00\xfe\xff", "utf-32-be", "UTF-32"),
         (b"\xff\xfe", "utf-16-le", "UTF-16"), (b"\xfe\xff", "utf-16-be", "UTF-16"))
# Without a byte order mark, UTF-16/32 "detected" in short Latin or Korean text is a misreading.
_BOMLESS_UNICODE = ["utf_16", "utf_16_be", "utf_16_le", "utf_32", "utf_32_be", "utf_32_le", "utf_7"]
_PREFERRED = ("cp949", "euc_kr", "cp1252", "latin_1", "iso8859_15", "cp1250")  # among equally likely decodings


@dataclass(frozen=True)
class Article:
    """One news article: its normalised text and metadata.

    ``text`` is what facts' character offsets refer to. ``date`` is the
    publication date against which relative dates resolve. ``warnings`` are
    the problems met reading it that did not stop it being read.
    """

    source: str  # file name the article was read from; FILE#ID (or FILE#LINE) for a line of JSON lines
    text: str
    title: str = ""
    date: dt.date | None = None
    url: str = ""
    publisher: str = ""
    lang: str = ""
    warnings: tuple[InputWarning, ...] = field(default=(), compare=False)

    @cached_property
    def content_hash(self) -> str:
        """sha256 of the text and metadata: changes when anything read changes (worked out once)."""
        h = hashlib.sha256()
        for part in (self.text, self.title, str(self.date or ""), self.url, self.publisher, self.lang):
            h.update(part.encode("utf-8"))
            h.update(b"\x00")
        return h.hexdigest()


def file_suffix(path: Path) -> str:
    """The suffix that says how ``path`` is read: one of ``SUFFIXES`` (``.jsonl.gz`` whole), else its last suffix."""
    name = path.name.lower()
    return next((s for s in SUFFIXES if name.endswith(s) and len(name) > len(s)), path.suffix.lower())


def _base_name(path: Path) -> str:
    """The file name without its reading suffix: ``a`` for ``a.md`` and ``a.jsonl.gz``."""
    suffix = file_suffix(path)
    return path.name[: -len(suffix)] if suffix and path.name.lower().endswith(suffix) else path.stem


def holds_many_articles(path: Path) -> bool:
    """Whether ``path`` holds one article per line (JSON lines), to be read with ``read_articles``."""
    return file_suffix(path) in JSONL_SUFFIXES


def iter_article_files(paths: Iterable[Path]) -> Iterator[Path]:
    """Expand files and folders into article files, sorted within each folder.

    A folder's ``README`` files describe the folder and are not articles.
    """
    for path in paths:
        if path.is_dir():
            for child in sorted(path.rglob("*")):
                if child.is_file() and file_suffix(child) in SUFFIXES and _base_name(child).upper() != "README":
                    yield child
        elif path.is_file():
            yield path
        else:
            raise InputError(path, "no such file or folder")


def read_articles(path: Path, overrides: Mapping[str, Any] | None = None, *,
                  max_bytes: int = MAX_BYTES) -> Iterator[Article | InputError]:
    """Every article of one file, as a stream: an ``Article``, or the ``InputError`` of what cannot be read.

    A one-article file gives one item; a JSON lines file one per non-blank line, in order (and one for
    the file if it cannot be read at all). Never raises ``InputError``: it is yielded, so that a bad
    line does not stop the others.
    """
    if holds_many_articles(path):
        yield from _read_jsonl(path, overrides or {}, max_bytes)
        return
    try:
        yield read_article(path, overrides, max_bytes=max_bytes)
    except InputError as exc:
        yield exc


def read_article(path: Path, overrides: Mapping[str, Any] | None = None, *, max_bytes: int = MAX_BYTES) -> Article:
    """Read one article file; raise ``InputError`` naming the file if it is unusable.

    JSON lines files hold many articles: read them with ``read_articles``.
    """
    suffix = file_suffix(path)
    if suffix not in SUFFIXES:
        raise InputError(path, f"unsupported file type {suffix or '(none)'}; expected one of {', '.join(SUFFIXES)}")
    if suffix in JSONL_SUFFIXES:
        raise InputError(path, "holds one article per line (JSON lines), not one article: import it")
    content = decode_text(_read_bytes(path, max_bytes), path)
    content = content.replace("\r\n", "\n").replace("\r", "\n")
    warnings: list[InputWarning] = []
    layers: list[_Layer] = []
    if suffix in HTML_SUFFIXES or (suffix == ".txt" and _HTML_PAGE.match(content[:1024])):
        page = html_page(content)
        layers.append(_Layer(path, dict(page.meta), dict(page.lines)))
        text = _with_title(page.text, page.meta.get("title", ""))
    elif suffix in MARKDOWN_SUFFIXES or content.startswith("---\n") or _HTML_BLOCK.search(content):
        front, lines, body = _front_matter(content, path, warnings)
        values = _meta_values(front, path, lines, warnings)
        layers.append(_Layer(path, values, lines))
        lead = next((str(front[k]).strip() for k in LEAD_KEYS if _is_scalar(front.get(k)) and front.get(k)), "")
        text = markdown_to_text(body)
        title = str(values.get("title", "")).strip()
        if title and not _starts_with(text, title):
            text = title + "\n" + (lead + "\n" if lead else "") + text
        elif lead:
            text = lead + "\n" + text
    else:
        text = content
    layers.append(_sidecar_layer(path, warnings))
    layers.append(_override_layer(overrides))
    return _article(path, path.name, text, layers, warnings)


def _read_bytes(path: Path, max_bytes: int) -> bytes:
    """The bytes of ``path``; refuse an empty file and one larger than ``max_bytes``."""
    try:
        with path.open("rb") as f:
            size = os.fstat(f.fileno()).st_size
            if size > max_bytes:
                raise InputError(path, f"too large: {_size(size)}, over the limit of {_size(max_bytes)}")
            raw = f.read(max_bytes + 1)
    except OSError as exc:
        raise InputError(path, f"cannot read: {exc.strerror or exc}") from exc
    if len(raw) > max_bytes:
        raise InputError(path, f"too large: over the limit of {_size(max_bytes)}")
    if not raw:
        raise InputError(path, "empty file")
    return raw


def _size(n: int) -> str:
    for unit, scale in (("GB", 1 << 30), ("MB", 1 << 20), ("KB", 1 << 10)):
        if n >= scale:
            return f"{n / scale:.1f}".removesuffix(".0") + " " + unit
    return f"{n} bytes"


def decode_text(raw: bytes, path: Path) -> str:
    """The text of ``raw``: UTF-8 (a BOM dropped), else by its UTF-16/32 BOM, else as charset-normalizer detects.

    Raises ``InputError`` for binary data (NUL bytes, mostly control characters) and undetectable encodings.
    """
    try:
        text = raw.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError:
        text = _decode_other(raw, path)
    check_text(text, path)
    return text


def check_text(text: str, path: Path) -> None:
    """Raise ``InputError`` if ``text`` is binary data: it holds NUL, or mostly control characters."""
    if "\x00" in text:
        raise InputError(path, "binary file (NUL bytes), not text")
    sample = text[:65536]
    control = len(_CONTROL.findall(sample))
    if control * 10 > len(sample):
        raise InputError(path, f"binary data, not text: {control} of its first {len(sample)} characters "
                               "are control characters")


def _decode_other(raw: bytes, path: Path) -> str:
    for bom, codec, name in _BOMS:
        if raw.startswith(bom):
            try:
                return raw[len(bom):].decode(codec)
            except UnicodeDecodeError as exc:
                raise InputError(path, f"not {name} text despite its byte order mark "
                                       f"(byte {exc.start + len(bom)})") from exc
    if b"\x00" in raw:
        raise InputError(path, "binary file (NUL bytes), not text")
    matches = charset_normalizer.from_bytes(raw, cp_exclusion=_BOMLESS_UNICODE)
    best = matches.best()
    if best is None:
        raise InputError(path, "binary file or unknown encoding: not UTF-8, no byte order mark, "
                               "and no encoding detected")
    tied = {m.encoding: m for m in matches if (m.chaos, m.coherence) == (best.chaos, best.coherence)}
    best = next((tied[codec] for codec in _PREFERRED if codec in tied), best)
    text = str(best)
    if best.encoding not in ("cp949", "euc_kr"):  # short Korean text is often taken for Chinese or Japanese
        try:
            korean = raw.decode("cp949")
        except UnicodeDecodeError:
            return text
        sample = korean[:65536]
        hangul = len(_HANGUL.findall(sample))
        if hangul and hangul * 10 >= len(_NON_ASCII.findall(sample)) * 9:
            return korean
    return text


# -- metadata -------------------------------------------------------------------------------------


@dataclass
class _Layer:
    """Metadata from one source (the file, a sidecar, overrides), with the line each key is on."""

    where: Path | None  # None: the overrides
    values: dict[str, Any]
    lines: dict[str, int]
    strict: bool = False  # an impossible date here is an error, not a warning


def _is_scalar(value: object) -> bool:
    return isinstance(value, str | int | float | dt.date)


def _meta_values(data: Mapping[Any, Any], where: Path, lines: Mapping[str, int],
                 warnings: list[InputWarning]) -> dict[str, Any]:
    """The metadata keys of ``data`` that hold one value; a list or mapping is a warning and left out."""
    values: dict[str, Any] = {}
    for key in META_KEYS:
        value = data.get(key)
        if value is None or (isinstance(value, str) and not value.strip()):
            continue
        if not _is_scalar(value):
            warnings.append(InputWarning(str(where), f"{key} is not a single value; ignored", lines.get(key)))
            continue
        values[key] = value
    return values


def _override_layer(overrides: Mapping[str, Any] | None) -> _Layer:
    values = {k: v for k, v in (overrides or {}).items() if k in META_KEYS and v not in (None, "")}
    return _Layer(None, values, {}, strict=True)


def _resolve(layers: list[_Layer], path: Path, warnings: list[InputWarning]) -> tuple[dict[str, str], dt.date | None]:
    """Each key's value from the last layer that has it; the date from the last layer whose date is possible."""
    values: dict[str, str] = {}
    for key in ("title", "url", "publisher", "lang"):
        for layer in reversed(layers):
            if key in layer.values:
                values[key] = _DROPPED.sub("", clean(str(layer.values[key]))).strip()
                break
    date = None
    for layer in reversed(layers):
        if "date" not in layer.values:
            continue
        where = layer.where or path
        line = layer.lines.get("date")
        try:
            date = parse_date(layer.values["date"], where)
            break
        except InputError as exc:
            if layer.strict:
                raise InputError(where, exc.problem, line) from None
            warnings.append(InputWarning(str(where), f"{exc.problem}; read without it", line))
    return values, date


def _article(path: Path, source: str, text: str, layers: list[_Layer], warnings: list[InputWarning]) -> Article:
    text = normalise_text(text)
    if not text.strip():
        raise InputError(path, "no text (only whitespace or markup)")
    meta, date = _resolve(layers, path, warnings)
    return Article(source=source, text=text, title=meta.get("title", ""), date=date, url=meta.get("url", ""),
                   publisher=meta.get("publisher", ""), lang=meta.get("lang", "") or guess_language(text),
                   warnings=tuple(warnings))


def _starts_with(text: str, title: str) -> bool:
    return text.lstrip().startswith(title.strip())


def _with_title(text: str, title: str) -> str:
    """``text`` with ``title`` as its first line unless it already says it near its start."""
    title = " ".join(title.split())
    if not title or title in " ".join(text[: len(title) + 2000].split()):
        return text
    return title + "\n" + text


class _MetaLoader(yaml.SafeLoader):
    """YAML's safe loader, dates left as strings: ``2024-02-30`` is then an impossible date, not a crash.

    The pure Python one: libyaml's composer recurses in C and crashes the process on deep nesting.
    """


_MetaLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_YAML_ERRORS = (yaml.YAMLError, ValueError, RecursionError, OverflowError)
_YAML_NESTING = re.compile(r"[\[\]{}]|^[ \t]*(?:[-?:][ \t]+)+", re.M)
_KEY_LINE = re.compile(r"([A-Za-z_][\w-]*)[ \t]*:")
_FRONT_CLOSE = re.compile(r"^(?:---|\.\.\.)[ \t]*$", re.M)


def _load_yaml(text: str) -> Any:
    """The value of a YAML text; raises one of ``_YAML_ERRORS``, "nested too deeply" before parsing deep nesting."""
    depth = 0
    for m in _YAML_NESTING.finditer(text):
        token = m.group()
        if token in "[{":
            depth += 1
        elif token in "]}":
            depth = max(0, depth - 1)
        else:  # "- - - x", "? ? x": nodes in nodes on one line
            depth = max(depth, len(token.split()))
        if depth > MAX_YAML_DEPTH:
            raise RecursionError("nested too deeply")
    return yaml.load(text, Loader=_MetaLoader)  # noqa: S506 - a SafeLoader


def _yaml_problem(exc: BaseException, text: str) -> tuple[str, int | None]:
    """What is wrong with some YAML, and the line (0-based, in the YAML) where.

    A problem found at the end of the YAML (an unclosed bracket or quote) is placed where what is
    unclosed opens.
    """
    mark = getattr(exc, "problem_mark", None)
    if mark is not None and mark.index >= len(text.rstrip()):
        mark = getattr(exc, "context_mark", None) or mark
    problem = getattr(exc, "problem", None) or str(exc) or type(exc).__name__
    if isinstance(exc, RecursionError):
        problem = "nested too deeply"
    return problem, (mark.line if mark is not None else None)


def _key_lines(block: str, first: int) -> dict[str, int]:
    """The line of each top-level ``key:`` of a YAML block whose first line is line ``first``."""
    lines: dict[str, int] = {}
    for i, line in enumerate(block.split("\n")):
        m = _KEY_LINE.match(line)
        if m:
            lines.setdefault(m.group(1), first + i)
    return lines


def _front_matter(content: str, path: Path,
                  warnings: list[InputWarning]) -> tuple[dict[str, Any], dict[str, int], str]:
    """``---`` YAML front matter, the line of each of its keys, and the body; problems become warnings."""
    first, _, rest = content.partition("\n")
    if first.rstrip() != "---":
        return {}, {}, content
    close = _FRONT_CLOSE.search(rest)
    where = str(path)
    if close is None:
        warnings.append(InputWarning(where, "front matter opened with --- is never closed; read as text", 1))
        return {}, {}, rest
    block, body = rest[: close.start()], rest[close.end():]
    if len(block) > MAX_FRONT_MATTER:
        warnings.append(InputWarning(where, f"front matter longer than {_size(MAX_FRONT_MATTER)}; ignored", 1))
        return {}, {}, body
    lines = _key_lines(block, 2)
    try:
        data = _load_yaml(block)
    except _YAML_ERRORS as exc:
        problem, line = _yaml_problem(exc, block)
        data = _salvage(block)
        kept = f"; kept only its readable lines ({', '.join(data)})" if data else "; ignored"
        warnings.append(InputWarning(where, f"broken front matter: {problem}{kept}",
                                     line + 2 if line is not None else 1))
        return data, lines, body
    if data is None:
        return {}, lines, body
    if not isinstance(data, dict):
        warnings.append(InputWarning(where, "front matter is not a mapping of keys to values; ignored", 2))
        return {}, {}, body
    return data, lines, body


def _salvage(block: str) -> dict[str, Any]:
    """From broken YAML, the one-line ``key: value`` entries of the keys that matter that read on their own."""
    data: dict[str, Any] = {}
    for line in block.split("\n"):
        m = _KEY_LINE.match(line)
        if not m or m.group(1) not in META_KEYS + LEAD_KEYS or m.group(1) in data:
            continue
        try:
            value = _load_yaml(line)
        except _YAML_ERRORS:
            continue
        if isinstance(value, dict) and _is_scalar(value.get(m.group(1))):
            data[m.group(1)] = value[m.group(1)]
    return data


def split_front_matter(content: str, path: Path) -> tuple[dict[str, Any], str]:
    """Split ``---`` YAML front matter from a Markdown body; return both.

    Strict: raises ``InputError`` for broken or unclosed front matter (``read_article`` warns instead).
    """
    warnings: list[InputWarning] = []
    data, _, body = _front_matter(content.replace("\r\n", "\n"), path, warnings)
    if warnings:
        raise InputError(path, warnings[0].problem, warnings[0].line)
    return data, body


def _sidecar_layer(path: Path, warnings: list[InputWarning]) -> _Layer:
    """Metadata from ``NAME.meta.yaml`` beside ``path``; its problems are warnings."""
    sidecar = path.with_name(_base_name(path) + ".meta.yaml")
    empty = _Layer(sidecar, {}, {})
    if not sidecar.is_file():
        return empty
    try:
        with sidecar.open("rb") as f:
            raw = f.read(MAX_SIDECAR + 1)
        if len(raw) > MAX_SIDECAR:
            raise InputError(sidecar, f"larger than {_size(MAX_SIDECAR)}")
        text = decode_text(raw, sidecar) if raw else ""
    except OSError as exc:
        warnings.append(InputWarning(str(sidecar), f"cannot read: {exc.strerror or exc}; ignored"))
        return empty
    except InputError as exc:
        warnings.append(InputWarning(str(sidecar), f"{exc.problem}; ignored"))
        return empty
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    try:
        data = _load_yaml(text)
    except _YAML_ERRORS as exc:
        problem, line = _yaml_problem(exc, text)
        warnings.append(InputWarning(str(sidecar), f"broken YAML: {problem}; ignored",
                                     line + 1 if line is not None else None))
        return empty
    if data is None:
        return empty
    if not isinstance(data, dict):
        warnings.append(InputWarning(str(sidecar), "not a mapping of keys to values; ignored", 1))
        return empty
    lines = _key_lines(text, 1)
    return _Layer(sidecar, _meta_values(data, sidecar, lines, warnings), lines)


def read_sidecar(path: Path) -> dict[str, Any]:
    """Metadata from ``NAME.meta.yaml`` beside ``path``, or nothing; raises ``InputError`` if it is broken."""
    warnings: list[InputWarning] = []
    layer = _sidecar_layer(path, warnings)
    if warnings:
        raise InputError(warnings[0].path, warnings[0].problem, warnings[0].line)
    return layer.values


def parse_date(value: object, path: Path) -> dt.date | None:
    """Publication date from metadata: a date, or an ISO 8601 date(time) string."""
    if value in (None, ""):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value).strip()
    try:
        return dt.date.fromisoformat(text[:10])
    except ValueError as exc:
        raise InputError(path, f"impossible date {text[:40]!r}: expected YYYY-MM-DD") from exc


# -- JSON lines -----------------------------------------------------------------------------------


def _lines(stream: io.BufferedIOBase, max_bytes: int) -> Iterator[tuple[int, bytes | None]]:
    """Number and bytes of each line of ``stream``, ``None`` for a line longer than ``max_bytes`` (skipped
    without holding it)."""
    lineno = 0
    while True:
        line = stream.readline(max_bytes + 1)
        if not line:
            return
        lineno += 1
        if len(line) > max_bytes and not line.endswith(b"\n"):
            while True:
                rest = stream.readline(1 << 20)
                if not rest or rest.endswith(b"\n"):
                    break
            yield lineno, None
        else:
            yield lineno, line


def _open_binary(path: Path) -> io.BufferedIOBase:
    return gzip.open(path, "rb") if file_suffix(path) == ".jsonl.gz" else path.open("rb")


def _read_jsonl(path: Path, overrides: Mapping[str, Any], max_bytes: int) -> Iterator[Article | InputError]:
    try:
        with _open_binary(path) as probe:
            head = probe.read(8192)
        stream = _open_binary(path)
    except (OSError, EOFError, zlib.error) as exc:  # gzip: not gzip, truncated, corrupt
        yield InputError(path, f"cannot read: {exc.strerror if isinstance(exc, OSError) and exc.strerror else exc}")
        return
    if b"\x00" in head:
        stream.close()
        yield InputError(path, "binary file (NUL bytes), not JSON lines")
        return
    file_warnings: list[InputWarning] = []  # the sidecar's, given with the first article
    sidecar = _sidecar_layer(path, file_warnings)
    override = _override_layer(overrides)
    seen: dict[str, int] = {}
    lineno = read = bad = 0
    with stream:
        try:
            for lineno, raw in _lines(stream, max_bytes):
                item = _jsonl_article(path, lineno, raw, max_bytes, seen, [sidecar, override])
                if item is None:
                    continue
                read += 1
                if isinstance(item, InputError):
                    yield item
                    bad += 1
                    if bad >= MAX_BAD_LINES:
                        yield InputError(path, f"not read on: {MAX_BAD_LINES} bad lines in a row", lineno)
                        return
                    continue
                bad = 0
                if file_warnings:
                    item = replace(item, warnings=tuple(file_warnings) + item.warnings)
                    file_warnings = []
                yield item
        except (OSError, EOFError, zlib.error) as exc:  # gzip: not gzip, truncated, corrupt
            yield InputError(path, f"cannot read on: {exc}", lineno + 1)
            return
    if lineno == 0:
        yield InputError(path, "empty file")
    elif read == 0:
        yield InputError(path, "no articles: only blank lines")


def _jsonl_article(path: Path, lineno: int, raw: bytes | None, max_bytes: int, seen: dict[str, int],
                   layers: list[_Layer]) -> Article | InputError | None:
    """The article of one JSON line, its ``InputError``, or ``None`` for a blank line."""
    if raw is None:
        return InputError(path, f"line longer than {_size(max_bytes)}; skipped", lineno)
    if lineno == 1:
        raw = raw.removeprefix(b"\xef\xbb\xbf")
    if not raw.strip():
        return None
    try:
        line = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        return InputError(path, f"not UTF-8 (byte {exc.start + 1} of the line); JSON lines must be UTF-8", lineno)
    try:
        record = json.loads(line)
    except json.JSONDecodeError as exc:
        return InputError(path, f"invalid JSON at column {exc.colno}: {exc.msg}", lineno)
    except (ValueError, RecursionError) as exc:
        return InputError(path, f"invalid JSON: {'nested too deeply' if isinstance(exc, RecursionError) else exc}",
                          lineno)
    if not isinstance(record, dict):
        return InputError(path, f"not a JSON object but {type(record).__name__}", lineno)
    text = None
    for key in TEXT_KEYS:
        value = record.get(key)
        if value is None or value == "":
            continue
        if not isinstance(value, str):
            return InputError(path, f"{key} is not a string", lineno)
        text = value
        break
    if text is None:
        return InputError(path, "no text: expected a text, body or content field", lineno)
    ident = record.get("id")
    if isinstance(ident, bool) or not isinstance(ident, str | int | None):
        return InputError(path, "id is not a string or a number", lineno)
    key = clean(str(ident)).strip() if ident is not None else ""
    source = f"{path.name}#{key or lineno}"
    if source in seen:
        return InputError(path, f"{source} is already the article of line {seen[source]}: "
                                "ids must be unique within a file", lineno)
    warnings: list[InputWarning] = []
    lines = dict.fromkeys(META_KEYS, lineno)
    values = _meta_values(record, path, lines, warnings)
    try:
        check_text(text, path)
    except InputError as exc:
        return InputError(path, exc.problem, lineno)
    if _HTML_BLOCK.search(text):
        text = markdown_to_text(text)
    text = _with_title(text, str(values.get("title", "")))
    try:
        article = _article(path, source, text, [layers[0], _Layer(path, values, lines, strict=True), layers[1]],
                           warnings)
    except InputError as exc:
        return InputError(path, exc.problem, lineno)
    seen[source] = lineno
    return article


# -- HTML -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Page:
    """What a web page says: its article's text, its metadata and the line each metadata key came from."""

    text: str
    meta: Mapping[str, str]
    lines: Mapping[str, int]


_DATE_META = ("article:published_time", "datepublished", "date", "pubdate", "publishdate", "dc.date",
              "dcterms.date", "dc.date.issued", "dcterms.issued")
_PAGE_META = {"og:title", "og:url", "og:site_name", "link:canonical", "html:lang", "time:datetime", *_DATE_META}


class _TextExtractor(HTMLParser):
    """Collect the text of HTML, one line per block element; with ``page``, a web page's text and metadata.

    A stack of open elements lets an element left open end with its parent and a stray end tag be
    ignored. Dropped always: ``script``, ``style``, ``noscript``, ``template`` (and comments, which
    are not data). Dropped in a page too: the head (its ``<title>`` read apart), ``title``, ``nav``,
    ``aside``, ``footer``, forms and their controls, menus, dialogs, ``svg``, ``math``, frames and
    objects, and a ``header`` outside an ``<article>`` or ``<main>``; when the page has one of these,
    its text is that of the longest.
    """

    BLOCKS = {"p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "table",
              "section", "article", "header", "footer", "blockquote", "pre", "hr", "main", "aside", "nav",
              "figure", "figcaption", "dl", "dt", "dd", "caption", "address", "details", "summary", "body"}
    CELLS = {"td", "th"}
    SKIP = {"script", "style", "noscript", "template"}
    CHROME = {"head", "title", "nav", "aside", "footer", "form", "button", "select", "textarea", "label", "menu",
              "dialog", "svg", "math", "iframe", "frameset", "object"}
    PAGE_CHROME = {"header"}  # the page's, outside its article (inside, it holds the headline)
    REGIONS = {"article", "main"}
    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source",
            "track", "wbr", "keygen", "basefont", "frame"}
    HEAD = {"title", "meta", "link", "style", "script", "noscript", "base", "template"}

    def __init__(self, page: bool = False) -> None:
        super().__init__(convert_charrefs=True)
        self.page = page
        self.parts: list[str] = []  # text outside the article regions
        self.regions: list[list[str]] = []  # text of each outermost <article> / <main>
        self.found: dict[str, tuple[str, int]] = {}  # page metadata: name -> (value, line)
        self.title = ""
        self.h1 = ""
        self._stack: list[tuple[str, bool, bool]] = []  # open elements: tag, dropped, region
        self._open: Counter[str] = Counter()
        self._drop = 0  # open elements whose content is dropped
        self._region = 0  # open article regions
        self._title: list[str] | None = None  # text of the <title> being read
        self._h1: list[str] | None = None  # text of the first <h1> being read

    def _out(self) -> list[str]:
        return self.regions[-1] if self._region else self.parts

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.page:
            if self._open["head"] and tag not in self.HEAD:
                self.handle_endtag("head")  # the body has begun
            self._page_tag(tag, attrs)
        if tag in self.VOID:
            if tag in ("br", "hr") and not self._drop:
                self._out().append("\n")
            return
        chrome = tag in self.CHROME or (tag in self.PAGE_CHROME and not self._region)
        drop = tag in self.SKIP or (self.page and chrome)
        region = self.page and tag in self.REGIONS and not self._drop and not drop
        self._stack.append((tag, drop, region))
        self._open[tag] += 1
        if tag == "title" and self.page and not self.title and self._title is None and not self._open["svg"]:
            self._title = []
        if drop:
            self._drop += 1
        if region:
            if not self._region:
                self.regions.append([])
            self._region += 1
        if self._drop:
            return
        if tag == "h1" and self.page and not self.h1 and self._h1 is None:
            self._h1 = []
        if tag in self.BLOCKS:
            self._out().append("\n")
        elif tag in self.CELLS:
            self._out().append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag in self.VOID:
            return
        if not self._open[tag]:  # a stray end tag
            if tag in self.BLOCKS and not self._drop:
                self._out().append("\n")
            return
        while self._stack:
            name, drop, region = self._stack.pop()
            self._open[name] -= 1
            if name == "title" and self._title is not None:
                self.title = " ".join("".join(self._title).split())
                self._title = None
            elif name == "h1" and self._h1 is not None:
                self.h1 = " ".join("".join(self._h1).split())
                self._h1 = None
            if drop:
                self._drop -= 1
            if region:
                self._region -= 1
            if name in self.BLOCKS and not self._drop:
                self._out().append("\n")
            if name == tag:
                break

    def handle_data(self, data: str) -> None:
        if "\x00" in data:
            data = data.replace("\x00", "<")
        if self._title is not None:
            self._title.append(data)
        if self._drop:
            return
        if self._h1 is not None:
            self._h1.append(data)
        self._out().append(data)

    def parse_marked_section(self, i: int, report: bool = True) -> int:
        """``<![...]>``: what html.parser knows (CDATA, IE's conditionals); anything else up to ``>`` dropped.

        (html.parser raises ``AssertionError`` for an unknown keyword or a missing name.)
        """
        try:
            return super().parse_marked_section(i, report)
        except AssertionError:
            end = self.rawdata.find(">", i + 3)
            return -1 if end < 0 else end + 1

    def _page_tag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        """Metadata of a web page from its tags; the first of each kind wins."""
        if tag not in ("html", "meta", "link", "time"):
            return
        a = {k: (v or "").replace("\x00", "<").strip() for k, v in attrs}
        line = self.getpos()[0]
        if tag == "html" and a.get("lang"):
            self._found("html:lang", re.split(r"[-_]", a["lang"])[0].lower(), line)
        elif tag == "meta":
            name = (a.get("property") or a.get("name") or a.get("itemprop") or "").lower()
            if a.get("content"):
                self._found(name, a["content"], line)
        elif tag == "link" and "canonical" in a.get("rel", "").lower().split() and a.get("href"):
            self._found("link:canonical", a["href"], line)
        elif tag == "time" and a.get("datetime") and not self._drop:
            self._found("time:datetime", a["datetime"], line)

    def _found(self, name: str, value: str, line: int) -> None:
        if name in _PAGE_META and value and name not in self.found:
            self.found[name] = (unescape(value) if "&" in value else value, line)

    def page_meta(self) -> tuple[dict[str, str], dict[str, int]]:
        """The page's title, date, url, publisher and language, and the line of each that has one."""
        meta: dict[str, str] = {}
        lines: dict[str, int] = {}
        for key, names in (("date", (*_DATE_META, "time:datetime")), ("url", ("link:canonical", "og:url")),
                           ("publisher", ("og:site_name",)), ("lang", ("html:lang",)), ("title", ("og:title",))):
            name = next((n for n in names if n in self.found), None)
            if name is not None:
                meta[key], lines[key] = self.found[name]
        title = meta.get("title") or self.h1 or self.title
        if title:
            meta["title"] = " ".join(title.split())
        return meta, lines

    def text(self) -> str:
        """The text read: that of the longest article region when the page has one, else all of it."""
        regions = ["".join(r) for r in self.regions]
        best = max(regions, key=lambda t: len(t.strip()), default="")
        return best if best.strip() else "".join(self.parts)


_LONE_LT = re.compile(r"<(?![A-Za-z/!?])")
_ANY_TAG = re.compile(r"<[^<>]*>")


def _parse(html: str, page: bool) -> _TextExtractor:
    """Run the extractor over ``html`` in a time linear in its length.

    html.parser retries each ``<`` that no ``>`` follows, scanning to the end each time: whatever follows
    the last ``>`` can hold no tag and is read as text. A ``<`` that opens no tag is passed as a NUL
    (which text read from files never holds), and given back as ``<`` by ``handle_data``.
    """
    html = html.replace("\x00", "")
    last = html.rfind(">") + 1
    parser = _TextExtractor(page=page)
    try:
        parser.feed(_LONE_LT.sub("\x00", html[:last]))
        parser.close()
    except AssertionError:  # html.parser's way of giving up on markup it cannot read: keep the text between tags
        parser = _TextExtractor(page=page)
        parser.handle_data(unescape(_ANY_TAG.sub(" ", html[:last])))
    if last < len(html):
        parser.handle_data(unescape(html[last:]))
    return parser


def html_page(html: str) -> Page:
    """The text and metadata of a web page (see ``_TextExtractor``)."""
    parser = _parse(html, page=True)
    meta, lines = parser.page_meta()
    return Page(parser.text(), meta, lines)


_MD_IMAGE = re.compile(r"!\[[^\[\]\n]{0,1000}\]\([^()\n]{0,2000}\)")
_MD_LINK = re.compile(r"\[([^\[\]\n]{0,1000})\]\([^()\n]{0,2000}\)")
_MD_HEADING = re.compile(r"^[ \t]{0,3}#{1,6}[ \t]+", re.M)
_MD_EMPHASIS = re.compile(r"(\*\*|__)(.{1,1000}?)\1")


def markdown_to_text(body: str) -> str:
    """Plain text of a Markdown body that may contain HTML."""
    body = _MD_IMAGE.sub("", body)
    body = _MD_LINK.sub(r"\1", body)
    body = _MD_HEADING.sub("", body)
    body = _MD_EMPHASIS.sub(r"\2", body)
    return "".join(_parse(body, page=False).parts)


_SPACES = re.compile(r"[ \t\u00a0\u3000]+")
_LINE_BREAKS = re.compile(r"\r\n?|[\v\f\x1c\x1d\x1e\x85\u2028\u2029]")
_BLANK_LINES = re.compile(r"\n\s*\n+")
_DROPPED = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f]")
_SURROGATES = re.compile(r"[\ud800-\udfff]")


def clean(value: str) -> str:
    """``value`` with lone surrogates (which JSON and YAML escapes can make, and UTF-8 cannot hold) as U+FFFD."""
    return _SURROGATES.sub("\ufffd", value)


def normalise_text(text: str) -> str:
    """Unify line ends (Unicode's line and paragraph separators too) and spaces, drop control characters;
    keep one line per paragraph."""
    text = _LINE_BREAKS.sub("\n", clean(text))
    text = _DROPPED.sub("", text)
    text = _SPACES.sub(" ", text)
    text = "\n".join(line.strip() for line in text.split("\n"))
    return _BLANK_LINES.sub("\n", text).strip() + "\n"


def guess_language(text: str) -> str:
    """``ko`` when Hangul dominates, ``en`` when Latin letters do, else ``und``."""
    ko = sum(map(len, _HANGUL_RUNS.findall(text)))
    en = sum(map(len, _LATIN_RUNS.findall(text)))
    if ko == 0 and en == 0:
        return "und"
    return "ko" if ko * 2 >= en else "en"
