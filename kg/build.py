"""Turn extraction records and the gazetteer into RDF graphs, with PROV provenance.

``article_graph`` builds the content of one article's named graph (a set of rdflib triples);
``gazetteer_graph`` the reference actors, offices and tenures. Nothing here
touches the disk.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterable, Sequence
from functools import lru_cache

from rdflib import RDF, RDFS, XSD, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, ORG, PROV, SDO
from rdflib.term import Node

from kg import iris
from kg.extract.records import (
    EXTRACTOR,
    Agreement,
    Evidence,
    Extraction,
    Meeting,
    PersonRecord,
    Relation,
    When,
)
from kg.gazetteer import GOVERNMENT, PERSON, STATE, Edition, Gazetteer
from kg.read import Article, guess_language
from kg.resolve import Resolved, Resolver
from kg.vocab import DIP

Triple = tuple[URIRef, URIRef, Node]
"""One triple of rdflib terms: subject, predicate, object."""


class _T:
    """The terms the article builder writes, looked up once.

    A ``DefinedNamespace`` attribute costs about 2 µs a lookup, more than adding the triple to a set;
    these are the same ``URIRef`` values (a typo still fails when the module loads).
    """

    type, label, wasDerivedFrom, wasGeneratedBy = RDF.type, RDFS.label, PROV.wasDerivedFrom, PROV.wasGeneratedBy
    xsd_date, nonNegativeInteger, positiveInteger = XSD.date, XSD.nonNegativeInteger, XSD.positiveInteger
    Evidence, text, charStart, charEnd = DIP.Evidence, DIP.text, DIP.charStart, DIP.charEnd
    inArticle, extractor, evidence, surface = DIP.inArticle, DIP.extractor, DIP.evidence, DIP.surface
    date, dateEarliest, dateLatest = DIP.date, DIP.dateEarliest, DIP.dateLatest
    Person, nameKo, nameEn, country, role = DIP.Person, DIP.nameKo, DIP.nameEn, DIP.country, DIP.role
    participant, attendee, visitor, destination = DIP.participant, DIP.attendee, DIP.visitor, DIP.destination
    status, edition, inSeries, MeetingSeries = DIP.status, DIP.edition, DIP.inSeries, DIP.MeetingSeries
    location, Place, party, agreedAt = DIP.location, DIP.Place, DIP.party, DIP.agreedAt
    relationActor, reportedStatus, hasTenure = DIP.relationActor, DIP.reportedStatus, DIP.hasTenure


_STATUS = {
    "planned": DIP.Planned, "held": DIP.Held, "postponed": DIP.Postponed, "cancelled": DIP.Cancelled,
    "negotiating": DIP.Negotiating, "agreed": DIP.Agreed, "signed": DIP.Signed, "ratified": DIP.Ratified,
    "in-force": DIP.InForce,
}
_EVENT_RANK = {"held": 3, "cancelled": 2, "postponed": 1, "planned": 0}
_AGREEMENT_RANK = {"in-force": 5, "ratified": 4, "signed": 3, "agreed": 2, "negotiating": 1, "planned": 0}
_CACHED = 8192  # terms kept by each cache below


def bind_prefixes(graph: Graph) -> Graph:
    """Bind the prefixes used in the project's RDF."""
    graph.bind("dip", str(DIP._NS))
    graph.bind("dkg", iris.BASE)
    graph.bind("prov", PROV)
    graph.bind("dcterms", DCTERMS)
    graph.bind("schema", SDO)
    return graph


def actor_iri(gazetteer: Gazetteer, code: str) -> URIRef:
    """The IRI of the actor ``code``, of the kind the gazetteer gives it."""
    actor = gazetteer.actor(code)
    return iris.actor(code, actor.kind if actor is not None else "org")


def article_hash(article: Article) -> str:
    """What identifies one import of an article: its text and metadata, and the extractor."""
    return hashlib.sha256(f"{article.content_hash}|{EXTRACTOR}".encode()).hexdigest()


# Terms repeat (offsets, dates, sentences shared by several facts, class names) and making an
# rdflib term costs more than using it, so each is made once; rdflib terms are immutable.
@lru_cache(maxsize=_CACHED, typed=True)
def _literal(value: str | int, datatype: URIRef | None = None) -> Literal:
    return Literal(value, datatype=datatype)


@lru_cache(maxsize=_CACHED)
def date_literal(value: str) -> Literal:
    """An ISO date at its precision as xsd:gYear, xsd:gYearMonth or xsd:date."""
    datatype = {4: XSD.gYear, 7: XSD.gYearMonth}.get(len(value), XSD.date)
    return Literal(value, datatype=datatype)


