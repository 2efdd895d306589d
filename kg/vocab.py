"""The project's own vocabulary as a closed namespace.

Every term here is declared in ``ontology/diplomacy.ttl`` and every term declared
there is listed here (a test checks both ways), so a typo fails loudly.
"""

from rdflib.namespace import DefinedNamespace, Namespace
from rdflib.term import URIRef

from kg import iris

ONTOLOGY_IRI = "https://w3id.org/dkg/ontology"

# Prefixes of the ontology's vocabularies; instance IRIs stay whole (their paths hold slashes).
PREFIXES = {
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "dip": "https://w3id.org/dkg/ontology#",
    "dcterms": "http://purl.org/dc/terms/",
    "schema": "https://schema.org/",
    "sem": "http://semanticweb.cs.vu.nl/2009/11/sem/",
    "prov": "http://www.w3.org/ns/prov#",
    "org": "http://www.w3.org/ns/org#",
    "time": "http://www.w3.org/2006/time#",
}
# Declared for every query the project runs, so ad-hoc queries (`dkg query -e`) can use them
# without a prologue; ``id:`` is the base of instance IRIs (slashes escaped: id:actor\/state\/KOR).
QUERY_PREFIXES = {**PREFIXES, "id": iris.BASE}


class DIP(DefinedNamespace):
    """Terms of the diplomacy ontology (``https://w3id.org/dkg/ontology#``)."""

    _NS = Namespace(ONTOLOGY_IRI + "#")
    _fail = True

    # --- actors -----------------------------------------------------------
    Actor: URIRef  # anything that takes part in diplomacy
    State: URIRef  # a sovereign state or territory with an ISO 3166-1 code
    Person: URIRef
    Organization: URIRef
    InternationalOrganization: URIRef  # UN, ASEAN, NATO, G7, APEC ...
    GovernmentBody: URIRef  # a ministry, presidential office, council of one state
    Office: URIRef  # a post such as "President of the Republic of Korea"
    Tenure: URIRef  # one person holding one office for a dated period
    Place: URIRef  # a city or venue where an event happens

    # --- events -----------------------------------------------------------
    Event: URIRef
    Meeting: URIRef
    Summit: URIRef
    MinisterialMeeting: URIRef
    ViceMinisterialMeeting: URIRef
    Talks: URIRef
    PhoneTalks: URIRef  # subclass of Talks
    Visit: URIRef
    StateVisit: URIRef  # subclass of Visit
    Conference: URIRef
    MeetingSeries: URIRef

    # --- agreements -------------------------------------------------------
    Agreement: URIRef
    Treaty: URIRef
    FreeTradeAgreement: URIRef  # subclass of Treaty
    Declaration: URIRef
    JointStatement: URIRef
    MemorandumOfUnderstanding: URIRef
    Contract: URIRef
    Commitment: URIRef

    # --- relations --------------------------------------------------------
    Relation: URIRef
    Cooperation: URIRef
    Alliance: URIRef
    Partnership: URIRef
    Conflict: URIRef
    Sanction: URIRef

    # --- statuses ---------------------------------------------------------
    Status: URIRef
    EventStatus: URIRef
    AgreementStatus: URIRef
    Planned: URIRef  # individual; both an EventStatus and an AgreementStatus
    Held: URIRef
    Postponed: URIRef
    Cancelled: URIRef
    Negotiating: URIRef
    Agreed: URIRef
    Signed: URIRef
    Ratified: URIRef
    InForce: URIRef

    # --- provenance -------------------------------------------------------
    Article: URIRef  # one news article, the source of one named graph
    Evidence: URIRef  # one sentence span of an article that supports a fact
    Fact: URIRef  # superclass of Event, Agreement and Relation records

    # --- object properties ------------------------------------------------
    participant: URIRef  # Event -> Actor (states and organizations taking part)
    attendee: URIRef  # Event -> Person who attended
    party: URIRef  # Agreement -> Actor
    relationActor: URIRef  # Relation -> Actor
    status: URIRef  # Event|Agreement -> Status
    location: URIRef  # Event -> Place
    inSeries: URIRef  # Meeting -> MeetingSeries
    host: URIRef  # Event -> Actor that hosts it
    visitor: URIRef  # Visit -> Actor who travels
    destination: URIRef  # Visit -> Actor visited
    agreedAt: URIRef  # Agreement -> Event where it was made
    country: URIRef  # Person|GovernmentBody|Office|Place -> State it belongs to
    holder: URIRef  # Tenure -> Person
    office: URIRef  # Tenure -> Office
    hasTenure: URIRef  # Person -> Tenure
    evidence: URIRef  # Fact|Person -> Evidence
    inArticle: URIRef  # Evidence -> Article
    reportedStatus: URIRef  # Evidence -> Status the sentence gives its fact (one article's report)
    memberOf: URIRef  # Actor -> Organization it belongs to

    # --- data properties --------------------------------------------------
    code: URIRef  # actor code: ISO 3166-1 alpha-3, or an organization's short name
    wikidata: URIRef  # Wikidata id (Q...) of an actor
    nameEn: URIRef  # the English name of a person as written in the gazetteer
    nameKo: URIRef  # the Korean name of a person
    role: URIRef  # title as written in the article ("외교부 장관", "Prime Minister")
    date: URIRef  # xsd:date, xsd:gYearMonth or xsd:gYear: the precision known
    dateEarliest: URIRef  # start of a vague date range
    dateLatest: URIRef  # end of a vague date range
    edition: URIRef  # xsd:positiveInteger: 9 for 제9차 / 9th
    startDate: URIRef  # Tenure start
    endDate: URIRef  # Tenure end
    statusCode: URIRef  # lower-case code of a Status ("planned", "in-force")
    text: URIRef  # Evidence sentence text
    charStart: URIRef  # Evidence: offset of the sentence's first character in the article text
    charEnd: URIRef  # Evidence: offset one past its last character
    extractor: URIRef  # Evidence: name and version of the extractor
    sourceFile: URIRef  # Article: file name it was read from
    contentHash: URIRef  # Article: sha256 of its text, metadata and extractor version
    surface: URIRef  # Fact or Person: the words that named it in the article
