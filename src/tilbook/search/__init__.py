"""Search: the local SQLite index, the Datasette export and the site's static index."""
from .site_index import SearchRecord, build_site_index, search_files

__all__ = ["SearchRecord", "build_site_index", "search_files"]
