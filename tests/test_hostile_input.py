"""Hostile input: web pages, JSON lines, encodings, refusals, broken metadata, huge files, arbitrary text."""

from __future__ import annotations

import datetime as dt
import gzip
import json
import shutil
import tracemalloc
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import ROOT
from kg import iris
from kg.errors import InputError
from kg.extract import extract_article
from kg.importer import import_paths, remove_articles
from kg.read import (
    MAX_BYTES,
    Article,
    iter_article_files,
    normalise_text,
    read_article,
    read_articles,
)
from kg.store import Store

DATA = ROOT / "tests" / "data" / "hostile"
KO = (DATA / "ko-utf8.txt").read_text(encoding="utf-8")
PROPERTY = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def articles_and_errors(path: Path, **options: object) -> tuple[list[Article], list[InputError]]:
    items = list(read_articles(path, **options))  # type: ignore[arg-type]
    return [i for i in items if isinstance(i, Article)], [i for i in items if isinstance(i, InputError)]


def refused(path: Path, **options: object) -> InputError:
    with pytest.raises(InputError) as info:
        read_article(path, **options)  # type: ignore[arg-type]
    assert path.name in str(info.value), "the error names the file"
    return info.value


# -- 1. web pages ---------------------------------------------------------------------------------------


def test_html_page_is_its_article_text_and_head_metadata() -> None:
    article = read_article(DATA / "page.html")
    assert article.text.split("\n") == [
        "한일 외교장관, 서울에서 회담",
        "김기자 · 3월 15일",
        "박진 외교부 장관은 14일 서울에서 가미카와 요코 일본 외무상과 회담을 가졌다.",
        "두 장관은 경제 협력과 인적 교류를 늘리기로 합의했다… 양국은 \"미래 지향적\" 관계를 강조했다.",
        "회담은 90분 동안 이어졌다.",
        "회담 뒤 만찬이 열렸다.",
        "",
    ]
    assert article.title == "한일 외교장관, 서울에서 회담"  # og:title, not the <title> with the site's name
    assert article.date == dt.date(2024, 3, 14)  # article:published_time wins over <time datetime>
    assert article.url == "https://example.org/news/123"  # canonical wins over og:url
    assert article.publisher == "가상일보"
    assert article.lang == "ko"  # from <html lang="ko-KR">
    assert article.source == "page.html" and article.warnings == ()
    for dropped in ("추적", "스크립트", "광고", "font-family", "가상일보 홈", "머리글", "정치", "국제", "주석",
                    "자바스크립트", "템플릿", "많이 본", "꼬리말", "회사 소개", "끝 스크립트", "&middot;", "&quot;"):
        assert dropped not in article.text, dropped


def page(tmp_path: Path, name: str, html: str) -> Article:
    path = tmp_path / name
    path.write_text(html, encoding="utf-8")
    return read_article(path)


def test_html_metadata_fallbacks(tmp_path: Path) -> None:
    a = page(tmp_path, "a.htm", """<html><head><title>Talks in Seoul | Daily</title>
        <meta name="date" content="2024-01-05"><meta property="og:url" content="https://example.org/a"></head>
        <body><header><h1>Site banner</h1></header><div><h1>Ministers hold talks</h1>
        <p>The ministers met on Friday.</p></div><footer>About us</footer></body></html>""")
    assert a.title == "Ministers hold talks"  # the first <h1> outside the page's chrome
    assert a.date == dt.date(2024, 1, 5) and a.url == "https://example.org/a"
    assert a.text == "Ministers hold talks\nThe ministers met on Friday.\n"  # no <article>: the page's body
    assert a.lang == "en"  # no <html lang>: guessed from the text
    b = page(tmp_path, "b.html", """<!doctype html><title>Seoul &amp; Tokyo talk</title>
        <p>Officials talked.<time datetime="2023-12-24T08:00">Sunday</time>""")
    assert b.title == "Seoul & Tokyo talk" and b.date == dt.date(2023, 12, 24)
    assert b.text == "Seoul & Tokyo talk\nOfficials talked.Sunday\n"  # the title is the first line