@lru_cache(maxsize=_CACHED)
def _text(value: str) -> Literal:
    lang = guess_language(value)
    return Literal(value, lang=lang) if lang in ("ko", "en") else Literal(value)


@lru_cache(maxsize=256)
def _dip(name: str) -> URIRef:
    """The ontology term named ``name`` (a class named by an extraction record)."""
    return getattr(DIP, name)  # type: ignore[no-any-return]


class _Builder:
    """Accumulates one article's distinct triples."""

    def __init__(self, extraction: Extraction, gazetteer: Gazetteer) -> None:
        self.x = extraction
        self.gaz = gazetteer
        self.source = extraction.article.source
        self.article = iris.article(self.source)
        self.activity = iris.extraction(self.source)
        self.triples: set[Triple] = set()
        self.add = self.triples.add
        self.actors: dict[str, URIRef] = {}

    def actor(self, code: str) -> URIRef:
        node = self.actors.get(code)
        if node is None:
            node = self.actors[code] = actor_iri(self.gaz, code)
        return node

    def person(self, key: str) -> URIRef:
        if key.startswith("name:"):
            return iris.unknown_person(key[5:], "")
        return iris.actor(key, PERSON)

    def evidence(self, fact: URIRef, ev: Evidence, status: str = "") -> None:
        node = iris.evidence(self.source, ev.start, ev.end, ev.surface)
        add, article = self.add, self.article
        if status:  # what this sentence says of the fact: one report among the articles'
            add((node, _T.reportedStatus, _STATUS[status]))
        add((node, _T.type, _T.Evidence))
        add((node, _T.text, _literal(ev.sentence)))
        add((node, _T.charStart, _literal(ev.start, _T.nonNegativeInteger)))
        add((node, _T.charEnd, _literal(ev.end, _T.nonNegativeInteger)))
        add((node, _T.inArticle, article))
        add((node, _T.extractor, _literal(EXTRACTOR)))
        add((node, _T.wasDerivedFrom, article))
        add((node, _T.wasGeneratedBy, self.activity))
        add((fact, _T.evidence, node))
        add((fact, _T.wasDerivedFrom, article))
        if ev.surface:
            add((fact, _T.surface, _text(ev.surface)))

    def when(self, node: URIRef, when: When) -> None:
        if when.value:
            self.add((node, _T.date, date_literal(when.value)))
        if when.earliest:
            self.add((node, _T.dateEarliest, _literal(when.earliest, _T.xsd_date)))
        if when.latest:
            self.add((node, _T.dateLatest, _literal(when.latest, _T.xsd_date)))

    # -- the article --------------------------------------------------------
    def add_article(self) -> None:
        a, add, node = self.x.article, self.add, self.article
        add((node, RDF.type, DIP.Article))
        add((node, DIP.sourceFile, Literal(a.source)))
        add((node, DIP.contentHash, Literal(article_hash(a))))
        if a.title:
            add((node, DCTERMS.title, _text(a.title)))
        if a.date:
            add((node, DCTERMS.date, Literal(a.date.isoformat(), datatype=XSD.date)))
        if a.url:
            add((node, SDO.url, Literal(a.url, datatype=XSD.anyURI)))
        if a.publisher:
            add((node, DCTERMS.publisher, Literal(a.publisher)))
        if a.lang:
            add((node, DCTERMS.language, Literal(a.lang)))
        # The extraction that made this graph: a PROV activity that used the article, by the extractor.
        agent = iris.extractor_agent(EXTRACTOR)
        add((self.activity, RDF.type, PROV.Activity))
        add((self.activity, PROV.used, node))
        add((self.activity, PROV.wasAssociatedWith, agent))
        add((agent, RDF.type, PROV.SoftwareAgent))
        add((agent, RDFS.label, Literal(EXTRACTOR)))

    # -- people ---------------------------------------------------------------
    def add_person(self, p: PersonRecord) -> None:
        key = p.key or f"name:{p.name_ko or p.name_en}"
        node = self.person(key)
        add = self.add
        add((node, _T.type, _T.Person))
        if not p.key:  # unknown to the gazetteer: the article is all we know
            if p.name_ko:
                add((node, _T.label, Literal(p.name_ko, lang="ko")))
                add((node, _T.nameKo, Literal(p.name_ko)))
            if p.name_en:
                add((node, _T.label, Literal(p.name_en, lang="en")))
                add((node, _T.nameEn, Literal(p.name_en)))
            if p.country:
                add((node, _T.country, self.actor(p.country)))
        if p.role:
            add((node, _T.role, _text(p.role)))
        day = self.x.article.date
        if p.office and p.key and day is not None:  # the office the title named, held on the article's date
            for tenure in self.gaz.tenures_of(p.key, day):
                if tenure.office == p.office:
                    add((node, _T.hasTenure, iris.tenure(p.key, p.office, tenure.start.isoformat())))
        self.evidence(node, p.evidence)

    # -- meetings -------------------------------------------------------------
    def add_meetings(self, meetings: Sequence[Meeting], events: Sequence[Resolved]) -> list[URIRef]:
        nodes: list[URIRef] = []
        groups: dict[URIRef, list[Meeting]] = defaultdict(list)
        editions: dict[URIRef, Edition] = {}
        for m, event in zip(meetings, events, strict=True):
            nodes.append(event.iri)
            groups[event.iri].append(m)
            if event.edition is not None:
                editions[event.iri] = event.edition
        for node, group in groups.items():
            self._meeting(node, group, editions.get(node))
        return nodes

    def _meeting(self, node: URIRef, group: list[Meeting], known: Edition | None) -> None:
        add = self.add
        first = group[0]
        add((node, _T.type, _dip(first.type)))
        for m in group:
            if m.subtype:
                add((node, _T.type, _dip(m.subtype)))
            for code in m.participants:
                add((node, _T.participant, self.actor(code)))
            for key in m.people:
                add((node, _T.attendee, self.person(key)))
            if m.visitor:
                add((node, _T.visitor, self.actor(m.visitor)))
            if m.destination:
                add((node, _T.destination, self.actor(m.destination)))
            self.evidence(node, m.evidence, m.status)
        status = max((m.status for m in group), key=lambda s: _EVENT_RANK.get(s, 0))
        add((node, _T.status, _STATUS[status]))
        when = max((m.when for m in group), key=lambda w: (len(w.value), bool(w)))
        if known is not None and len(when.value) != 10:  # the gazetteer knows the days of a series' meetings
            when = When(known.start.isoformat(), *((known.start.isoformat(), known.end.isoformat())
                                                   if known.end != known.start else ("", "")))
        self.when(node, when)
        place = next((m.place for m in group if m.place), "") or (known.place if known is not None else "")
        if place:
            self.add_place(node, place)
        edition = known.edition if known is not None else next((m.edition for m in group if m.edition), None)
        if edition:
            add((node, _T.edition, _literal(edition, _T.positiveInteger)))
        series = known.series if known is not None else next((m.series for m in group if m.series), "")
        if series:
            add((node, _T.inSeries, iris.series(series)))
            if known is None:  # a series the gazetteer does not name
                add((iris.series(series), _T.type, _T.MeetingSeries))
                add((iris.series(series), _T.label, Literal(series.replace(":", " "), lang="en")))

    def add_place(self, event: URIRef, place_id: str) -> None:
        place = self.gaz.places[place_id]
        node = iris.place(place_id)
        self.add((event, _T.location, node))
        self.add((node, _T.type, _T.Place))
        self.add((node, _T.label, Literal(place.name_en, lang="en")))
        if place.name_ko:
            self.add((node, _T.label, Literal(place.name_ko, lang="ko")))
        self.add((node, _T.country, self.actor(place.country)))

    # -- agreements -----------------------------------------------------------
    def agreement_key(self, a: Agreement) -> tuple[object, ...]:
        if a.type == "FreeTradeAgreement":
            return ("fta", a.parties)
        if len(a.when.value) == 10:
            return ("dated", a.type, a.parties, a.when.value)
        name = a.name if a.type == "Commitment" else ""
        return ("article", a.type, a.parties, self.source, name)

    def add_agreements(self, agreements: Iterable[Agreement], meetings: list[URIRef]) -> None:
        groups: dict[URIRef, list[Agreement]] = defaultdict(list)
        for a in agreements:
            groups[iris.agreement(self.agreement_key(a))].append(a)
        add = self.add
        for node, group in groups.items():
            add((node, _T.type, _dip(group[0].type)))
            for a in group:
                add((node, _T.label, _text(a.name)))
                for code in a.parties:
                    add((node, _T.party, self.actor(code)))
                if a.agreed_at is not None:
                    add((node, _T.agreedAt, meetings[a.agreed_at]))
                self.evidence(node, a.evidence, a.status)
            status = max((a.status for a in group), key=lambda s: _AGREEMENT_RANK.get(s, 0))
            add((node, _T.status, _STATUS[status]))
            self.when(node, max((a.when for a in group), key=lambda w: (len(w.value), bool(w))))

    # -- relations ------------------------------------------------------------
    def add_relation(self, r: Relation) -> None:
        node = iris.relation(r.type, r.actors)
        self.add((node, _T.type, _dip(r.type)))
        for code in r.actors:
            self.add((node, _T.relationActor, self.actor(code)))
        self.evidence(node, r.evidence)


