"""Read article files into ``Article`` records (text plus metadata).

Supported: ``.txt`` and ``.md`` / ``.markdown``. A file that opens with ``---`` YAML front matter,
or holds HTML markup, is read as Markdown that may contain HTML (news exports often are, whatever
their suffix); other text is kept as is. Metadata comes from the front matter, then from a sidecar
``NAME.meta.yaml`` beside the file, then from explicit overrides, each later source winning. A lead
paragraph in the front matter (``excerpt``, ``summary``, ``description`` or ``lead``) is part of the
article's text.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import yaml

from kg.errors import InputError

SUFFIXES = (".txt", ".md", ".markdown")
META_KEYS = ("title", "date", "url", "publisher", "lang")
LEAD_KEYS = ("excerpt", "summary", "description", "lead")
_HTML_BLOCK = re.compile(r"<(?:p|div|h[1-6]|ul|ol|li|table|br|span|a)\b[^>]*>", re.I)
_HANGUL = re.compile(r"[\uac00-\ud7a3]")
_LATIN = re.compile(r"[A-Za-z]")
_HANGUL_RUNS = re.compile(r"[\uac00-\ud7a3]+")
_LATIN_RUNS = re.compile(r"[A-Za-z]+")


@dataclass(frozen=True)
class Article:
    """One news article: its normalised text and metadata.

    ``text`` is what facts' character offsets refer to. ``date`` is the
    publication date against which relative dates resolve.
    """

    source: str  # file name the article was read from
    text: str
    title: str = ""
    date: dt.date | None = None
    url: str = ""
    publisher: str = ""
    lang: str = ""

    @property
    def content_hash(self) -> str:
        """sha256 of the text and metadata: changes when anything read changes."""
        h = hashlib.sha256()
        for part in (self.text, self.title, str(self.date or ""), self.url, self.publisher, self.lang):
            h.update(part.encode("utf-8"))
            h.update(b"\x00")
        return h.hexdigest()


def iter_article_files(paths: Iterable[Path]) -> Iterator[Path]:
    """Expand files and folders into article files, sorted within each folder.

    A folder's ``README`` files describe the folder and are not articles.
    """
    for path in paths:
        if path.is_dir():
            for child in sorted(path.rglob("*")):
                if child.is_file() and child.suffix.lower() in SUFFIXES and child.stem.upper() != "README":
                    yield child
        elif path.is_file():
            yield path
        else:
            raise InputError(path, "no such file or folder")


def read_article(path: Path, overrides: Mapping[str, Any] | None = None) -> Article:
    """Read one article file; raise ``InputError`` naming the file if it is unusable."""
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise InputError(path, f"unsupported file type {suffix or '(none)'}; expected one of {', '.join(SUFFIXES)}")
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise InputError(path, f"cannot read: {exc.strerror}") from exc
    if b"\x00" in raw[:4096]:
        raise InputError(path, "binary file, not text")
    try:
        content = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(path, f"not UTF-8 text (byte {exc.start})") from exc
    meta: dict[str, Any] = {}
    if suffix in (".md", ".markdown") or content.startswith("---\n") or _HTML_BLOCK.search(content):
        front, body = split_front_matter(content, path)
        meta.update({k: front[k] for k in META_KEYS if front.get(k) not in (None, "")})
        lead = next((str(front[k]).strip() for k in LEAD_KEYS if front.get(k)), "")
        text = markdown_to_text(body)
        if front.get("title") and not _starts_with(text, str(front["title"])):
            text = str(front["title"]).strip() + "\n" + (lead + "\n" if lead else "") + text
        elif lead:
            text = lead + "\n" + text
    else:
        text = content
    meta.update(read_sidecar(path))
    meta.update({k: v for k, v in (overrides or {}).items() if v not in (None, "")})
    text = normalise_text(text)
    if not text.strip():
        raise InputError(path, "no text")
    return Article(
        source=path.name,
        text=text,
        title=str(meta.get("title", "")).strip(),
        date=parse_date(meta.get("date"), path),
        url=str(meta.get("url", "")).strip(),
        publisher=str(meta.get("publisher", "")).strip(),
        lang=str(meta.get("lang", "")).strip() or guess_language(text),
    )


def _starts_with(text: str, title: str) -> bool:
    return text.lstrip().startswith(title.strip())


def split_front_matter(content: str, path: Path) -> tuple[dict[str, Any], str]:
    """Split ``---`` YAML front matter from a Markdown body; return both."""
    if not content.startswith("---"):
        return {}, content
    lines = content.split("\n")
    for i in range(1, len(lines)):
        if lines[i].strip() in ("---", "..."):
            block = "\n".join(lines[1:i])
            try:
                data = yaml.safe_load(block) or {}
            except yaml.YAMLError as exc:
                mark = getattr(exc, "problem_mark", None)
                line = mark.line + 2 if mark is not None else None
                raise InputError(path, f"broken front matter: {getattr(exc, 'problem', exc)}", line) from exc
            except ValueError as exc:  # YAML reads 2024-13-45 as a timestamp and fails
                raise InputError(path, f"impossible date in front matter: {exc}") from exc
            if not isinstance(data, dict):
                raise InputError(path, "front matter is not a mapping of keys to values", 2)
            return data, "\n".join(lines[i + 1 :])
    raise InputError(path, "front matter opened with --- is never closed", 1)


def read_sidecar(path: Path) -> dict[str, Any]:
    """Metadata from ``NAME.meta.yaml`` beside ``path``, or nothing."""
    sidecar = path.with_name(path.stem + ".meta.yaml")
    if not sidecar.is_file():
        return {}
    try:
        data = yaml.safe_load(sidecar.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise InputError(sidecar, f"broken YAML: {getattr(exc, 'problem', exc)}",
                         mark.line + 1 if mark is not None else None) from exc
    if not isinstance(data, dict):
        raise InputError(sidecar, "not a mapping of keys to values")
    return {k: data[k] for k in META_KEYS if data.get(k) not in (None, "")}


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
        raise InputError(path, f"impossible date {text!r}: expected YYYY-MM-DD") from exc


class _TextExtractor(HTMLParser):
    """Collect the text of an HTML fragment, one line per block element."""

    BLOCKS = {"p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "table",
              "section", "article", "header", "footer", "blockquote", "pre", "hr"}
    SKIP = {"script", "style", "noscript", "template"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.SKIP:
            self._skip += 1
        elif tag in self.BLOCKS:
            self.parts.append("\n")
        elif tag == "td":
            self.parts.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag in self.SKIP:
            self._skip = max(0, self._skip - 1)
        elif tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)


_MD_IMAGE = re.compile(r"!\[[^\]]*\]\([^)]*\)")
_MD_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
_MD_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+", re.M)
_MD_EMPHASIS = re.compile(r"(\*\*|__)(.+?)\1")


def markdown_to_text(body: str) -> str:
    """Plain text of a Markdown body that may contain HTML."""
    body = _MD_IMAGE.sub("", body)
    body = _MD_LINK.sub(r"\1", body)
    body = _MD_HEADING.sub("", body)
    body = _MD_EMPHASIS.sub(r"\2", body)
    parser = _TextExtractor()
    parser.feed(body)
    parser.close()
    return "".join(parser.parts)


_SPACES = re.compile(r"[ \t\u00a0\u3000]+")
_BLANK_LINES = re.compile(r"\n\s*\n+")


def normalise_text(text: str) -> str:
    """Unify line ends and spaces; keep one line per paragraph."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
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
