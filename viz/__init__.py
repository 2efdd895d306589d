"""Views of the diplomatic knowledge graph: query results -> networkx -> self-contained HTML."""
