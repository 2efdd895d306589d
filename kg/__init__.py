"""Diplomatic-event knowledge graph: read articles, extract facts, store RDF, query."""

__version__ = "0.1.0"
