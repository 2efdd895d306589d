"""The SHACL shapes and the ontology hold on the real import of the seeds."""

from __future__ import annotations

import pyshacl
from rdflib import Graph

from kg import iris
from kg.resources import ontology_file
from kg.store import Store


def test_seed_import_conforms_to_the_shapes(seeded_store: Store) -> None:
    data = Graph()
    for s, p, o, g in seeded_store.quads():
        if g != iris.ONTOLOGY_GRAPH:
            data.add((s, p, o))
    conforms, _, text = pyshacl.validate(
        data,
        shacl_graph=Graph().parse(ontology_file("shapes.ttl")),
        ont_graph=Graph().parse(ontology_file("diplomacy.ttl")),
        inference="rdfs",
    )
    assert conforms, text


def test_seed_facts_are_consistent_with_the_ontology(seeded_store: Store) -> None:
    """HermiT over the ontology plus the facts of the seed articles (not the whole gazetteer)."""
    from kg.ontology import check

    facts = Graph()
    for s, p, o, g in seeded_store.quads():
        if str(g).startswith(iris.BASE + "graph/article/"):
            facts.add((s, p, o))
    report = check(extra_turtle=facts.serialize(format="turtle"))
    assert report.consistent, report.message
