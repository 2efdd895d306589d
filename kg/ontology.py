"""Check the diplomacy ontology with owlready2 and HermiT: consistency and inferred hierarchy.

This module is the project's one bridge to owlready2.  It reads
``ontology/diplomacy.ttl`` (optionally with extra Turtle, e.g. a few test
individuals) into a private :class:`owlready2.World`, never the global
``default_world``, runs the HermiT reasoner over it and reports whether the
ontology is consistent, how many terms it declares and the class hierarchy
HermiT infers.  owlready2 does not read Turtle, so the Turtle is converted to
N-Triples with rdflib first.

HermiT only knows the datatypes of the OWL 2 datatype map, which lacks
``xsd:date``, ``xsd:gYear`` and ``xsd:gYearMonth``; the ontology uses them as
ranges of the date properties, so the reasoner is run with
``ignore_unsupported_datatypes``: axioms on those ranges are not reasoned with.
HermiT is for the ontology and small checks, not for the whole store.
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from dataclasses import dataclass, replace
from pathlib import Path

import owlready2
import rdflib
from rdflib.collection import Collection
from rdflib.namespace import OWL, RDF, RDFS

from kg.errors import DkgError
from kg.resources import ontology_file
from kg.vocab import ONTOLOGY_IRI

__all__ = [
    "OntologyError",
    "OntologyReport",
    "check",
    "format_report",
    "load_ontology",
]

DIP_NS = ONTOLOGY_IRI + "#"

# Prefixes used to print the external superclasses in a report.
_PREFIXES = {
    "https://schema.org/": "schema",
    "http://semanticweb.cs.vu.nl/2009/11/sem/": "sem",
    "http://www.w3.org/ns/prov#": "prov",
    "http://www.w3.org/ns/org#": "org",
    "http://www.w3.org/2006/time#": "time",
    "http://www.w3.org/ns/oa#": "oa",
}


class OntologyError(DkgError):
    """The ontology could not be read or the reasoner could not run (not an inconsistency); exit code 2."""


@dataclass(frozen=True)
class OntologyReport:
    """What HermiT says about the ontology.

    ``consistent`` is false when the ontology (with any extra Turtle) is
    inconsistent or when a class is unsatisfiable (equivalent to
    ``owl:Nothing``); ``message`` then says why, naming the classes or
    individuals concerned where that can be told.  The counts are of terms in
    the ``dip:`` namespace, except ``individuals``, which counts every named
    individual loaded (the status individuals plus any from extra Turtle).
    ``hierarchy`` pairs each ``dip:`` class local name with its inferred
    direct superclasses (``dip:`` classes by local name, others as
    ``prefix:Name``), sorted; it is empty when the ontology is inconsistent.
    """

    consistent: bool
    classes: int
    object_properties: int
    data_properties: int
    individuals: int
    hierarchy: tuple[tuple[str, tuple[str, ...]], ...]
    message: str


def _read_graph(path: Path | None, extra_turtle: str | None) -> rdflib.Graph:
    """Parse the ontology Turtle (and the extra Turtle) into one rdflib graph."""
    source = path if path is not None else ontology_file("diplomacy.ttl")
    graph = rdflib.Graph()
    try:
        graph.parse(source, format="turtle")
    except FileNotFoundError as err:
        raise OntologyError(f"ontology file not found: {source}") from err
    except Exception as err:  # rdflib raises several parser error types
        raise OntologyError(f"cannot parse ontology {source}: {err}") from err
    if extra_turtle:
        try:
            graph.parse(data=extra_turtle, format="turtle")
        except Exception as err:
            raise OntologyError(f"cannot parse the extra Turtle: {err}") from err
    return graph


def _load(graph: rdflib.Graph) -> owlready2.Ontology:
    """Load an rdflib graph into a fresh private owlready2 World through N-Triples."""
    ntriples = graph.serialize(format="nt", encoding="utf-8")
    world = owlready2.World()
    ontology = world.get_ontology(ONTOLOGY_IRI)
    return ontology.load(fileobj=io.BytesIO(ntriples), format="ntriples")


def load_ontology(path: Path | None = None, extra_turtle: str | None = None) -> owlready2.Ontology:
    """Load the ontology Turtle (default: the shipped ``diplomacy.ttl``) into a private World.

    ``extra_turtle`` is parsed into the same graph first, so it can add
    individuals or axioms to check against the ontology.  The returned
    ontology's ``world`` attribute is the private :class:`owlready2.World`.
    Raises :class:`OntologyError` if a file is missing or does not parse.
    """
    return _load(_read_graph(path, extra_turtle))


def _short(iri: str) -> str:
    """A ``dip:`` IRI as its local name, another as ``prefix:Name`` (or the full IRI)."""
    if iri.startswith(DIP_NS):
        return iri[len(DIP_NS) :]
    for namespace, prefix in _PREFIXES.items():
        if iri.startswith(namespace):
            return f"{prefix}:{iri[len(namespace) :]}"
    return iri


def _dip_entities(entities: Iterable[owlready2.EntityClass]) -> list[owlready2.EntityClass]:
    return [entity for entity in entities if entity.iri.startswith(DIP_NS)]


def _named_ancestors(cls: owlready2.ThingClass) -> set[owlready2.ThingClass]:
    """Named strict superclasses of ``cls``, without classes equivalent to it and owl:Thing."""
    return {
        other
        for other in cls.ancestors(include_self=False)
        if isinstance(other, owlready2.ThingClass)
        and other is not owlready2.Thing
        and cls not in other.ancestors(include_self=False)
    }


def _hierarchy(ontology: owlready2.Ontology) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """Each ``dip:`` class with its direct named superclasses, after reasoning."""
    rows = []
    for cls in _dip_entities(ontology.world.classes()):
        ancestors = _named_ancestors(cls)
        direct = {
            parent
            for parent in ancestors
            if not any(parent in _named_ancestors(other) for other in ancestors if other is not parent)
        }
        rows.append((_short(cls.iri), tuple(sorted(_short(parent.iri) for parent in direct))))
    return tuple(sorted(rows))


def _typings(graph: rdflib.Graph) -> dict[rdflib.URIRef, dict[rdflib.term.Node, str]]:
    """For each named individual, the classes it must belong to and why.

    Classes come from ``rdf:type`` triples and from the named ``rdfs:domain`` and
    ``rdfs:range`` of the object and data properties it is used with.
    """
    why: dict[rdflib.URIRef, dict[rdflib.term.Node, str]] = {}

    def note(individual: rdflib.term.Node, cls: rdflib.term.Node, reason: str) -> None:
        if isinstance(individual, rdflib.URIRef) and isinstance(cls, rdflib.URIRef):
            why.setdefault(individual, {}).setdefault(cls, reason)

    for individual, cls in graph.subject_objects(RDF.type):
        note(individual, cls, f"typed {_short(str(cls))}")
    for prop, domain in graph.subject_objects(RDFS.domain):
        for subject in graph.subjects(prop, None):
            note(subject, domain, f"subject of {_short(str(prop))}, whose domain is {_short(str(domain))}")
    for prop, range_ in graph.subject_objects(RDFS.range):
        if (prop, RDF.type, OWL.ObjectProperty) in graph:
            for obj in graph.objects(None, prop):
                note(obj, range_, f"object of {_short(str(prop))}, whose range is {_short(str(range_))}")
    return why


def _disjointness_clashes(graph: rdflib.Graph) -> list[str]:
    """Individuals that must belong to two classes declared disjoint, with the reasons.

    HermiT only says "inconsistent"; this finds the most common cause from the
    triples (asserted types, domains and ranges of the properties used) so the
    report can name the individual, the classes and where each comes from.
    """
    disjoint_groups: list[set[rdflib.term.Node]] = []
    for group in graph.subjects(RDF.type, OWL.AllDisjointClasses):
        members = graph.value(group, OWL.members)
        if members is not None:
            disjoint_groups.append(set(Collection(graph, members)))
    for left, right in graph.subject_objects(OWL.disjointWith):
        disjoint_groups.append({left, right})

    clashes = []
    for individual, reasons in sorted(_typings(graph).items()):
        under: dict[rdflib.term.Node, str] = {}  # superclass -> reason of the class that implies it
        for cls, reason in reasons.items():
            for ancestor in graph.transitive_objects(cls, RDFS.subClassOf):
                if ancestor is not None:
                    under.setdefault(ancestor, reason)
        for disjoint in disjoint_groups:
            hit = sorted(disjoint & under.keys(), key=str)
            if len(hit) >= 2:
                parts = [f"{_short(str(cls))} ({under[cls]})" for cls in hit]
                clashes.append(f"{individual} is {' and '.join(parts)}, classes declared disjoint")
    return clashes


def check(path: Path | None = None, extra_turtle: str | None = None) -> OntologyReport:
    """Run HermiT over the ontology (and ``extra_turtle``) and report consistency and hierarchy.

    An inconsistency is reported in the result (``consistent=False`` and a
    ``message``), not raised; :class:`OntologyError` is raised only when the
    input cannot be read or Java/HermiT fails.
    """
    graph = _read_graph(path, extra_turtle)
    ontology = _load(graph)
    world = ontology.world
    counted = OntologyReport(
        consistent=False,
        classes=len(_dip_entities(world.classes())),
        object_properties=len(_dip_entities(world.object_properties())),
        data_properties=len(_dip_entities(world.data_properties())),
        individuals=len(list(world.individuals())),
        hierarchy=(),
        message="",
    )
    try:
        owlready2.sync_reasoner_hermit(
            world, infer_property_values=False, debug=0, ignore_unsupported_datatypes=True
        )
    except owlready2.OwlReadyInconsistentOntologyError:
        clashes = _disjointness_clashes(graph)
        if clashes:
            reason = "; ".join(clashes)
        else:
            reason = (
                "no individual falls under two classes declared disjoint, so another axiom is violated "
                "(e.g. a status not allowed for the fact's class, a functional property with two values, "
                "or a literal outside a property's range)"
            )
        return replace(counted, message=f"HermiT: the ontology is inconsistent: {reason}")
    except owlready2.OwlReadyJavaError as err:
        raise OntologyError(f"HermiT could not run (is Java installed?): {err}") from err

    unsatisfiable = sorted(_short(cls.iri) for cls in world.inconsistent_classes())
    if unsatisfiable:
        message = "HermiT: unsatisfiable classes (equivalent to owl:Nothing): " + ", ".join(unsatisfiable)
    else:
        message = "HermiT: consistent, all classes satisfiable"
    return replace(counted, consistent=not unsatisfiable, hierarchy=_hierarchy(ontology), message=message)


def format_report(report: OntologyReport) -> str:
    """Render a report for people: verdict, counts, and the inferred hierarchy as an indented tree.

    Each ``dip:`` class appears under each of its ``dip:`` superclasses;
    external superclasses (schema.org, SEM, PROV-O, ORG) follow in brackets.
    """
    lines = [
        f"Ontology {ONTOLOGY_IRI}: {'consistent' if report.consistent else 'NOT consistent'}",
        report.message,
        (
            f"{report.classes} classes, {report.object_properties} object properties, "
            f"{report.data_properties} data properties, {report.individuals} individuals"
        ),
    ]
    if not report.hierarchy:
        return "\n".join(lines)

    parents = dict(report.hierarchy)
    children: dict[str, list[str]] = {}
    roots = []
    for name, supers in report.hierarchy:
        local = [parent for parent in supers if ":" not in parent]
        if not local:
            roots.append(name)
        for parent in local:
            children.setdefault(parent, []).append(name)

    def walk(name: str, depth: int) -> None:
        external = [parent for parent in parents.get(name, ()) if ":" in parent]
        suffix = f"  [{', '.join(external)}]" if external else ""
        lines.append(f"{'  ' * depth}{name}{suffix}")
        for child in sorted(children.get(name, [])):
            walk(child, depth + 1)

    lines.append("Inferred class hierarchy:")
    for root in sorted(roots):
        walk(root, 1)
    return "\n".join(lines)
