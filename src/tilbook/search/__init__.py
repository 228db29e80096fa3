"""Local full-text search of a notebook (SQLite FTS5) and its Datasette export."""