def article_graph(extraction: Extraction, gazetteer: Gazetteer,
                  events: Sequence[Resolved] | None = None) -> set[Triple]:
    """The distinct triples of one article's named graph, as rdflib terms.

    ``events`` are the resolved events of the extraction's meetings (``kg.resolve``); without them,
    the meetings are resolved against the gazetteer alone.

    A set rather than an rdflib ``Graph``: a ``Graph`` indexes every triple three ways and fires an
    event per ``add``, which cost more than the extraction. Duplicates collapse as in a ``Graph``, so
    ``len()`` is the number of distinct triples; ``Store.replace_graph`` takes the set as it is.
    """
    b = _Builder(extraction, gazetteer)
    b.add_article()
    for person in extraction.people:
        b.add_person(person)
    if events is None:
        events = Resolver(gazetteer).resolve(extraction)
    meetings = b.add_meetings(extraction.meetings, events)
    b.add_agreements(extraction.agreements, meetings)
    for relation in extraction.relations:
        b.add_relation(relation)
    return b.triples


def gazetteer_graph(gazetteer: Gazetteer) -> Graph:
    """States, organizations, people, offices and tenures of the gazetteer."""
    g = bind_prefixes(Graph())
    classes = {STATE: DIP.State, GOVERNMENT: DIP.GovernmentBody, PERSON: DIP.Person}
    for actor in gazetteer.actors.values():
        node = iris.actor(actor.code, actor.kind)
        g.add((node, RDF.type, classes.get(actor.kind, DIP.InternationalOrganization)))
        if actor.kind != PERSON:
            g.add((node, DIP.code, Literal(actor.code)))
        else:
            g.add((node, DIP.nameEn, Literal(actor.name_en)))
            if actor.name_ko:
                g.add((node, DIP.nameKo, Literal(actor.name_ko)))
        if actor.name_en:
            g.add((node, RDFS.label, Literal(actor.name_en, lang="en")))
        if actor.name_ko:
            g.add((node, RDFS.label, Literal(actor.name_ko, lang="ko")))
        if actor.wikidata:
            g.add((node, DIP.wikidata, Literal(actor.wikidata)))
        if actor.country and actor.kind != STATE:
            g.add((node, DIP.country, actor_iri(gazetteer, actor.country)))
        if actor.parent and gazetteer.actor(actor.parent) is not None:
            g.add((node, DIP.memberOf, actor_iri(gazetteer, actor.parent)))
    for office in gazetteer.offices.values():
        node = iris.office(office.id)
        g.add((node, RDF.type, DIP.Office))
        g.add((node, RDFS.label, Literal(office.name_en, lang="en")))
        if office.name_ko:
            g.add((node, RDFS.label, Literal(office.name_ko, lang="ko")))
        owner = gazetteer.actor(office.country)
        if owner is not None and owner.kind == STATE:
            g.add((node, DIP.country, actor_iri(gazetteer, office.country)))
        else:  # a post of an organization (President of the European Commission)
            g.add((node, ORG.postIn, actor_iri(gazetteer, office.country)))
    for tenure in gazetteer.tenures:
        node = iris.tenure(tenure.person, tenure.office, tenure.start.isoformat())
        person = iris.actor(tenure.person, PERSON)
        g.add((node, RDF.type, DIP.Tenure))
        g.add((node, DIP.holder, person))
        g.add((person, DIP.hasTenure, node))
        g.add((node, DIP.office, iris.office(tenure.office)))
        g.add((node, DIP.startDate, Literal(tenure.start.isoformat(), datatype=XSD.date)))
        if tenure.end:
            g.add((node, DIP.endDate, Literal(tenure.end.isoformat(), datatype=XSD.date)))
    for edition in gazetteer.editions:
        _series(g, edition)
    return g


def _series(g: Graph, edition: Edition) -> None:
    """A meeting series with its names (its known meetings are resolved into the articles' events)."""
    series = iris.series(edition.series)
    g.add((series, RDF.type, DIP.MeetingSeries))
    g.add((series, RDFS.label, Literal(edition.name_en, lang="en")))
    if edition.name_ko:
        g.add((series, RDFS.label, Literal(edition.name_ko, lang="ko")))