def test_html_with_unclosed_tags_and_stray_end_tags(tmp_path: Path) -> None:
    a = page(tmp_path, "a.html", "<html><body><div><p>첫째 문단<p>둘째 &lt;문단&gt;<nav>메뉴 1<li>메뉴 2</div>"
                                 "</span></p><p>셋째 &amp; 넷째 <b>굵게<i>기울임</div>다섯째 a < b"
                                 "<p>여섯째<script>숨김")
    assert a.text == "첫째 문단\n둘째 <문단>\n셋째 & 넷째 굵게기울임\n다섯째 a < b\n여섯째\n"
    # Declarations html.parser gives up on (it raises AssertionError) are dropped, the text around them kept.
    b = page(tmp_path, "b.html", "<p>앞<![foo[ 숨김 ]]>뒤</p><p>다음<![ x >끝</p>")
    assert b.text == "앞뒤\n다음끝\n"


def test_txt_holding_a_whole_page_is_read_as_a_page(tmp_path: Path) -> None:
    path = tmp_path / "saved.txt"
    shutil.copy(DATA / "page.html", path)
    article = read_article(path)
    assert article.text == read_article(DATA / "page.html").text and article.date == dt.date(2024, 3, 14)


def test_html_impossible_date_is_a_warning_with_its_line(tmp_path: Path) -> None:
    a = page(tmp_path, "a.html", '<html>\n<head>\n<meta property="article:published_time" content="2024-02-30">\n'
                                 "</head><body><p>Talks were held.</p></body></html>")
    assert a.date is None and a.text == "Talks were held.\n"
    [w] = a.warnings
    assert (w.path, w.line) == (str(tmp_path / "a.html"), 3) and "impossible date" in w.problem


def test_markup_inside_markdown_keeps_its_text(tmp_path: Path) -> None:
    path = tmp_path / "a.md"
    path.write_text("# 제목\n<div>본문 <b>하나</b><noscript>숨김</noscript></div><p>둘 &amp; 셋</p>\n",
                    encoding="utf-8")
    assert read_article(path).text == "제목\n본문 하나\n둘 & 셋\n"


def test_folders_give_every_format(tmp_path: Path) -> None:
    for name in ("a.html", "b.htm", "c.jsonl", "d.jsonl.gz", "e.md", "f.txt", "g.gz", "a.meta.yaml", "h.json",
                 "README.md"):
        (tmp_path / name).write_bytes(b"x")
    assert [p.name for p in iter_article_files([tmp_path])] == ["a.html", "b.htm", "c.jsonl", "d.jsonl.gz", "e.md",
                                                                 "f.txt"]


# -- 2. JSON lines --------------------------------------------------------------------------------------

GOOD = ["news.jsonl#k-001", "news.jsonl#2", "news.jsonl#7", "news.jsonl#k-010"]
BAD = {4: "impossible date", 5: "no text", 6: "invalid JSON", 7: "not a JSON object",
       9: "already the article of line 1"}


def test_jsonl_each_line_is_an_article_and_bad_lines_are_reported() -> None:
    path = DATA / "news.jsonl"
    articles, errors = articles_and_errors(path)
    assert [a.source for a in articles] == GOOD
    first, second, third, last = articles
    assert (first.title, first.date, first.url, first.publisher, first.lang) == (
        "한미 외교장관 통화", dt.date(2024, 4, 2), "https://example.org/k-001", "가상일보", "ko")
    assert first.text == "한미 외교장관 통화\n조태열 외교부 장관은 2일 토니 블링컨 미국 국무장관과 전화 통화를 했다.\n"
    assert second.date == dt.date(2024, 4, 3) and second.lang == "en"
    assert second.text == ("Ministers meet in Tokyo\n"  # the title, which the text does not say
                           "The foreign ministers of Korea and Japan met in Tokyo on Wednesday.\n")
    assert third.text == "양국은 공급망 협력을 늘리기로 했다.\n"  # "content", markup reduced, script dropped
    assert last.text == "마지막 기사도 끝까지 읽힌다.\n" and last.date == dt.date(2024, 4, 5)
    assert {e.line: e.problem for e in errors}.keys() == BAD.keys()
    for e in errors:
        assert e.path == str(path) and BAD[e.line or 0] in e.problem
        assert str(e).startswith(f"{path}:{e.line}: ")


