"""Jinja2 templates: the packaged theme, overridable file by file from the notebook's
`templates/` folder. Autoescaping is on; note HTML is marked safe only after rendering."""
from __future__ import annotations

import hashlib
from pathlib import Path

import jinja2
from jinja2 import ChoiceLoader, Environment, FileSystemLoader, StrictUndefined, select_autoescape
from jinja2.bccache import Bucket, FileSystemBytecodeCache

from ..errors import TemplateError
from ..paths import cache_dir
from ..version import __version__
from .i18n import LOCALE_DIR, Language

THEME = Path(__file__).resolve().parent.parent / "theme"


def template_folders(notebook_root: Path) -> list[Path]:
    override = notebook_root / "templates"
    return ([override] if override.is_dir() else []) + [THEME / "templates"]


class _CompiledTemplates(FileSystemBytecodeCache):
    """Compiled templates in the notebook's cache folder: a build that renders one page (a quick
    build) does not compile the theme again. A folder it cannot write only costs the compile."""

    def dump_bytecode(self, bucket: Bucket) -> None:
        try:
            super().dump_bytecode(bucket)
        except OSError:
            pass


def _compiled_templates(notebook_root: Path) -> _CompiledTemplates | None:
    folder = cache_dir(notebook_root) / f"templates-{__version__}"
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None
    return _CompiledTemplates(str(folder))


def make_environment(notebook_root: Path, language: Language | None = None) -> Environment:
    """The theme's templates in the notebook's language: `_()`/`{% trans %}` from its message
    catalog (Jinja's i18n extension), `lang` for `<html lang>`, `day` for dates."""
    language = language or Language.of("en")
    loader = ChoiceLoader([FileSystemLoader(str(folder)) for folder in template_folders(notebook_root)])
    env = Environment(loader=loader, autoescape=select_autoescape(["html", "xml"], default=True),
                      undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True,
                      extensions=["jinja2.ext.i18n"], bytecode_cache=_compiled_templates(notebook_root))
    env.install_gettext_translations(language.translations, newstyle=True)  # type: ignore[attr-defined]
    env.globals["lang"] = language.code
    env.filters["day"] = language.day
    return env


def theme_fingerprint(notebook_root: Path) -> str:
    """Hash of every template and static file in use: part of every page's cache key."""
    digest = hashlib.sha256()
    for folder in [*template_folders(notebook_root), THEME / "static", LOCALE_DIR, notebook_root / "static"]:
        if folder.is_dir():
            for path in sorted(folder.rglob("*")):
                if path.is_file():
                    digest.update(path.relative_to(folder).as_posix().encode())
                    digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def template_error(exc: Exception, notebook_root: Path, page: str) -> TemplateError | None:
    """The template file and line an exception raised while rendering `page` comes from (a
    syntax error's own location, else the innermost template frame of the traceback, which Jinja
    rewrites to template lines), or None when no template is involved (a tilbook bug)."""
    folders = [folder.resolve() for folder in template_folders(notebook_root)]

    def is_template(filename: str | None) -> bool:
        return bool(filename) and any(Path(filename).resolve().is_relative_to(f) for f in folders)  # type: ignore[arg-type]

    where: tuple[str, int | None] | None = None
    if isinstance(exc, jinja2.TemplateSyntaxError) and is_template(exc.filename):
        where = (exc.filename or "", exc.lineno)
    else:
        trace = exc.__traceback__
        while trace is not None:
            if is_template(trace.tb_frame.f_code.co_filename):
                where = (trace.tb_frame.f_code.co_filename, trace.tb_lineno)
            trace = trace.tb_next
    if where is None:
        return None
    filename, line = where
    path = Path(filename).resolve()
    shown = path.relative_to(notebook_root.resolve()) if path.is_relative_to(notebook_root.resolve()) else path
    message = exc.message if isinstance(exc, jinja2.TemplateError) and exc.message else f"{type(exc).__name__}: {exc}"
    return TemplateError(shown, line, f"template error: {message}", page)
