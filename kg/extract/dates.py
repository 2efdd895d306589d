"""Find dates in a sentence and resolve them against the article's publication date.

Korean: ``2025년 9월 30일``, ``9월 30일``, ``16일``, ``26일 오후``, ``오는 9월``, ``지난 3월``,
``올해``, ``내년``, ``지난해``, ``이날``, ``상반기``/``하반기``/``연내`` (ranges).
English: ``September 30, 2025``, ``Sept 6``, ``on the 16th``, ``in March``, ``this year``,
``next year``, ``last year``, ``next month``, ``last week``, ``later this year`` (range).
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

from kg.extract.records import When
from kg.text import plain_lower

_MONTHS = {
    name: number
    for number, names in enumerate(
        [(), ("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"), ("may",),
         ("june", "jun"), ("july", "jul"), ("august", "aug"), ("september", "sept", "sep"),
         ("october", "oct"), ("november", "nov"), ("december", "dec")]
    )
    for name in names
}
_MONTH_RE = "|".join(sorted(_MONTHS, key=len, reverse=True))

_KO_FULL = re.compile(r"(\d{4})년\s*(\d{1,2})월\s*(\d{1,2})일")
_KO_YEAR_MONTH = re.compile(r"(\d{4})년\s*(\d{1,2})월")
_KO_MONTH_DAY = re.compile(r"(?:(오는|지난)\s*)?(\d{1,2})월\s*(\d{1,2})일")
_KO_MONTH = re.compile(r"(?:(오는|지난)\s*)?(?<!\d)(\d{1,2})월(?!\s*\d{1,2}일)")
_KO_DAY = re.compile(r"(?:(오는|지난)\s*)?(?<![\d월])(?<!월 )(\d{1,2})일(?!\s*(?:간|째|동안))")
_KO_YEAR = re.compile(r"(?<!\d)(\d{4})년(?!\s*\d{1,2}월)")
_KO_REL_YEAR_MONTH = re.compile(r"(올해|금년|내년|지난해|작년)\s*(\d{1,2})월(?:\s*(\d{1,2})일)?")
_KO_RELATIVE_YEAR = re.compile(r"(올해|금년|내년|지난해|작년|이날)")
_KO_YEAR_OFFSET = {"올해": 0, "금년": 0, "내년": 1, "지난해": -1, "작년": -1}
_KO_HALF = re.compile(r"(올해|내년|\d{4}년)?\s*(상반기|하반기|연내|연말|연초)")

_EN_FULL = re.compile(rf"\b({_MONTH_RE})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+(\d{{4}})\b", re.I)
_EN_MONTH_DAY = re.compile(rf"\b({_MONTH_RE})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?\b", re.I)
_EN_MONTH_YEAR = re.compile(rf"\b({_MONTH_RE})\.?\s+(\d{{4}})\b", re.I)
_EN_MONTH = re.compile(rf"\b(?:in|on|by|since|until|this|next|last)\s+({_MONTH_RE})\b", re.I)
_EN_THE_DAY = re.compile(r"\bon the (\d{1,2})(?:st|nd|rd|th)\b", re.I)
_EN_RELATIVE = re.compile(r"\b(later this year|this year|next year|last year|next month|last month|"
                          r"this month|next week|last week|today|yesterday|tomorrow|that day)\b", re.I)
_EN_HALF = re.compile(r"\b(?:in the )?(first|second) half of (this|next) year\b", re.I)


@dataclass(frozen=True)
class DateMention:
    """A resolved date with its offsets in the sentence."""

    start: int
    end: int
    when: When


def _iso(year: int, month: int | None = None, day: int | None = None) -> str:
    if month is None:
        return f"{year:04d}"
    if day is None:
        return f"{year:04d}-{month:02d}"
    return f"{year:04d}-{month:02d}-{day:02d}"


def _valid(year: int, month: int, day: int | None = None) -> bool:
    if not 1 <= month <= 12:
        return False
    return day is None or 1 <= day <= calendar.monthrange(year, month)[1]


def _shift_month(day: dt.date, months: int) -> tuple[int, int]:
    index = day.year * 12 + day.month - 1 + months
    return index // 12, index % 12 + 1


def _month_year(ref: dt.date, month: int, direction: str | None) -> int:
    """Year of a month named without one: 오는 = the next such month, 지난 = the last."""
    if direction in ("오는", "next") and month < ref.month:
        return ref.year + 1
    if direction in ("지난", "last") and month > ref.month:
        return ref.year - 1
    return ref.year


# Words one of which every date of the language contains: sentences without any skip its patterns.
_KOREAN_NUMBER_CUE = re.compile(r"\d\s*[년월일]")
_KOREAN_HALF_CUES = ("반기", "연내", "연말", "연초")
_KOREAN_YEAR_CUES = ("올해", "금년", "내년", "지난해", "작년")
_KOREAN_CUES = (*_KOREAN_YEAR_CUES, "이날", *_KOREAN_HALF_CUES)
_MONTH_CUES = tuple(sorted({name[:3] for name in _MONTHS}))  # every month name opens with one
_RELATIVE_CUES = ("today", "yesterday", "tomorrow", "that day", "year", "month", "week")  # in every _EN_RELATIVE
_ENGLISH_CUES = re.compile("|".join(map(re.escape, (*_MONTH_CUES, *_RELATIVE_CUES, "on the "))))
_DIGIT = re.compile(r"\d")


def find_dates(sentence: str, ref: dt.date | None) -> list[DateMention]:
    """Dates in ``sentence``; without a reference date only absolute dates resolve."""
    found: list[DateMention] = []
    numbered = _KOREAN_NUMBER_CUE.search(sentence) is not None  # every Korean pattern with a digit needs it
    korean = numbered or any(cue in sentence for cue in _KOREAN_CUES)
    english = _ENGLISH_CUES.search(sentence.lower()) is not None
    if not korean and not english:
        return found
    # Each pattern costs 5-25 µs a sentence: it is run only when the words every match of it holds are
    # there (English ones looked up in the plain lower-case copy; without one, all are run).
    ko_year, ko_month, ko_day = (numbered and unit in sentence for unit in "년월일")
    ko_relative = korean and any(cue in sentence for cue in _KOREAN_YEAR_CUES)
    low = plain_lower(sentence) if english else None
    digit = _DIGIT.search(sentence) is not None
    en_month = english and (low is None or any(cue in low for cue in _MONTH_CUES))
    en_numbered = en_month and digit  # September 30, 2025; Sept 6; March 2025
    en_the_day = english and digit and (low is None or "on the " in low)
    en_half = english and (low is None or "half of " in low)
    en_relative = english and (low is None or any(cue in low for cue in _RELATIVE_CUES))
    taken: list[tuple[int, int]] = []

    def add(match: re.Match[str], when: When | None) -> None:
        if when is None:
            return
        if any(s < match.end() and match.start() < e for s, e in taken):
            return
        taken.append((match.start(), match.end()))
        found.append(DateMention(match.start(), match.end(), when))

    for m in _KO_FULL.finditer(sentence) if ko_year and ko_month and ko_day else ():
        y, mo, d = int(m[1]), int(m[2]), int(m[3])
        add(m, When(_iso(y, mo, d)) if _valid(y, mo, d) else None)
    for m in _EN_FULL.finditer(sentence) if en_numbered else ():
        y, mo, d = int(m[3]), _MONTHS[m[1].lower()], int(m[2])
        add(m, When(_iso(y, mo, d)) if _valid(y, mo, d) else None)
    for m in _KO_YEAR_MONTH.finditer(sentence) if ko_year and ko_month else ():
        add(m, When(_iso(int(m[1]), int(m[2]))) if _valid(int(m[1]), int(m[2])) else None)
    for m in _EN_MONTH_YEAR.finditer(sentence) if en_numbered else ():
        add(m, When(_iso(int(m[2]), _MONTHS[m[1].lower()])))
    for m in _KO_HALF.finditer(sentence) if korean and any(c in sentence for c in _KOREAN_HALF_CUES) else ():
        add(m, _half(m[1], m[2], ref))
    for m in _EN_HALF.finditer(sentence) if en_half else ():
        if ref is not None:
            year = ref.year + (1 if m[2].lower() == "next" else 0)
            first = m[1].lower() == "first"
            start, end = ("01-01", "06-30") if first else ("07-01", "12-31")
            add(m, When("", f"{year}-{start}", f"{year}-{end}"))
    for m in _KO_YEAR.finditer(sentence) if ko_year else ():
        add(m, When(m[1]))
    if ref is None:
        return sorted(found, key=lambda d: d.start)
    for m in _KO_REL_YEAR_MONTH.finditer(sentence) if ko_relative and ko_month else ():
        y = ref.year + _KO_YEAR_OFFSET[m[1]]
        mo, day = int(m[2]), (int(m[3]) if m[3] else None)
        add(m, When(_iso(y, mo, day)) if _valid(y, mo, day) else None)
    for m in _KO_MONTH_DAY.finditer(sentence) if ko_month and ko_day else ():
        mo, d = int(m[2]), int(m[3])
        y = _month_year(ref, mo, m[1])
        add(m, When(_iso(y, mo, d)) if _valid(y, mo, d) else None)
    for m in _EN_MONTH_DAY.finditer(sentence) if en_numbered else ():
        mo, d = _MONTHS[m[1].lower()], int(m[2])
        add(m, When(_iso(ref.year, mo, d)) if _valid(ref.year, mo, d) else None)
    for m in _KO_MONTH.finditer(sentence) if ko_month else ():
        mo = int(m[2])
        add(m, When(_iso(_month_year(ref, mo, m[1]), mo)) if _valid(ref.year, mo) else None)
    for m in _EN_MONTH.finditer(sentence) if en_month else ():
        mo = _MONTHS[m[1].lower()]
        word = m.group(0).split()[0].lower()
        add(m, When(_iso(_month_year(ref, mo, word if word in ("next", "last") else None), mo)))
    for m in _KO_DAY.finditer(sentence) if ko_day else ():
        add(m, _day_of_month(ref, int(m[2]), m[1]))
    for m in _EN_THE_DAY.finditer(sentence) if en_the_day else ():
        add(m, _day_of_month(ref, int(m[1]), None))
    for m in _KO_RELATIVE_YEAR.finditer(sentence) if ko_relative or "이날" in sentence else ():
        word = m[1]
        if word == "이날":
            add(m, When(ref.isoformat()))
        else:
            add(m, When(_iso(ref.year + _KO_YEAR_OFFSET[word])))
    for m in _EN_RELATIVE.finditer(sentence) if en_relative else ():
        add(m, _english_relative(m[1].lower(), ref))
    return sorted(found, key=lambda d: d.start)


def _day_of_month(ref: dt.date, day: int, direction: str | None) -> When | None:
    """``16일``: the 16th of the article's month (오는: the next 16th, 지난: the last)."""
    year, month = ref.year, ref.month
    if direction == "오는" and day < ref.day:
        year, month = _shift_month(ref, 1)
    elif direction == "지난" and day > ref.day:
        year, month = _shift_month(ref, -1)
    return When(_iso(year, month, day)) if _valid(year, month, day) else None


