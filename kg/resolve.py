"""Resolve extracted meetings to events: one real-world meeting, one IRI, whatever the article.

A meeting reported by several articles, in Korean and in English, first as planned and later as
held, must be one event. Each meeting of an extraction is resolved, in this order, to:

1. **a known meeting of a series** (``data/gazetteer/series.tsv``: the Korea-Japan-China summits,
   G20, G7, APEC, NATO ...): by its edition (제9차 = 9th) when the article gives one, else by its
   date (a day within a day of the meeting's days, a month or year that holds only one of them),
   else, undated, by its status and the article's date (planned: the next meeting of the series
   within a year of publication; held: the last one within a year before it);
2. **an event another article reported**: same type, same participants and a compatible date
   (below), when exactly one such event is known (in the store, or earlier in the same import);
3. **the event the same article dates elsewhere**: an undated mention of a meeting that the
   article dates once (its type and participants) is that meeting;
4. otherwise an event of its own: keyed by type, participants and day when dated to the day,
   else by type, participants, article and date.

Dates are compared as windows of days. A date to the day is that day, give or take one (time
zones, overnight talks); a month, a year or a range is its span; an undated report, by what it
says and when it was published: planned, the 90 days after publication; held, the 14 days before.
Two reports are compatible when their windows meet and at least one of them is dated to the day,
or when both give the same month, year or range. Two undated reports are never merged.

IRIs are minted by ``kg.iris`` from the keys made here; the result depends on what is known at
the time (the store and the gazetteer), so importing the same articles in another order can
choose another of the reports' keys for an event, never more events.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from rdflib import URIRef

from kg import iris
from kg.extract.records import Extraction, Meeting, When
from kg.gazetteer import Edition, Gazetteer

if TYPE_CHECKING:
    from kg.store import Store

DAY = dt.timedelta(days=1)
PLANNED_AHEAD = dt.timedelta(days=90)  # an undated plan is for the next three months
HELD_BEFORE = dt.timedelta(days=14)  # an undated report of a held meeting is of the last two weeks
SERIES_REACH = dt.timedelta(days=366)  # an undated meeting of a series is the next or last within a year

Window = tuple[dt.date, dt.date]


@dataclass(frozen=True)
class Resolved:
    """The event a meeting is, and the known meeting of a series it is, if any."""

    iri: URIRef
    edition: Edition | None = None


@dataclass(frozen=True, slots=True)
class Report:
    """One article's report of an event: what is compared to resolve another article's meetings."""

    event: URIRef
    type: str
    participants: tuple[str, ...]
    source: str
    window: Window | None
    precise: bool  # dated to the day
    dated: bool  # dated at all (else the window comes from the status and the publication date)


def _month_end(year: int, month: int) -> dt.date:
    first_next = dt.date(year + month // 12, month % 12 + 1, 1)
    return first_next - DAY


def date_window(when: When, status: str, published: dt.date | None) -> tuple[Window | None, bool]:
    """The days a report's meeting can be on, and whether it is dated to the day."""
    value = when.value
    try:
        if len(value) == 10:
            day = dt.date.fromisoformat(value)
            return (day - DAY, day + DAY), True
        if len(value) == 7:
            year, month = int(value[:4]), int(value[5:])
            return (dt.date(year, month, 1), _month_end(year, month)), False
        if len(value) == 4:
            return (dt.date(int(value), 1, 1), dt.date(int(value), 12, 31)), False
        if when.earliest or when.latest:
            earliest = dt.date.fromisoformat(when.earliest) if when.earliest else dt.date.min
            latest = dt.date.fromisoformat(when.latest) if when.latest else dt.date.max
            return (earliest, latest), False
    except ValueError:  # a malformed date is no date
        pass
    if published is None:
        return None, False
    if status == "planned":
        return (published, published + PLANNED_AHEAD), False
    if status == "held":
        return (published - HELD_BEFORE, published), False
    return (published - HELD_BEFORE, published + PLANNED_AHEAD), False


def _dated(when: When) -> bool:
    return bool(when.value or when.earliest or when.latest)


def compatible(a: tuple[Window | None, bool, bool], b: tuple[Window | None, bool, bool]) -> bool:
    """Whether two reports (window, dated to the day, dated at all) can be of one meeting."""
    (wa, precise_a, dated_a), (wb, precise_b, dated_b) = a, b
    if wa is None or wb is None or not (wa[0] <= wb[1] and wb[0] <= wa[1]):
        return False
    if precise_a or precise_b:
        return True
    return dated_a and dated_b and wa == wb