def test_jsonl_sources_are_stable_and_unique(tmp_path: Path) -> None:
    runs = [[a.source for a in articles_and_errors(DATA / "news.jsonl")[0]] for _ in range(2)]
    assert runs[0] == runs[1] == GOOD and len(set(runs[0])) == len(runs[0])
    # Line numbers and ids cannot collide: the second claimant of a source is a bad line.
    path = tmp_path / "x.jsonl"
    path.write_text('{"text": "one"}\n{"id": "1", "text": "two"}\n{"id": 4, "text": "three"}\n{"text": "four"}\n',
                    encoding="utf-8")
    articles, errors = articles_and_errors(path)
    assert [a.source for a in articles] == ["x.jsonl#1", "x.jsonl#4"]
    assert [(e.line, e.problem.split(":")[0]) for e in errors] == [
        (2, "x.jsonl#1 is already the article of line 1"), (4, "x.jsonl#4 is already the article of line 3")]


def test_jsonl_gz_reads_like_jsonl(tmp_path: Path) -> None:
    path = tmp_path / "news.jsonl.gz"
    path.write_bytes(gzip.compress((DATA / "news.jsonl").read_bytes()))
    plain, plain_errors = articles_and_errors(DATA / "news.jsonl")
    packed, packed_errors = articles_and_errors(path)
    assert [a.source for a in packed] == [s.replace("news.jsonl", "news.jsonl.gz") for s in GOOD]
    assert [a.text for a in packed] == [a.text for a in plain]
    assert [(e.line, e.problem.replace(".gz", "")) for e in packed_errors] == [
        (e.line, e.problem) for e in plain_errors]


