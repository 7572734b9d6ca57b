"""Streamlit glue: caching, URL state, shared widgets. Pages import from here."""
