"""`tilbook check`: a linter for TIL notes and digest posts.

`run_checks` reads a target once and runs the rules of `rules.RULES` that are not switched off:
for a notebook, the note rules on every note (rendered through the shared pipeline and its
cache) and then the notebook rules; for a digest post, the post rules and the note rules on
each of its notes.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from ..config import CONFIG_NAME, Config
from ..digest import parse_post
from ..errors import InputError
from ..links import NoteIndex
from ..notes import load_notebook
from ..pipeline import render_notes
from ..render.markdown import Renderer
from .fix import Change, fix_file
from .model import Finding, Rule, Unit, sort_findings
from .post_rules import PostContext
from .rules import RULE_IDS, RULES

__all__ = ["Change", "Finding", "RULES", "RULE_IDS", "Target", "fix", "is_notebook", "run_checks"]


@dataclass(frozen=True, slots=True)
class Target:
    """A notebook folder, or a digest post file (checked on its own)."""

    path: Path
    is_notebook: bool


def shown_path(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def _active(levels: dict[str, str], scope: str) -> list[tuple[Rule, str]]:
    """The rules of a scope that run, each with the severity it reports at."""
    return [(rule, levels.get(rule.id, rule.severity)) for rule in RULES
            if rule.scope == scope and levels.get(rule.id) != "off"]


def _spots(rules: list[tuple[Rule, str]], subject: object, path: str) -> Iterable[Finding]:
    for rule, severity in rules:
        for line, message in rule.check(subject):
            yield Finding(rule.id, severity, path, max(1, line), message)


def run_checks(target: Target, config: Config | None = None) -> list[Finding]:
    """Every finding for one target, levelled by [checks], sorted by file and line."""
    if target.is_notebook:
        return sort_findings(_check_notebook(target.path))
    return sort_findings(_check_post(target.path, config or Config()))


def _check_notebook(root: Path) -> list[Finding]:
    notebook = load_notebook(root, strict=False)
    levels = notebook.config.checks
    note_rules = _active(levels, "note")
    out: list[Finding] = []
    if note_rules:
        done = render_notes(notebook, notebook.notes)
        index = NoteIndex.of(notebook.notes)
        for note, rendered in zip(notebook.notes, done.rendered):
            unit = Unit(path=note.rel, file=note.path, body=note.body, body_line=note.body_line, date=note.date,
                        rendered=rendered, date_line=note.field_line("date"), notes=index)
            out += _spots(note_rules, unit, note.rel)
        try:
            done.save_cache()
        except OSError:  # a read-only notebook is still checked; the next run renders again
            pass
    for rule, severity in _active(levels, "notebook"):
        out += [Finding(rule.id, severity, path, max(1, line), message)
                for path, line, message in rule.check(notebook)]
    return out


def _check_post(path: Path, config: Config) -> list[Finding]:
    shown = shown_path(path)
    try:
        post = parse_post(path, known_emoji=config.categories)
    except InputError as exc:
        rule = "frontmatter-invalid" if exc.line else "digest-invalid"
        message = f"{exc.message}; {exc.hint}" if exc.hint else exc.message
        level = config.checks.get(rule, "error")  # re-levelled by [checks] like every other rule
        return [] if level == "off" else [Finding(rule, level, shown, exc.line or 1, message)]
    out = list(_spots(_active(config.checks, "post"), PostContext(post, config), shown))
    note_rules = _active(config.checks, "note")
    if note_rules:
        renderer = Renderer(macros=config.macros, allow_html=config.allow_html)
        for entry in post.entries:
            unit = Unit(path=shown, file=path, body=entry.body, body_line=entry.body_line, date=entry.date,
                        rendered=renderer.render(entry.body, id_prefix="check"), date_line=entry.date_line,
                        footnotes_checked_by_post=True)
            out += _spots(note_rules, unit, shown)
    return out


def fix(target: Target, config: Config | None = None) -> list[Change]:
    """Repair what is safe to repair, in every file of the target."""
    if target.is_notebook:
        notebook = load_notebook(target.path, strict=False)
        changes: list[Change] = []
        for note in notebook.notes:
            changes += fix_file(note.path, note.rel, macros=notebook.config.macros,
                                categories=notebook.config.categories, post=False)
        return changes
    config = config or Config()
    return fix_file(target.path, shown_path(target.path), macros=config.macros, categories=config.categories, post=True)


def is_notebook(path: Path) -> bool:
    return path.is_dir() and (path / CONFIG_NAME).is_file()