def test_truncated_or_fake_gzip_is_reported_after_the_lines_it_had(tmp_path: Path) -> None:
    lines = "".join(json.dumps({"id": i, "text": f"기사 {i} 본문 " * 50}) + "\n" for i in range(200))
    packed = gzip.compress(lines.encode("utf-8"))
    path = tmp_path / "cut.jsonl.gz"
    path.write_bytes(packed[: len(packed) // 2])
    articles, errors = articles_and_errors(path)
    assert articles and [a.source for a in articles] == [f"cut.jsonl.gz#{i}" for i in range(len(articles))]
    [error] = errors
    assert error.line == len(articles) + 1 and "cannot read on" in error.problem
    fake = tmp_path / "fake.jsonl.gz"
    fake.write_text('{"text": "not compressed"}\n', encoding="utf-8")
    [error] = list(read_articles(fake))
    assert isinstance(error, InputError) and error.path == str(fake) and "gzip" in error.problem.lower()


def test_jsonl_refusals(tmp_path: Path) -> None:
    cases = {"empty.jsonl": (b"", "empty file"), "blank.jsonl": (b"\n  \n\n", "only blank lines"),
             "bin.jsonl": (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary"),
             "latin.jsonl": ('{"text": "caf\xe9"}\n'.encode("latin-1"), "not UTF-8"),
             "deep.jsonl": (b"[" * 100_000 + b"\n", "invalid JSON"),
             "types.jsonl": (b'{"text": ["a"]}\n', "text is not a string"),
             "badid.jsonl": (b'{"id": {"a": 1}, "text": "x"}\n', "id is not a string or a number"),
             "nul.jsonl": (b'{"text": "ok"}\n{"text": "a\\u0000b"}\n', "binary")}
    for name, (content, problem) in cases.items():
        path = tmp_path / name
        path.write_bytes(content)
        errors = [i for i in read_articles(path) if isinstance(i, InputError)]
        assert errors and problem in errors[-1].problem and errors[-1].path == str(path), (name, errors)
    with pytest.raises(InputError, match="one article per line"):
        read_article(tmp_path / "types.jsonl")


def test_jsonl_line_over_the_size_limit_is_skipped_and_reported(tmp_path: Path) -> None:
    path = tmp_path / "long.jsonl"
    path.write_text(json.dumps({"text": "짧은 기사"}) + "\n" + json.dumps({"text": "긴 기사 " * 5000}) + "\n"
                    + json.dumps({"text": "다음 기사"}) + "\n", encoding="utf-8")
    articles, errors = articles_and_errors(path, max_bytes=1000)
    assert [a.text for a in articles] == ["짧은 기사\n", "다음 기사\n"]
    assert [a.source for a in articles] == ["long.jsonl#1", "long.jsonl#3"]
    [error] = errors
    assert error.line == 2 and "longer than" in error.problem


def test_jsonl_sidecar_gives_defaults_and_overrides_win(tmp_path: Path) -> None:
    path = tmp_path / "feed.jsonl"
    path.write_text('{"text": "가", "publisher": "자체"}\n{"text": "나", "date": "2024-01-02"}\n', encoding="utf-8")
    (tmp_path / "feed.meta.yaml").write_text("publisher: 공통\ndate: 2023-12-31\n", encoding="utf-8")
    articles, _ = articles_and_errors(path)
    assert [(a.publisher, a.date) for a in articles] == [("자체", dt.date(2023, 12, 31)), ("공통", dt.date(2024, 1, 2))]
    articles, _ = articles_and_errors(path, overrides={"date": "2025-05-05"})
    assert {a.date for a in articles} == {dt.date(2025, 5, 5)}


def test_import_of_jsonl_gives_each_article_its_graph_and_report(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    path = folder / "feed.jsonl"
    path.write_text("\n".join([
        json.dumps({"id": "a", "date": "2024-05-26",
                    "text": "윤석열 대통령은 26일 서울에서 기시다 후미오 일본 총리와 회담했다."}),
        json.dumps({"date": "2024-05-27", "text": "President Yoon Suk Yeol met Chinese Premier Li Qiang in Seoul."}),
        "{broken",
        json.dumps({"id": "c", "text": "양국은 협력을 늘리기로 했다."}),
    ]) + "\n", encoding="utf-8")
    with Store(tmp_path / "db") as store:
        reports = import_paths(store, [folder])
        assert [(r.path, r.status) for r in reports] == [
            (f"{path}#a", "imported"), (f"{path}#2", "imported"), (str(path), "failed"), (f"{path}#c", "imported")]
        assert reports[2].line() == f"FAILED     {path}: line 3: invalid JSON at column 2: " \
                                    "Expecting property name enclosed in double quotes"
        graphs = set(store.graphs())
        for source in ("feed.jsonl#a", "feed.jsonl#2", "feed.jsonl#c"):
            assert iris.article_graph(source) in graphs
        assert reports[0].meetings == 1
        before = set(store.quads())
        again = import_paths(store, [folder])
        assert [r.status for r in again] == ["unchanged", "unchanged", "failed", "unchanged"]
        assert set(store.quads()) == before
        assert remove_articles(store, [f"{path}#2"]) == ["feed.jsonl#2"]
        assert iris.article_graph("feed.jsonl#2") not in store.graphs()
        assert iris.article_graph("feed.jsonl#a") in store.graphs()


# -- 3. encodings ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["ko-utf8.txt", "ko-utf8-bom.txt", "ko-utf16le.txt", "ko-utf16be.txt",
                                  "ko-cp949.txt"])
def test_korean_in_every_encoding_reads_to_the_same_text(name: str) -> None:
    article = read_article(DATA / name)
    assert article.text == normalise_text(KO) and article.lang == "ko"
    assert "똠얌꿍" in article.text  # CP949's extension of EUC-KR


def test_euc_kr(tmp_path: Path) -> None:
    expected = "".join(line for line in KO.splitlines(keepends=True) if "똠" not in line)
    assert read_article(DATA / "ko-euckr.txt").text == normalise_text(expected)


def test_short_korean_and_latin_code_pages(tmp_path: Path) -> None:
    for text, codec in (("외교부 장관", "cp949"), ("가", "cp949"), ("한국어", "euc-kr"),
                        ("Le café est très bon, merci beaucoup.", "latin-1"), ("Señor Müller", "cp1252")):
        path = tmp_path / "short.txt"
        path.write_bytes(text.encode(codec))
        assert read_article(path).text == text + "\n", (text, codec)


def test_web_page_in_cp949_reads_like_utf8(tmp_path: Path) -> None:
    html = (DATA / "page.html").read_text(encoding="utf-8").replace('charset="utf-8"', 'charset="euc-kr"')
    path = tmp_path / "page.html"
    path.write_bytes(html.encode("cp949"))
    original, copy = read_article(DATA / "page.html"), read_article(path)
    assert (copy.text, copy.title, copy.date, copy.publisher) == (
        original.text, original.title, original.date, original.publisher)


def test_utf16_without_byte_order_mark_is_refused_not_misread(tmp_path: Path) -> None:
    path = tmp_path / "nobom.txt"
    path.write_bytes(KO.encode("utf-16-le"))
    assert "binary" in refused(path).problem


# -- 4. refusals ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content", "problem"),
    [
        ("zero.txt", b"", "empty file"),
        ("spaces.md", b" \n\t\n\r\n", "no text"),
        ("nul.txt", "본문\x00본문".encode(), "binary"),
        ("png.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4, "binary"),
        ("bytes.html", bytes(range(1, 256)) * 40, "binary"),
        ("controls.txt", b"\x01\x02\x03\x04 ab\x05\x06\x07\x08" * 200, "control characters"),
        ("markup.html", b"<html><head><title></title><script>x()</script></head><body><nav>menu</nav></body></html>",
         "no text"),
        ("markup.txt", b"<div> <p>&nbsp;</p> <br/> </div>", "no text"),
        ("front-only.md", b"---\ntitle:\n---\n\n", "no text"),
        ("data.json", b'{"text": "x"}', "unsupported file type"),
    ],
)
def test_refusals_name_the_file_and_the_reason(tmp_path: Path, name: str, content: bytes, problem: str) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    assert problem in refused(path).problem


def test_files_over_max_bytes_are_refused_in_reading_and_import(tmp_path: Path) -> None:
    assert MAX_BYTES == 50 * 1024 * 1024
    path = tmp_path / "big.txt"
    path.write_text("한미 정상회담이 열렸다. " * 100, encoding="utf-8")
    assert "too large" in refused(path, max_bytes=1024).problem
    assert read_article(path, max_bytes=path.stat().st_size).text.startswith("한미 정상회담이 열렸다.")
    with Store(tmp_path / "db") as store:
        [report] = import_paths(store, [path], max_bytes=1024)
        assert report.status == "failed" and "too large" in report.error and "1 KB" in report.error
        assert iris.article_graph("big.txt") not in store.graphs()


# -- 5. broken front matter and impossible dates --------------------------------------------------------


def test_broken_front_matter_keeps_the_text_and_warns_with_lines() -> None:
    article = read_article(DATA / "broken-front.md")
    assert article.text == ("서울에서 열린 외교장관 회담\n외교부 장관은 서울에서 일본 외무상과 회담을 가졌다.\n"
                            "두 장관은 청년 교류를 늘리기로 했다.\n")
    assert article.title == "서울에서 열린 외교장관 회담"  # its own line reads, so it is kept
    assert article.date is None
    where = str(DATA / "broken-front.md")
    assert sorted((w.path, w.line, w.problem.split(":")[0]) for w in article.warnings) == [
        (where, 3, "impossible date '2024-02-30'"), (where, 4, "broken front matter")]


def test_impossible_date_falls_back_to_the_next_source(tmp_path: Path) -> None:
    path = tmp_path / "a.md"
    path.write_text("---\ntitle: T\ndate: 2024-03-01\n---\nBody.\n", encoding="utf-8")
    (tmp_path / "a.meta.yaml").write_text("# metadata\npublisher: P\ndate: 2024-02-30\n", encoding="utf-8")
    article = read_article(path)
    assert article.date == dt.date(2024, 3, 1) and article.publisher == "P"
    [w] = article.warnings
    assert (w.path, w.line) == (str(tmp_path / "a.meta.yaml"), 3) and "impossible date" in w.problem
    (tmp_path / "a.meta.yaml").write_text("date: [unclosed\n", encoding="utf-8")
    [w] = read_article(path).warnings
    assert w.path == str(tmp_path / "a.meta.yaml") and w.line == 1 and "broken YAML" in w.problem
    with pytest.raises(InputError, match="impossible date"):  # a date given as an option must be right
        read_article(path, {"date": "2024-02-30"})


def test_hostile_yaml_is_a_warning(tmp_path: Path) -> None:
    laughs = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{c}: &{c} [{', '.join(['*' + p] * 9)}]\n" for p, c in zip("abcdefgh", "bcdefghi", strict=True))
    for front, problem in ((laughs + "title: *i\n", "title is not a single value"),
                           ("title: " + "[" * 5000 + "\n", "broken front matter"),
                           ("title: " + "9" * 5000 + "\n", "broken front matter"),
                           ("- a\n- b\n", "not a mapping")):
        path = tmp_path / "y.md"
        path.write_text(f"---\n{front}---\n본문이 있다.\n", encoding="utf-8")
        article = read_article(path)
        assert article.text.endswith("본문이 있다.\n") and article.title == ""
        assert any(problem in w.problem for w in article.warnings), (problem, article.warnings)


def test_import_reports_warnings_and_imports_the_article(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(DATA / "broken-front.md", folder)
    with Store(tmp_path / "db") as store:
        [report] = import_paths(store, [folder])
        assert report.status == "imported" and len(report.warnings) == 2
        assert "line 3: impossible date '2024-02-30'" in report.line()
        assert "line 4: broken front matter" in report.line() and "2 warnings" in report.line()
        assert iris.article_graph("broken-front.md") in store.graphs()


# -- 6. very long lines, huge files ---------------------------------------------------------------------


def test_five_megabyte_single_line(tmp_path: Path) -> None:
    sentence = "윤석열 대통령은 서울에서 <span>기시다</span> 총리와 만났다 &amp; [링크](http://x) **강조** < > "
    line = sentence * (5 * 1024 * 1024 // len(sentence.encode("utf-8")) + 1)
    assert len(line.encode("utf-8")) > 5 * 1024 * 1024 and "\n" not in line
    reduced = "윤석열 대통령은 서울에서 기시다 총리와 만났다 & 링크 강조 < >"  # markup, entities and Markdown reduced
    for name, said in (("long.txt", reduced), ("long.md", reduced),
                       ("long.html", "윤석열 대통령은 서울에서 기시다 총리와 만났다 & [링크](http://x) **강조** < >")):
        path = tmp_path / name
        path.write_text(line, encoding="utf-8")
        article = read_article(path)
        assert article.text.count("\n") == 1, name  # one line, one paragraph
        assert article.text.count(said) == line.count("윤석열"), name
    path = tmp_path / "long.jsonl"
    path.write_text(json.dumps({"id": "big", "text": line}, ensure_ascii=False) + "\n", encoding="utf-8")
    [article] = list(read_articles(path))
    assert isinstance(article, Article) and article.source == "long.jsonl#big"
    assert article.text.count(reduced) == line.count("윤석열")


def test_jsonl_of_twenty_thousand_lines_is_read_as_a_stream(tmp_path: Path) -> None:
    path = tmp_path / "many.jsonl"
    body = "외교부 장관은 오늘 일본 외무상과 회담했다. The ministers met in Seoul. " * 10
    with path.open("w", encoding="utf-8") as f:
        for i in range(20_000):
            record = {"id": f"n{i}", "date": f"2024-{i % 12 + 1:02d}-{i % 28 + 1:02d}", "text": f"{i}번 기사. {body}"}
            if i == 12_345:
                f.write("{not json}\n")
            f.write(json.dumps(record, ensure_ascii=False) + "\n")
    size = path.stat().st_size
    assert size > 15_000_000
    items = read_articles(path)
    count = 0
    errors = []
    tracemalloc.start()  # while the first 500 lines are read, far less than the file is held
    try:
        for item in items:
            if isinstance(item, InputError):
                errors.append(item)
                continue
            assert item.source == f"many.jsonl#n{count}" and item.text.startswith(f"{count}번 기사.")
            assert item.date == dt.date(2024, count % 12 + 1, count % 28 + 1)
            count += 1
            if count == 500:
                peak = tracemalloc.get_traced_memory()[1]
                tracemalloc.stop()
    finally:
        tracemalloc.stop()
    assert peak < size / 20, f"peak {peak} bytes reading a file of {size}: not read as a stream"
    assert count == 20_000
    assert [(e.line, "invalid JSON" in e.problem) for e in errors] == [(12_346, True)]


# -- 7. arbitrary text ----------------------------------------------------------------------------------

TEXT = st.text(st.characters(exclude_categories=("Cs",)), max_size=400)
MIXED = st.lists(st.one_of(
    st.sampled_from(["윤석열 대통령은", "기시다 총리와", "정상회담을 가졌다.", "President Biden met", "in Seoul",
                     "\u202e", "\u200f", "مرحبا", "שלום", "🙂", "👩‍👩‍👧", "\x00", "\x1b[31m", "\u2028", "\r\n", "\t",
                     "\ufeff", "&amp;", "<p>", "</div>", "---\n", "2024-02-30", "26일", "지난달"]),
    TEXT), max_size=40).map("".join)
MARKUP = st.lists(st.sampled_from([  # the pieces of HTML, Markdown, YAML front matter and JSON, shuffled
    "<", ">", "<!", "<![", "[", "]", "]]>", "<!--", "-->", "<?", "</", "/>", "a", "p", "div", "=", '"', "'", "&", "#",
    ";", "script", "style", "title", "CDATA", "DOCTYPE", "if", " ", "\n", "&amp;", "&#", "&#x", "nav", "article",
    "head", "body", "html", "meta", "property=", "content=", "og:title", "h1", "time", "datetime=", "---\n", "title: ",
    "date: ", "2024-02-30", "{", "}", "- ", "? ", ": ", "*", "&a", "*a", "!", "|", "(", ")", "**", "가", "기사"]),
    max_size=80).map("".join)
ANY_TEXT = st.one_of(TEXT, MIXED, MARKUP)


@PROPERTY
@given(text=ANY_TEXT, suffix=st.sampled_from([".txt", ".md", ".html", ".htm"]))
def test_reading_arbitrary_text_raises_nothing_but_input_error(tmp_path: Path, text: str, suffix: str) -> None:
    path = tmp_path / f"any{suffix}"
    path.write_text(text, encoding="utf-8")
    try:
        article = read_article(path)
    except InputError as exc:
        assert exc.path == str(path)
        assert any(p in exc.problem for p in ("empty file", "no text", "binary")), exc.problem
        return
    assert article.text.endswith("\n") and article.text.strip()
    assert "\x00" not in article.text and "\r" not in article.text
    article.content_hash  # noqa: B018 - encodes everything read


@PROPERTY
@given(text=TEXT.filter(lambda t: "<" not in t and not t.startswith("-")))
def test_plain_text_reads_as_itself_normalised_in_any_unicode_encoding(tmp_path: Path, text: str) -> None:
    text = text.removeprefix("\ufeff")
    expected: str | None
    try:
        path = tmp_path / "plain.txt"
        path.write_text(text, encoding="utf-8")
        expected = read_article(path).text
    except InputError:
        expected = None
    if expected is not None and "\x00" not in text:
        assert expected == normalise_text(text)
    for codec in ("utf-8-sig", "utf-16", "utf-32"):
        path.write_bytes(text.encode(codec))
        try:
            assert read_article(path).text == expected
        except InputError:
            assert expected is None


@PROPERTY
@given(content=st.binary(max_size=600), suffix=st.sampled_from([".txt", ".md", ".html", ".jsonl", ".jsonl.gz"]))
def test_reading_arbitrary_bytes_raises_nothing_but_input_error(tmp_path: Path, content: bytes, suffix: str) -> None:
    path = tmp_path / f"bytes{suffix}"
    path.write_bytes(content)
    for item in read_articles(path):
        assert isinstance(item, Article | InputError)
        if isinstance(item, InputError):
            assert item.path == str(path)


JSON_VALUES = st.recursive(st.none() | st.booleans() | st.integers() | st.floats() | TEXT,
                           lambda inner: st.lists(inner, max_size=3) | st.dictionaries(TEXT, inner, max_size=3),
                           max_leaves=8)
RECORDS = st.fixed_dictionaries({}, optional={k: JSON_VALUES | TEXT for k in (
    "id", "text", "body", "content", "title", "date", "url", "publisher", "lang")})


@PROPERTY
@given(lines=st.lists(RECORDS | JSON_VALUES, min_size=1, max_size=6))
def test_arbitrary_json_lines_give_articles_or_line_errors(tmp_path: Path, lines: list[object]) -> None:
    path = tmp_path / "any.jsonl"
    path.write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")
    items = list(read_articles(path))
    sources = [i.source for i in items if isinstance(i, Article)]
    assert len(sources) == len(set(sources))
    for item in items:
        if isinstance(item, InputError):
            assert item.path == str(path) and item.line is not None and 1 <= item.line <= len(lines)
        else:
            assert item.text.strip() and item.source.startswith("any.jsonl#")
            item.content_hash  # noqa: B018 - encodes everything read: no lone surrogates from JSON escapes


@PROPERTY
@given(text=ANY_TEXT, date=st.none() | st.dates(), lang=st.sampled_from(["", "ko", "en", "und"]))
def test_extraction_never_raises_on_arbitrary_text(text: str, date: dt.date | None, lang: str) -> None:
    for body in (text, normalise_text(text)):
        extraction = extract_article(Article("any.txt", body, date=date, lang=lang))
        for fact in (*extraction.meetings, *extraction.agreements, *extraction.relations, *extraction.people):
            assert 0 <= fact.evidence.start <= fact.evidence.end <= len(body)
