"""Provenance: one graph per article with its metadata; every fact traced to sentences with PROV-O."""

from __future__ import annotations

from conftest import ARTICLES, SEED_000, SEED_004
from kg import iris
from kg.extract.records import EXTRACTOR
from kg.read import read_article
from kg.store import Store

PREFIXES = """
PREFIX dip: <https://w3id.org/dkg/ontology#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX dcterms: <http://purl.org/dc/terms/>
PREFIX schema: <https://schema.org/>
"""


def select(store: Store, query: str) -> list[list[str]]:
    _, rows = store.select(PREFIXES + query)
    return [["" if v is None else str(v) for v in row] for row in rows]


def test_articles_carry_their_metadata(seeded_store: Store) -> None:
    rows = select(seeded_store, """
        SELECT ?file ?title ?date ?lang ?hash ?url WHERE {
          ?a a dip:Article ; dip:sourceFile ?file ; dcterms:title ?title ; dcterms:date ?date ;
             dcterms:language ?lang ; dip:contentHash ?hash .
          OPTIONAL { ?a schema:url ?url }
        } ORDER BY ?file""")
    assert [r[0] for r in rows] == [SEED_000.name, SEED_004.name]
    for file, title, date, lang, digest, url in rows:
        article = read_article(ARTICLES / file)
        assert (title, date, lang) == (article.title, article.date.isoformat() if article.date else "", article.lang)
        assert len(digest) == 64
        assert url == article.url


def test_every_fact_has_evidence_that_points_into_its_article(seeded_store: Store) -> None:
    facts = """
        SELECT DISTINCT ?fact WHERE {
          GRAPH ?g {
            ?doc a dip:Article .
            { ?fact dip:status ?s } UNION { ?fact dip:relationActor ?x } UNION { ?fact a dip:Person }
            %s
          }
        }"""
    traced = "FILTER EXISTS { ?fact dip:evidence ?ev ; prov:wasDerivedFrom ?article . ?ev dip:inArticle ?article }"
    assert len(select(seeded_store, facts % "")) > 30
    assert select(seeded_store, facts % traced.replace("EXISTS", "NOT EXISTS")) == []
    spans = select(seeded_store, """
        SELECT ?file ?text ?start ?end ?extractor ?used ?agent WHERE {
          GRAPH ?g {
            ?fact dip:evidence ?ev .
            ?ev dip:text ?text ; dip:charStart ?start ; dip:charEnd ?end ; dip:extractor ?extractor ;
                dip:inArticle ?a ; prov:wasGeneratedBy ?activity .
            ?a dip:sourceFile ?file .
            ?activity a prov:Activity ; prov:used ?used ; prov:wasAssociatedWith ?agentNode .
            ?agentNode a prov:SoftwareAgent ; rdfs:label ?agent .
          }
        }""".replace("rdfs:label", "<http://www.w3.org/2000/01/rdf-schema#label>"))
    assert len(spans) > 100
    texts = {name: read_article(ARTICLES / name).text for name in (SEED_000.name, SEED_004.name)}
    for file, text, start, end, extractor, used, agent in spans:
        assert texts[file][int(start):int(end)] == text, "the offsets give back the sentence"
        assert extractor == agent == EXTRACTOR
        assert used == str(iris.article(file))


def test_according_to_which_articles_and_sentences(seeded_store: Store) -> None:
    """The question every fact can answer: the 9th Korea-Japan-China summit, from both seeds."""
    rows = select(seeded_store, """
        SELECT ?file ?sentence ?status WHERE {
          ?event dip:edition 9 ; dip:evidence ?ev .
          ?ev dip:text ?sentence ; dip:inArticle/dip:sourceFile ?file ; dip:reportedStatus/dip:statusCode ?status .
        } ORDER BY ?file ?sentence""")
    by_file = {(file, status) for file, _, status in rows}
    assert by_file == {(SEED_000.name, "held"), (SEED_004.name, "planned")}
    assert any("제9차 한일중 정상회의" in sentence for _, sentence, _ in rows)
    assert any("Korea-Japan-China Summit" in sentence for _, sentence, _ in rows)
    assert any("한일중 정상회의 참석차" in sentence for _, sentence, _ in rows)
