"""The one place where IRIs are minted: deterministic, ASCII only, never Hangul.

Policy (see ``ontology/README.md``): everything lives under ``https://w3id.org/dkg/id/``;
an actor's IRI comes from its gazetteer code; a fact's from a hash of what
identifies it, so the same fact from any article, in any language, gets the same IRI.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from functools import lru_cache

from rdflib import URIRef

BASE = "https://w3id.org/dkg/id/"
GAZETTEER_GRAPH = URIRef(BASE + "graph/gazetteer")
ONTOLOGY_GRAPH = URIRef(BASE + "graph/ontology")
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


@lru_cache(maxsize=1 << 16)
def slug(text: str) -> str:
    """ASCII slug of ``text``; non-Latin text becomes a short stable hash.

    Cached: the same names come back (an article's source in each of its evidence IRIs, actor codes).
    """
    cleaned = _UNSAFE.sub("-", text).strip("-._")
    if cleaned and cleaned == text:
        return cleaned[:80]
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    prefix = _UNSAFE.sub("-", ascii_text).strip("-._")[:40]
    return (prefix + "-" if prefix else "") + "h" + digest(text)[:16]


def digest(*parts: object) -> str:
    """sha1 hex of the parts, joined unambiguously."""
    h = hashlib.sha1()
    for part in parts:
        h.update(str(part).encode("utf-8"))
        h.update(b"\x1f")
    return h.hexdigest()


def _iri(path: str) -> URIRef:
    assert path.isascii(), path
    return URIRef(BASE + path)


def actor(code: str, kind: str) -> URIRef:
    """IRI of a gazetteer actor: ``actor/state/KOR``, ``actor/org/UN``, ``actor/person/yoon-suk-yeol``."""
    folder = {"state": "state", "person": "person"}.get(kind, "org")
    return _iri(f"actor/{folder}/{slug(code)}")


def unknown_person(name: str, country: str) -> URIRef:
    """IRI of a person the gazetteer does not know, from name and state."""
    return _iri(f"actor/person/x-{digest(name, country)[:16]}")


def office(office_id: str) -> URIRef:
    """IRI of an office such as ``KOR-president``."""
    return _iri(f"office/{slug(office_id)}")


def tenure(person: str, office_id: str, start: str) -> URIRef:
    """IRI of one person's tenure of one office from ``start``."""
    return _iri(f"tenure/{slug(person)}/{slug(office_id)}/{start}")


def event(key: tuple[object, ...]) -> URIRef:
    """IRI of a meeting from its identity key (type, participants, date or series and edition)."""
    return _iri(f"event/{digest(*key)[:20]}")


def agreement(key: tuple[object, ...]) -> URIRef:
    """IRI of an agreement from its identity key."""
    return _iri(f"agreement/{digest(*key)[:20]}")


def relation(type_: str, actors: tuple[str, ...]) -> URIRef:
    """IRI of a relation: its type and its actors."""
    return _iri(f"relation/{type_.lower()}/{'-'.join(slug(a) for a in sorted(actors))}")


def place(place_id: str) -> URIRef:
    """IRI of a place of the gazetteer such as ``seoul``."""
    return _iri(f"place/{slug(place_id)}")


def series(key: str) -> URIRef:
    """IRI of a meeting series such as ``Summit:CHN-JPN-KOR``."""
    return _iri(f"series/{slug(key.replace(':', '-'))}")


def article(source: str) -> URIRef:
    """IRI of an article, from the name of the file it came from."""
    return _iri(f"article/{slug(source)}")


def article_graph(source: str) -> URIRef:
    """IRI of the named graph holding one article's facts."""
    return _iri(f"graph/article/{slug(source)}")


def evidence(source: str, start: int, end: int, surface: str) -> URIRef:
    """IRI of one evidence span of an article."""
    return _iri(f"evidence/{slug(source)}/{start}-{end}-{digest(surface)[:8]}")


def extraction(source: str) -> URIRef:
    """IRI of the extraction run (a PROV activity) that made one article's graph."""
    return _iri(f"activity/extraction/{slug(source)}")


def extractor_agent(name: str) -> URIRef:
    """IRI of the extractor (a PROV software agent), from its name and version."""
    return _iri(f"agent/{slug(name.replace('/', '-'))}")
