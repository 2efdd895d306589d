"""The ontology, its SHACL shapes and the owlready2/HermiT bridge (kg.ontology)."""

from __future__ import annotations

import pyshacl
import pytest
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SH, SKOS

from kg.ontology import OntologyReport, check, format_report, load_ontology
from kg.resources import ontology_file
from kg.vocab import DIP, ONTOLOGY_IRI

DIP_NS = ONTOLOGY_IRI + "#"
DSH = Namespace("https://w3id.org/dkg/ontology/shapes#")
ID = Namespace("https://w3id.org/dkg/id/")
DECLARATION_TYPES = {OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.NamedIndividual}

PREFIXES = """\
@prefix dip: <https://w3id.org/dkg/ontology#> .
@prefix id:  <https://w3id.org/dkg/id/> .
@prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
"""


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return Graph().parse(ontology_file("diplomacy.ttl"), format="turtle")


@pytest.fixture(scope="module")
def shapes() -> Graph:
    return Graph().parse(ontology_file("shapes.ttl"), format="turtle")


@pytest.fixture(scope="module")
def report() -> OntologyReport:
    """One HermiT run over the shipped ontology, shared by the tests (about 2 s)."""
    return check()


def vocab_terms() -> set[URIRef]:
    return {URIRef(DIP_NS + name) for name in DIP.__annotations__ if not name.startswith("_")}


def declared_dip_terms(ontology: Graph) -> dict[URIRef, set[URIRef]]:
    declared: dict[URIRef, set[URIRef]] = {}
    for subject, kind in ontology.subject_objects(RDF.type):
        if isinstance(subject, URIRef) and str(subject).startswith(DIP_NS) and kind in DECLARATION_TYPES:
            declared.setdefault(subject, set()).add(kind)
    return declared


def dip_mentions(ontology: Graph) -> set[URIRef]:
    """Every dip: IRI used anywhere in the ontology."""
    return {
        term
        for triple in ontology
        for term in triple
        if isinstance(term, URIRef) and str(term).startswith(DIP_NS)
    }


# --- vocabulary -------------------------------------------------------------


def test_vocab_terms_are_declared(ontology: Graph) -> None:
    missing = sorted(vocab_terms() - declared_dip_terms(ontology).keys())
    assert not missing, f"in kg/vocab.py but not declared in diplomacy.ttl: {missing}"


def test_declared_terms_are_in_vocab(ontology: Graph) -> None:
    extra = sorted(declared_dip_terms(ontology).keys() - vocab_terms())
    assert not extra, f"declared in diplomacy.ttl but missing from kg/vocab.py: {extra}"
    undeclared = sorted(dip_mentions(ontology) - declared_dip_terms(ontology).keys())
    assert not undeclared, f"dip: terms used in diplomacy.ttl without a declaration: {undeclared}"


def test_naming_convention(ontology: Graph) -> None:
    for term, kinds in declared_dip_terms(ontology).items():
        local = str(term)[len(DIP_NS) :]
        if kinds & {OWL.ObjectProperty, OWL.DatatypeProperty}:
            assert local[0].islower(), f"property {local} must start lower-case"
        else:
            assert local[0].isupper(), f"class or individual {local} must be capitalised"


def test_labels_and_definitions(ontology: Graph) -> None:
    problems = []
    for term, kinds in sorted(declared_dip_terms(ontology).items()):
        labels = {
            label.language for label in ontology.objects(term, RDFS.label) if isinstance(label, Literal)
        }
        if not {"en", "ko"} <= labels:
            problems.append(f"{term}: rdfs:label languages {sorted(map(str, labels))}, need en and ko")
        if kinds & {OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty}:
            definitions = {d.language for d in ontology.objects(term, SKOS.definition)}
            if "en" not in definitions:
                problems.append(f"{term}: no skos:definition@en")
    assert not problems, "\n".join(problems)


