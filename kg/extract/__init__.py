"""Extraction: article text -> mentions -> fact records, Korean and English side by side.

``extract_article`` is the entry point; see ``kg.extract.facts``.
"""

from kg.extract.facts import extract_article
from kg.extract.records import Agreement, Evidence, Extraction, Meeting, PersonRecord, Relation, When

__all__ = ["Agreement", "Evidence", "Extraction", "Meeting", "PersonRecord", "Relation", "When", "extract_article"]
