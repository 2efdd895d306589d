"""Load the reference actors of ``data/gazetteer/`` and answer look-ups on them.

States, organizations (international ones, fora and government bodies), groups
of states, people, offices and dated tenures. The tables are described in
``data/gazetteer/README.md``.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from kg.errors import InputError
from kg.resources import gazetteer_dir

STATE, ORGANIZATION, GOVERNMENT, PERSON = "state", "organization", "government", "person"


@dataclass(frozen=True)
class Actor:
    """A reference actor. ``code`` is its key: ISO alpha-3, an org code or a person slug."""

    code: str
    kind: str  # STATE, ORGANIZATION, GOVERNMENT or PERSON
    name_en: str
    name_ko: str
    wikidata: str = ""
    country: str = ""  # the state a government body or person belongs to
    aliases_en: tuple[str, ...] = ()
    aliases_ko: tuple[str, ...] = ()
    subkind: str = ""  # member/observer/territory; international/forum/government
    parent: str = ""


@dataclass(frozen=True)
class Office:
    """A post such as ``KOR-president``."""

    id: str
    country: str
    level: str
    name_en: str
    name_ko: str
    titles_en: tuple[str, ...] = ()
    titles_ko: tuple[str, ...] = ()


@dataclass(frozen=True)
class Tenure:
    """``person`` held ``office`` from ``start`` to ``end`` (``None``: still in office)."""

    person: str
    office: str
    start: dt.date
    end: dt.date | None

    def covers(self, day: dt.date) -> bool:
        """Whether the tenure includes ``day``."""
        return self.start <= day and (self.end is None or day <= self.end)


@dataclass(frozen=True)
class Place:
    """A city or venue where meetings happen, in one state."""

    id: str
    country: str
    kind: str  # capital, city or venue
    name_en: str
    name_ko: str
    aliases_en: tuple[str, ...] = ()
    aliases_ko: tuple[str, ...] = ()


@dataclass(frozen=True)
class Edition:
    """One meeting of a series (the 9th Korea-Japan-China summit), with its dates and place.

    ``series`` is ``Type:CODE-CODE`` (the meeting's type and its participants, sorted);
    ``types`` are the meeting types that articles use for it (a G20 summit is a conference).
    ``edition`` is ``None`` for series that are not numbered.
    """

    series: str
    types: tuple[str, ...]
    edition: int | None
    start: dt.date
    end: dt.date
    place: str
    name_en: str
    name_ko: str

    @property
    def participants(self) -> tuple[str, ...]:
        """The participants named by the series key."""
        return tuple(self.series.partition(":")[2].split("-"))


@dataclass(frozen=True, eq=False)
class Gazetteer:
    """All reference tables, indexed."""

    actors: Mapping[str, Actor]
    groups: Mapping[str, tuple[str, ...]]  # group name -> member state codes
    offices: Mapping[str, Office]
    tenures: tuple[Tenure, ...]
    abbreviations_ko: Mapping[str, str] = field(default_factory=dict)  # 한 -> KOR
    places: Mapping[str, Place] = field(default_factory=dict)
    ambiguous_places: frozenset[str] = frozenset()  # names that are also everyday words (빈, 파리)
    editions: tuple[Edition, ...] = ()

    def editions_of(self, type_: str, participants: tuple[str, ...]) -> list[Edition]:
        """The known meetings of the series a meeting of ``type_`` between ``participants`` belongs to."""
        index = self._edition_index()
        return index.get((type_, participants), [])

    def _edition_index(self) -> dict[tuple[str, tuple[str, ...]], list[Edition]]:
        index: dict[tuple[str, tuple[str, ...]], list[Edition]] | None = self.__dict__.get("_editions")
        if index is None:
            index = {}
            for edition in sorted(self.editions, key=lambda e: e.start):
                for type_ in edition.types:
                    index.setdefault((type_, edition.participants), []).append(edition)
            object.__setattr__(self, "_editions", index)
        return index

    def actor(self, code: str) -> Actor | None:
        """The actor with ``code``, or ``None``."""
        return self.actors.get(code)

    def surface_forms(self) -> Iterator[tuple[str, str, str]]:
        """Every (surface, code, lang) by which an actor or group is named."""
        for actor in self.actors.values():
            for name in (actor.name_en, *actor.aliases_en):
                if name:
                    yield name, actor.code, "en"
            for name in (actor.name_ko, *actor.aliases_ko):
                if name:
                    yield name, actor.code, "ko"

    def place_forms(self) -> Iterator[tuple[str, str]]:
        """Every (surface, place id) by which a place is named."""
        for place in self.places.values():
            for name in (place.name_en, *place.aliases_en, place.name_ko, *place.aliases_ko):
                if name:
                    yield name, place.id

    def tenures_of(self, person: str, on: dt.date | None = None) -> list[Tenure]:
        """The tenures of ``person``, only those covering ``on`` when given."""
        return [t for t in self.tenures if t.person == person and (on is None or t.covers(on))]

    def holder(self, office: str, on: dt.date) -> str | None:
        """The person who held ``office`` on ``on``."""
        for tenure in self.tenures:
            if tenure.office == office and tenure.covers(on):
                return tenure.person
        return None


def _split(cell: str | None) -> tuple[str, ...]:
    return tuple(part.strip() for part in (cell or "").split("|") if part.strip())


def _rows(path: Path) -> Iterator[tuple[int, dict[str, str]]]:
    if not path.is_file():
        return
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)
        for number, row in enumerate(reader, start=2):
            yield number, {k: (v or "").strip() for k, v in row.items() if k is not None}


def _date(value: str, path: Path, line: int) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        raise InputError(path, f"bad date {value!r}", line) from exc


def load(folder: Path | None = None) -> Gazetteer:
    """Read the gazetteer tables from ``folder`` (default: the shipped ones)."""
    folder = folder or gazetteer_dir()
    actors: dict[str, Actor] = {}
    abbreviations: dict[str, str] = {}
    for _, row in _rows(folder / "states.tsv"):
        actors[row["code"]] = Actor(
            row["code"], STATE, row["name_en"], row["name_ko"], row.get("wikidata", ""), row["code"],
            _split(row.get("aliases_en")), _split(row.get("aliases_ko")), row.get("kind", ""),
        )
        for abbr in _split(row.get("abbr_ko")):
            abbreviations.setdefault(abbr, row["code"])
    for _, row in _rows(folder / "organizations.tsv"):
        kind = GOVERNMENT if row.get("kind") == "government" else ORGANIZATION
        actors[row["code"]] = Actor(
            row["code"], kind, row["name_en"], row["name_ko"], row.get("wikidata", ""), row.get("country", ""),
            _split(row.get("aliases_en")), _split(row.get("aliases_ko")), row.get("kind", ""),
            row.get("parent", ""),
        )
    for _, row in _rows(folder / "people.tsv"):
        actors[row["id"]] = Actor(
            row["id"], PERSON, row["name_en"], row["name_ko"], row.get("wikidata", ""), row.get("country", ""),
            _split(row.get("aliases_en")), _split(row.get("aliases_ko")), PERSON,
        )
    groups = {row["name"]: tuple(row["members"].split()) for _, row in _rows(folder / "groups.tsv")}
    offices = {
        row["office"]: Office(row["office"], row["country"], row.get("level", ""), row["name_en"], row["name_ko"],
                              _split(row.get("titles_en")), _split(row.get("titles_ko")))
        for _, row in _rows(folder / "offices.tsv")
    }
    path = folder / "tenures.tsv"
    tenures = tuple(
        Tenure(row["person"], row["office"], _date(row["start"], path, n),
               _date(row["end"], path, n) if row.get("end") else None)
        for n, row in _rows(path)
    )
    places = {
        row["place"]: Place(row["place"], row["country"], row.get("kind", ""), row["name_en"], row["name_ko"],
                            _split(row.get("aliases_en")), _split(row.get("aliases_ko")))
        for _, row in _rows(folder / "places.tsv")
    }
    ambiguous_path = folder / "places_ambiguous.txt"
    ambiguous = frozenset(
        line.strip() for line in (ambiguous_path.read_text(encoding="utf-8").splitlines()
                                  if ambiguous_path.is_file() else [])
        if line.strip() and not line.startswith("#")
    )
    path = folder / "series.tsv"
    editions = tuple(
        Edition(row["series"], _split(row.get("types")), int(row["edition"]) if row.get("edition") else None,
                _date(row["start"], path, n), _date(row["end"] or row["start"], path, n), row.get("place", ""),
                row.get("name_en", ""), row.get("name_ko", ""))
        for n, row in _rows(path)
    )
    return Gazetteer(actors, groups, offices, tenures, abbreviations, places, ambiguous, editions)


@lru_cache(maxsize=1)
def default() -> Gazetteer:
    """The shipped gazetteer, loaded once."""
    return load()