def test_status_individuals(ontology: Graph) -> None:
    codes = {
        DIP.Planned: "planned",
        DIP.Held: "held",
        DIP.Postponed: "postponed",
        DIP.Cancelled: "cancelled",
        DIP.Negotiating: "negotiating",
        DIP.Agreed: "agreed",
        DIP.Signed: "signed",
        DIP.Ratified: "ratified",
        DIP.InForce: "in-force",
    }
    for status, code in codes.items():
        assert (status, RDF.type, OWL.NamedIndividual) in ontology
        assert list(ontology.objects(status, DIP.statusCode)) == [Literal(code)]
    event_statuses = set(ontology.subjects(RDF.type, DIP.EventStatus))
    agreement_statuses = set(ontology.subjects(RDF.type, DIP.AgreementStatus))
    assert event_statuses == {DIP.Planned, DIP.Held, DIP.Postponed, DIP.Cancelled}
    assert agreement_statuses == {
        DIP.Planned,
        DIP.Negotiating,
        DIP.Agreed,
        DIP.Signed,
        DIP.Ratified,
        DIP.InForce,
    }


def test_no_imports(ontology: Graph) -> None:
    assert not list(ontology.objects(None, OWL.imports))


@pytest.mark.parametrize(
    "namespace",
    [
        "https://schema.org/",
        "http://semanticweb.cs.vu.nl/2009/11/sem/",
        "http://www.w3.org/ns/prov#",
        "http://www.w3.org/ns/org#",
        "http://www.w3.org/2006/time#",
    ],
)
def test_alignment_to(ontology: Graph, namespace: str) -> None:
    mapping = {
        RDFS.subClassOf,
        RDFS.subPropertyOf,
        OWL.equivalentClass,
        OWL.equivalentProperty,
        SKOS.closeMatch,
        SKOS.exactMatch,
        SKOS.relatedMatch,
    }
    found = [
        (s, p, o)
        for s, p, o in ontology
        if p in mapping and str(s).startswith(DIP_NS) and str(o).startswith(namespace)
    ]
    assert found, f"no dip: term is mapped to {namespace}"


def test_event_types_carry_cameo_and_plover_codes(ontology: Graph) -> None:
    for cls in (DIP.Meeting, DIP.Summit, DIP.PhoneTalks, DIP.Visit, DIP.Agreement, DIP.Sanction):
        codes = {str(o) for o in ontology.objects(cls, SKOS.closeMatch) if isinstance(o, Literal)}
        assert any(code.startswith("CAMEO:") for code in codes), cls
        assert any(code.startswith("PLOVER:") for code in codes), cls


# --- reasoning ----------------------------------------------------------------


def test_ontology_is_consistent(report: OntologyReport, ontology: Graph) -> None:
    assert report.consistent, report.message
    kinds = [kind for kinds in declared_dip_terms(ontology).values() for kind in kinds]
    assert report.classes == kinds.count(OWL.Class) == 40
    assert report.object_properties == kinds.count(OWL.ObjectProperty) == 19
    assert report.data_properties == kinds.count(OWL.DatatypeProperty) == 19
    assert report.individuals == kinds.count(OWL.NamedIndividual) == 9


def test_inferred_hierarchy(report: OntologyReport) -> None:
    hierarchy = dict(report.hierarchy)
    assert "Meeting" in hierarchy["Summit"]
    assert "Treaty" in hierarchy["FreeTradeAgreement"]
    assert "Talks" in hierarchy["PhoneTalks"]
    assert set(hierarchy["Event"]) >= {"Fact", "schema:Event", "sem:Event"}
    assert [name for name, _ in report.hierarchy] == sorted(hierarchy)


def test_format_report(report: OntologyReport) -> None:
    text = format_report(report)
    assert text.splitlines()[0].endswith(": consistent")
    lines = text.splitlines()
    meeting = next(line for line in lines if line.strip().startswith("Meeting"))
    summit = next(line for line in lines if line.strip().startswith("Summit"))
    indent = len(meeting) - len(meeting.lstrip())
    assert len(summit) - len(summit.lstrip()) == indent + 2


def test_load_ontology_uses_a_private_world() -> None:
    import owlready2

    onto = load_ontology()
    assert onto.world is not owlready2.default_world
    assert onto.world[DIP_NS + "Summit"] is not None
    assert owlready2.default_world[DIP_NS + "Summit"] is None


def test_person_and_state_is_inconsistent() -> None:
    extra = PREFIXES + "id:actor\\/state\\/XXX a owl:NamedIndividual , dip:Person , dip:State .\n"
    result = check(extra_turtle=extra)
    assert not result.consistent
    assert "inconsistent" in result.message
    assert "actor/state/XXX" in result.message and "Person" in result.message
    assert "NOT consistent" in format_report(result)