def _overlaps(window: Window, edition: Edition, slack: dt.timedelta = dt.timedelta(0)) -> bool:
    return window[0] <= edition.end + slack and edition.start - slack <= window[1]


def find_edition(gazetteer: Gazetteer, meeting: Meeting, published: dt.date | None) -> Edition | None:
    """The known meeting of a series that ``meeting`` is, if the gazetteer tells it."""
    editions = gazetteer.editions_of(meeting.type, meeting.participants)
    if not editions:
        return None
    if meeting.edition is not None:
        numbered = [e for e in editions if e.edition == meeting.edition]
        return numbered[0] if len(numbered) == 1 else None
    window, _ = date_window(meeting.when, meeting.status, None)
    if window is not None:
        hits = [e for e in editions if _overlaps(window, e)]
        return hits[0] if len(hits) == 1 else None
    if published is None:
        return None
    if meeting.status == "planned":
        ahead = [e for e in editions if published - DAY <= e.start <= published + SERIES_REACH]
        return ahead[0] if ahead else None
    if meeting.status == "held":
        before = [e for e in editions if published - SERIES_REACH <= e.end <= published]
        return before[-1] if before else None
    return None


def series_key(meeting: Meeting, edition: Edition | None) -> tuple[object, ...] | None:
    """The key of a meeting of a series: its series and edition (or first day, for unnumbered series)."""
    if edition is not None:
        return ("series", edition.series, edition.edition or edition.start.isoformat())
    if meeting.series and meeting.edition:
        return ("series", meeting.series, meeting.edition)
    return None


def _month(day: dt.date) -> int:
    return day.year * 12 + day.month - 1


WIDE_MONTHS = 15  # windows spanning more months than this are kept apart and compared with every window


_NONE: frozenset[Report] = frozenset()


class _Reports:
    """The reports of one type and participants, indexed by the months their windows span.

    News repeats the same pairs of countries year after year: comparing a report with only the
    reports of its months keeps resolving an import linear in its size. Reports without a window
    are never compatible with another and are not kept.
    """

    def __init__(self) -> None:
        self._months: dict[int, set[Report]] = defaultdict(set)
        self._wide: set[Report] = set()
        self._count = 0

    def __len__(self) -> int:
        return self._count

    @staticmethod
    def _span(window: Window) -> range | None:
        first, last = _month(window[0]), _month(window[1])
        return range(first, last + 1) if last - first < WIDE_MONTHS else None

    def _buckets(self, window: Window) -> list[set[Report]]:
        """The sets a report of ``window`` is kept in: one a month it spans, or the wide reports'."""
        span = self._span(window)
        return [self._wide] if span is None else [self._months[month] for month in span]

    def add(self, report: Report) -> None:
        if report.window is not None:
            for bucket in self._buckets(report.window):
                bucket.add(report)
            self._count += 1

    def discard(self, report: Report) -> None:
        if report.window is not None:
            for bucket in self._buckets(report.window):
                bucket.discard(report)
            self._count -= 1

    def meeting(self, window: Window) -> Iterator[Report]:
        """Every kept report whose window can meet ``window`` (a superset of those that do); a report
        spanning several months may come once a month."""
        span = self._span(window)
        yield from self._wide
        for month in (span if span is not None else list(self._months)):
            yield from self._months.get(month, _NONE)


