"""Extraction quality: precision, recall and F1 per fact kind against a development set (``run.py``)."""