def test_clash_through_a_domain_is_explained(ontology: Graph) -> None:
    """The diagnosis follows property domains: a Person used as the subject of dip:status is a Fact."""
    from kg.ontology import _disjointness_clashes

    data = Graph().parse(data=PREFIXES + "id:actor\\/person\\/p1 a dip:Person ; dip:status dip:Held .\n")
    clashes = _disjointness_clashes(ontology + data)
    assert len(clashes) == 1
    assert "actor/person/p1" in clashes[0]
    assert "subject of status, whose domain is Fact" in clashes[0]


def test_event_with_agreement_status_is_inconsistent() -> None:
    extra = PREFIXES + "id:event\\/e1 a owl:NamedIndividual , dip:Summit ; dip:status dip:Signed .\n"
    result = check(extra_turtle=extra)
    assert not result.consistent
    assert result.message


# --- SHACL shapes -------------------------------------------------------------


def summit_data(
    participants: str = "id:actor\\/state\\/KOR , id:actor\\/state\\/JPN",
    status: str = "dip:Held",
    evidence: bool = True,
    char_start: int = 0,
    jpn_code: str = "JPN",
    article_fields: str = 'dip:sourceFile "a1.txt" ; dip:contentHash "00ff"',
) -> str:
    """A small article graph: one summit of KOR and JPN, its evidence span and article.

    The defaults conform; each argument breaks one thing.
    """
    supported = (" ;\n    dip:evidence id:evidence\\/a1\\/0-20-1 ;\n    prov:wasDerivedFrom id:article\\/a1"
                 if evidence else "")
    return (
        PREFIXES
        + f"""
id:event\\/s1 a dip:Summit ;
    dip:participant {participants} ;
    dip:status {status} ;
    dip:date "2024-05-26"^^xsd:date{supported} .
id:actor\\/state\\/KOR a dip:State ; dip:code "KOR" .
id:actor\\/state\\/JPN a dip:State ; dip:code "{jpn_code}" .
id:evidence\\/a1\\/0-20-1 a dip:Evidence ;
    dip:text "한일 정상회담이 열렸다." ;
    dip:charStart "{char_start}"^^xsd:nonNegativeInteger ;
    dip:charEnd "20"^^xsd:nonNegativeInteger ;
    dip:inArticle id:article\\/a1 ;
    prov:wasGeneratedBy id:extraction\\/a1 .
id:extraction\\/a1 a prov:Activity ; prov:used id:article\\/a1 ; prov:wasAssociatedWith id:agent\\/x .
id:agent\\/x a prov:SoftwareAgent .
id:article\\/a1 a dip:Article ; {article_fields} .
"""
    )


RDFS_MODE: dict[str, object] = {"ont_graph": True, "inference": "rdfs"}
VALIDATION_MODES = [
    pytest.param(RDFS_MODE, id="ontology+rdfs"),
    pytest.param({"ont_graph": True, "inference": "none"}, id="ontology"),
    pytest.param({"ont_graph": False, "inference": "none"}, id="shapes-only"),
]


def validate(turtle: str, shapes: Graph, ontology: Graph, mode: dict[str, object]) -> tuple[bool, Graph]:
    data = Graph().parse(data=turtle, format="turtle")
    conforms, results, _ = pyshacl.validate(
        data,
        shacl_graph=shapes,
        ont_graph=ontology if mode["ont_graph"] else None,
        inference=mode["inference"],
    )
    return bool(conforms), results


def violations(results: Graph, shapes: Graph) -> set[tuple[URIRef, URIRef]]:
    """(focus node, named node shape) of every validation result."""
    found = set()
    for result in results.subjects(RDF.type, SH.ValidationResult):
        focus = results.value(result, SH.focusNode)
        shape = results.value(result, SH.sourceShape)
        owner = next(shapes.subjects(SH.property, shape), shape)
        assert isinstance(focus, URIRef) and isinstance(owner, URIRef), (focus, shape)
        found.add((focus, owner))
    return found


@pytest.mark.parametrize("mode", VALIDATION_MODES)
def test_conforming_summit(shapes: Graph, ontology: Graph, mode: dict[str, object]) -> None:
    conforms, results = validate(summit_data(), shapes, ontology, mode)
    assert conforms, results.serialize(format="turtle")