class Resolver:
    """Resolves the meetings of articles against the gazetteer and the events already known.

    ``known`` are reports of other articles (from the store: ``stored_reports``);
    ``remember`` adds an article's own, so that later articles of the same import find them.
    """

    def __init__(self, gazetteer: Gazetteer, known: Iterable[Report] = ()) -> None:
        self.gazetteer = gazetteer
        self._by_kind: dict[tuple[str, tuple[str, ...]], _Reports] = defaultdict(_Reports)
        self._sources: dict[str, list[Report]] = defaultdict(list)
        for report in known:
            self._add(report)

    def _add(self, report: Report) -> None:
        self._by_kind[(report.type, report.participants)].add(report)
        self._sources[report.source].append(report)

    def forget(self, source: str) -> None:
        """Drop what is known from the article ``source`` (it is being replaced or removed)."""
        for report in self._sources.pop(source, []):
            self._by_kind[(report.type, report.participants)].discard(report)

    def resolve(self, extraction: Extraction) -> list[Resolved]:
        """The event of each meeting of ``extraction``, in order."""
        article = extraction.article
        published, source = article.date, article.source
        out: list[Resolved | None] = []
        # Meetings of a series and meetings dated to the day first: they anchor the others.
        anchors: dict[tuple[str, tuple[str, ...]], set[URIRef]] = defaultdict(set)
        for m in extraction.meetings:
            edition = find_edition(self.gazetteer, m, published)
            key = series_key(m, edition)
            r: Resolved | None = None
            if key is not None:
                r = Resolved(iris.event(key), edition)
            elif len(m.when.value) == 10:
                other = self._reported(m, published, source)
                key = ("dated", m.type, m.participants, m.when.value)
                r = Resolved(other if other is not None else iris.event(key))
            if r is not None:
                anchors[(m.type, m.participants)].add(r.iri)
            out.append(r)
        # An undated (or vaguely dated) mention of a meeting the same article dates once is that meeting;
        # else one other articles reported; else one of its own.
        for i, m in enumerate(extraction.meetings):
            if out[i] is not None:
                continue
            candidates = anchors.get((m.type, m.participants), set())
            if len(candidates) == 1:
                out[i] = Resolved(next(iter(candidates)))
                continue
            other = self._reported(m, published, source)
            out[i] = Resolved(other if other is not None else iris.event(
                ("article", m.type, m.participants, source, m.when.value, m.when.earliest, m.when.latest)))
        return [r for r in out if r is not None]

    def _reported(self, m: Meeting, published: dt.date | None, source: str) -> URIRef | None:
        """The one event other articles reported that ``m`` can be, if there is exactly one."""
        reports = self._by_kind.get((m.type, m.participants))
        if not reports:
            return None
        window, precise = date_window(m.when, m.status, published)
        if window is None:
            return None
        mine = (window, precise, _dated(m.when))
        found: set[URIRef] = set()
        for r in reports.meeting(window):
            if r.event not in found and r.source != source and compatible(mine, (r.window, r.precise, r.dated)):
                found.add(r.event)
                if len(found) > 1:  # two events it can be: it is neither
                    return None
        return next(iter(found)) if found else None

    def remember(self, extraction: Extraction, events: Sequence[Resolved]) -> None:
        """Know ``extraction``'s meetings as reports of their events (replacing what its article said before)."""
        article = extraction.article
        self.forget(article.source)
        for m, r in zip(extraction.meetings, events, strict=True):
            window, precise = date_window(m.when, m.status, article.date)
            self._add(Report(r.iri, m.type, m.participants, article.source, window, precise, _dated(m.when)))


_REPORTS = """
PREFIX dip: <https://w3id.org/dkg/ontology#>
PREFIX dcterms: <http://purl.org/dc/terms/>
SELECT ?event ?class ?file ?published ?code ?status ?date ?earliest ?latest WHERE {
  VALUES ?class { dip:Summit dip:MinisterialMeeting dip:ViceMinisterialMeeting dip:Talks dip:Visit dip:Conference }
  GRAPH ?g {
    ?event a ?class ; dip:status ?st ; dip:participant ?actor .
    ?article a dip:Article ; dip:sourceFile ?file .
    OPTIONAL { ?article dcterms:date ?published }
    OPTIONAL { ?event dip:date ?date }
    OPTIONAL { ?event dip:dateEarliest ?earliest }
    OPTIONAL { ?event dip:dateLatest ?latest }
  }
  ?actor dip:code ?code .
  ?st dip:statusCode ?status .
}
"""


def stored_reports(store: Store) -> list[Report]:
    """Every article's report of every meeting in ``store`` (one query)."""
    _, rows = store.select(_REPORTS)
    codes: dict[tuple[str, str, str], set[str]] = defaultdict(set)
    facts: dict[tuple[str, str, str], tuple[str, dt.date | None, When]] = {}
    for row in rows:
        event, class_, file, published, code, status, date, earliest, latest = (
            "" if v is None else str(v) for v in row)
        key = (event, class_.rpartition("#")[2], file)
        codes[key].add(code)
        facts.setdefault(key, (status, _day(published), When(date, earliest, latest)))
    reports = []
    for key, (status, day, when) in facts.items():
        window, precise = date_window(when, status, day)
        reports.append(Report(URIRef(key[0]), key[1], tuple(sorted(codes[key])), key[2], window, precise,
                              _dated(when)))
    return reports


def _day(value: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if value else None
    except ValueError:
        return None
