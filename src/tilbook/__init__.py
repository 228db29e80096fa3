"""tilbook: Today-I-Learned notebooks as plain markdown, digest posts in and out, a linter,
Korean-aware search and a fast static site.

The CLI is a thin layer over these functions.
"""
from .capture import init_notebook, new_note
from .config import Config, load_config
from .errors import BuildError, ConfigError, InputError, NotebookNotFound, TilbookError, UsageError
from .exporter import export_post, select_notes
from .importer import import_posts
from .model import Category, Note, Notebook, publishable
from .notes import find_notebook, load_notebook, read_note

from .version import __version__

__all__ = [
    "__version__", "BuildError", "Category", "Config", "ConfigError", "InputError", "Note", "Notebook",
    "NotebookNotFound", "TilbookError", "UsageError", "export_post", "find_notebook", "import_posts",
    "init_notebook", "load_config", "load_notebook", "new_note", "publishable", "read_note", "select_notes",
]