@pytest.mark.parametrize("mode", VALIDATION_MODES)
def test_summit_with_one_state_fails(shapes: Graph, ontology: Graph, mode: dict[str, object]) -> None:
    conforms, results = validate(summit_data(participants="id:actor\\/state\\/KOR"), shapes, ontology, mode)
    assert not conforms
    assert violations(results, shapes) == {(ID["event/s1"], DSH.SummitShape)}


def test_summit_of_a_state_and_an_international_organization_conforms(shapes: Graph, ontology: Graph) -> None:
    """A Korea-ASEAN summit has one state participant and one international organization."""
    turtle = summit_data(participants="id:actor\\/state\\/KOR , id:actor\\/org\\/ASEAN")
    turtle += 'id:actor\\/org\\/ASEAN a dip:InternationalOrganization ; dip:code "ASEAN" .\n'
    conforms, results = validate(turtle, shapes, ontology, RDFS_MODE)
    assert conforms, results.serialize(format="turtle")


@pytest.mark.parametrize("mode", VALIDATION_MODES)
def test_summit_is_checked_by_the_event_shape(
    shapes: Graph, ontology: Graph, mode: dict[str, object]
) -> None:
    """A node typed only dip:Summit must be a target of the shape on dip:Event."""
    conforms, results = validate(summit_data(status="dip:Signed", evidence=False), shapes, ontology, mode)
    assert not conforms
    assert violations(results, shapes) == {(ID["event/s1"], DSH.EventShape)}
    assert len(set(results.subjects(RDF.type, SH.ValidationResult))) == 2  # status and evidence, once each


def test_ontology_graph_alone_brings_subclasses_into_target(shapes: Graph, ontology: Graph) -> None:
    """With only ``sh:targetClass dip:Event`` left, the ontology graph still makes a Summit a target."""
    event_only = Graph()
    for triple in shapes:
        if triple[0] == DSH.EventShape and triple[1] == SH.targetClass and triple[2] != DIP.Event:
            continue
        event_only.add(triple)
    data = summit_data(evidence=False)
    conforms, results = validate(data, event_only, ontology, {"ont_graph": True, "inference": "none"})
    assert not conforms
    assert (ID["event/s1"], DSH.EventShape) in violations(results, event_only)


@pytest.mark.parametrize("mode", VALIDATION_MODES)
def test_evidence_offsets_must_increase(shapes: Graph, ontology: Graph, mode: dict[str, object]) -> None:
    conforms, results = validate(summit_data(char_start=20), shapes, ontology, mode)
    assert not conforms
    assert violations(results, shapes) == {(ID["evidence/a1/0-20-1"], DSH.EvidenceShape)}


def test_state_code_and_article_fields(shapes: Graph, ontology: Graph) -> None:
    turtle = summit_data(jpn_code="Japan", article_fields='dip:sourceFile "a1.txt"')
    conforms, results = validate(turtle, shapes, ontology, RDFS_MODE)
    assert not conforms
    assert violations(results, shapes) == {
        (ID["actor/state/JPN"], DSH.StateShape),
        (ID["article/a1"], DSH.ArticleShape),
    }


def test_agreement_and_relation_shapes(shapes: Graph, ontology: Graph) -> None:
    turtle = (
        summit_data()
        + """
id:agreement\\/g1 a dip:JointStatement ; dip:status dip:Held ; dip:party id:actor\\/state\\/KOR ;
    dip:evidence id:evidence\\/a1\\/0-20-1 ; prov:wasDerivedFrom id:article\\/a1 .
id:relation\\/r1 a dip:Alliance ; dip:relationActor id:actor\\/state\\/KOR .
"""
    )
    conforms, results = validate(turtle, shapes, ontology, RDFS_MODE)
    assert not conforms
    assert violations(results, shapes) == {
        (ID["agreement/g1"], DSH.AgreementShape),
        (ID["relation/r1"], DSH.RelationShape),
    }


def test_shape_targets_cover_every_subclass(shapes: Graph, ontology: Graph) -> None:
    """Each shape names every subclass of its target, so it works without the ontology graph."""
    for shape in (DSH.EventShape, DSH.AgreementShape, DSH.RelationShape):
        targets = set(shapes.objects(shape, SH.targetClass))
        roots = {t for t in targets if not (set(ontology.objects(t, RDFS.subClassOf)) & targets)}
        assert len(roots) == 1, (shape, roots)
        (root,) = roots
        subclasses = set(ontology.transitive_subjects(RDFS.subClassOf, root))
        assert targets == subclasses, (shape, sorted(subclasses ^ targets))