def _half(year_word: str | None, part: str, ref: dt.date | None) -> When | None:
    if year_word and year_word[:-1].isdigit():
        year = int(year_word[:-1])
    elif ref is not None:
        year = ref.year + (1 if year_word == "내년" else 0)
    else:
        return None
    start, end = {
        "상반기": ("01-01", "06-30"), "하반기": ("07-01", "12-31"), "연내": ("01-01", "12-31"),
        "연말": ("10-01", "12-31"), "연초": ("01-01", "03-31"),
    }[part]
    if part == "연내" and ref is not None and year == ref.year:
        start = ref.isoformat()[5:]
    return When("", f"{year}-{start}", f"{year}-{end}")


def _english_relative(phrase: str, ref: dt.date) -> When:
    if phrase in ("today", "that day"):
        return When(ref.isoformat())
    if phrase in ("yesterday", "tomorrow"):
        return When((ref + dt.timedelta(days=-1 if phrase == "yesterday" else 1)).isoformat())
    if phrase == "later this year":
        return When("", ref.isoformat(), f"{ref.year}-12-31")
    if phrase.endswith("year"):
        return When(_iso(ref.year + {"this": 0, "next": 1, "last": -1}[phrase.split()[0]]))
    if phrase.endswith("month"):
        y, mo = _shift_month(ref, {"this": 0, "next": 1, "last": -1}[phrase.split()[0]])
        return When(_iso(y, mo))
    monday = ref - dt.timedelta(days=ref.weekday()) + dt.timedelta(weeks=1 if phrase == "next week" else -1)
    return When("", monday.isoformat(), (monday + dt.timedelta(days=6)).isoformat())
