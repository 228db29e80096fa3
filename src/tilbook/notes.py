"""Note files on disk: finding the notebook, loading every note, writing new ones.

Loading is cached in the notebook's cache folder. A file whose size and mtime match the cache is
trusted without being read (an edit that keeps both, e.g. restored mtime, goes unseen until the
cache is cleared); one whose size or mtime changed is read and re-parsed only if its content hash
differs. So a notebook of 10,000 notes is re-read without parsing any YAML that did not change.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import hashlib
import json
import os
import re
from pathlib import Path
from typing import Any, cast

from . import cachefiles
from .config import Config, load_config
from .errors import InputError
from .frontmatter import decode, field_line, split_front_matter, unknown_fields, validate_fields
from .fsutil import atomic_write, create_exclusive
from .links import plain_wikilinks
from .model import Note, Notebook
from .parallel import split_for_workers, worker_count
from .paths import CACHE_DIR as CACHE_DIR, CONFIG_NAME, NOTES_DIR as NOTES_DIR, cache_dir as cache_dir, find_notebook as find_notebook
from .slugs import nfc, slugify, unique_slug, url_key

LOADER_CACHE_VERSION = 7  # 6: a [[wikilink]] in a derived title reads as its text; 7: bodies stored as UTF-8
TITLE_LENGTH = 70
MAX_NOTE_BYTES = 2_000_000
"""Larger files are refused: a note is short, and a 10 MB one would stall every build."""
_DATE_PREFIX = re.compile(r"^\d{4}-\d{2}-\d{2}-?")


_SENTENCE_MARKS = str.maketrans(".!?。", "\ue010\ue011\ue012\ue013")
"""Sentence punctuation inside code spans, hidden while looking for the end of the first sentence."""
_FOOTNOTE_MARK = re.compile(r"\[\^[^\]\s]+\]")
_SENTENCE_MARKS_BACK = str.maketrans("\ue010\ue011\ue012\ue013", ".!?。")


@functools.cache
def _title_parser() -> Any:
    from markdown_it import MarkdownIt
    from mdit_py_plugins.dollarmath import dollarmath_plugin
    from mdit_py_plugins.footnote import footnote_plugin
    md = MarkdownIt("commonmark").use(footnote_plugin)
    return md.use(dollarmath_plugin, allow_space=False, allow_digits=False, double_inline=True)


def _first_text(body: str) -> str:
    """Plain text of the first paragraph or heading that has any, read by markdown-it's plain
    CommonMark parser (code spans keep their text, footnote marks, images and HTML go, math keeps
    its `$…$` source). This is not the site's renderer: CommonMark has no tables, so a note that
    starts with a table gets the table's source, pipes and all, as its title."""
    for token in _title_parser().parse(body):
        if token.type != "inline" or not token.children:
            continue
        parts = []
        for child in token.children:
            if child.type == "text":  # a footnote mark whose definition is elsewhere stays text: drop it
                parts.append(_FOOTNOTE_MARK.sub("", child.content))
            elif child.type == "math_inline":
                parts.append(f"${child.content}$")
            elif child.type == "code_inline":
                parts.append(child.content.translate(_SENTENCE_MARKS))
            elif child.type in ("softbreak", "hardbreak"):
                parts.append(" ")
        text = plain_wikilinks(" ".join("".join(parts).split()))
        if text:
            return text
    return ""


def derive_title(body: str, limit: int = TITLE_LENGTH) -> str:
    """Plain text of the body's first sentence, cut at a word boundary near `limit` characters."""
    text = _first_text(body)
    match = re.search(r"(?<=[.!?。])\s", text)
    sentence = text[: match.start()] if match else text
    if len(sentence) > limit:
        cut = sentence[:limit]
        close = sentence.find("$", limit)
        if cut.count("$") % 2 and close > 0:  # never cut inside a formula
            cut = sentence[:close + 1]
        elif " " in cut[limit // 2:] and cut.rsplit(" ", 1)[0].count("$") % 2 == 0:
            cut = cut.rsplit(" ", 1)[0]
        sentence = cut.rstrip(" ,.:;") + "…"
    return sentence.translate(_SENTENCE_MARKS_BACK) or "Untitled note"


def note_slug(rel_name: str, meta_slug: str | None) -> str:
    if meta_slug:
        return slugify(meta_slug)
    stem = _DATE_PREFIX.sub("", Path(rel_name).stem)
    return slugify(stem)


def read_note(path: Path, root: Path, data: bytes | None = None) -> Note:
    """Parse one note file into a Note; InputError names the file and line of any problem."""
    data = path.read_bytes() if data is None else data
    shown = path
    if len(data) > MAX_NOTE_BYTES:
        raise InputError(shown, None, f"the note is {len(data) / 1_000_000:.1f} MB; tilbook reads notes up to "
                         f"{MAX_NOTE_BYTES // 1_000_000} MB", hint="split it into several notes")
    text = decode(shown, data)
    raw = split_front_matter(shown, text)
    fields = validate_fields(shown, raw)
    body = raw.body.strip("\n")
    leading = len(raw.body) - len(raw.body.lstrip("\n"))
    title = fields.get("title")
    rel = path.relative_to(root).as_posix() if path.is_absolute() else path.as_posix()
    return Note(
        path=path, rel=rel, date=fields["date"], category=nfc(" ".join(fields["category"].split())),
        tags=tuple(dict.fromkeys(nfc(t.strip()) for t in fields["tags"])),
        title=nfc(title.strip()) if title else derive_title(body), title_derived=not title,
        draft=fields["draft"], body=nfc(body) if not body.isascii() else body,
        body_line=raw.body_line + leading, slug=note_slug(path.name, fields.get("slug")),
        updated=fields.get("updated"), digest_hash=hashlib.sha256(data).hexdigest(),
        field_lines=tuple((key, line) for key in raw.meta if (line := field_line(raw.front_text, key))),
        unknown_fields=tuple(unknown_fields(raw)),
    )


def note_files(root: Path) -> list[Path]:
    """Every `*.md` under notes/, sorted, hidden files and folders skipped."""
    base = root / NOTES_DIR
    found: list[Path] = []
    for folder, dirs, files in os.walk(base):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        prefix = Path(folder)
        found += [prefix / f for f in sorted(files) if f.endswith(".md") and not f.startswith(".")]
    return found


_FIELDS = [f.name for f in dataclasses.fields(Note) if f.name != "path"]
_BODY = _FIELDS.index("body")
_FIELD_LINES = _FIELDS.index("field_lines")


def _fields_of(note: Note) -> tuple[object, ...]:
    """A note without its path: what the loader cache keeps and workers send back."""
    return tuple(getattr(note, f) for f in _FIELDS)


def _shared(fields: tuple[object, ...], known: dict[object, object]) -> tuple[object, ...]:
    """`fields` with its front matter lines as the one equal tuple `known` holds: most notes have
    the same fields on the same lines (~600 bytes a note otherwise, 60 MB at 100,000 notes)."""
    lines = fields[_FIELD_LINES]
    return (*fields[:_FIELD_LINES], known.setdefault(lines, lines), *fields[_FIELD_LINES + 1:])


_Entry = tuple[int, int, tuple[object, ...]]
"""What the loader cache keeps per note file: size, mtime and the parsed fields."""


def _stored(entries: dict[str, _Entry]) -> dict[str, _Entry]:
    """A cache file's entries as pickled: bodies as UTF-8 bytes, since pickling a `str` makes
    CPython keep a UTF-8 copy inside it for the rest of the build (every body, once more)."""
    return {rel: (size, mtime, (*fields[:_BODY], cast(str, fields[_BODY]).encode("utf-8", "surrogatepass"),
                                *fields[_BODY + 1:])) for rel, (size, mtime, fields) in entries.items()}


def _read_back(loaded: object) -> object:
    """A cache file's contents as the loader keeps them (`_stored` undone)."""
    if not (isinstance(loaded, tuple) and len(loaded) == 2 and loaded[0] == LOADER_CACHE_VERSION):
        return None
    known: dict[object, object] = {}
    return LOADER_CACHE_VERSION, {
        rel: (size, mtime, _shared((*fields[:_BODY], cast(bytes, fields[_BODY]).decode("utf-8", "surrogatepass"),
                                    *fields[_BODY + 1:]), known))
        for rel, (size, mtime, fields) in loaded[1].items()}


def _cache_shard(rel: str) -> str:
    """Cache file of a note: one per folder under notes/ (a year, usually), so an edit rewrites one."""
    parts = rel.split("/")
    folder = parts[1] if len(parts) > 2 else ""
    return f"notes-{hashlib.sha1(folder.encode()).hexdigest()[:10]}.pickle"


def _load_cache(root: Path) -> dict[str, dict[str, _Entry]]:
    shards: dict[str, dict[str, _Entry]] = {}
    for path in cache_dir(root).glob("notes-*.pickle"):
        loaded = cachefiles.load(path, _read_back)
        if isinstance(loaded, tuple) and len(loaded) == 2 and loaded[0] == LOADER_CACHE_VERSION:
            shards[path.name] = loaded[1]
    return shards


def _save_cache(root: Path, before: dict[str, dict[str, _Entry]], fresh: dict[str, dict[str, _Entry]]) -> None:
    folder = cache_dir(root)
    for name in set(before) | set(fresh):
        if name not in fresh:
            cachefiles.remove(folder / name)
        elif fresh[name] != before.get(name):
            cachefiles.save(folder / name, (LOADER_CACHE_VERSION, _stored(fresh[name])), (LOADER_CACHE_VERSION, fresh[name]))


PARALLEL_PARSE = 2000
"""From this many notes to parse (a first load, a cleared cache), front matter is parsed in worker
processes: libyaml is most of a cold load."""


def _parse_chunk(root: str, paths: list[str]) -> list[tuple[object, ...] | None]:
    """Worker: each note's fields, or None when it is unreadable (the parent re-reads it to report
    the error exactly as a serial load would)."""
    out: list[tuple[object, ...] | None] = []
    for name in paths:
        try:
            parsed = read_note(Path(name), Path(root))
        except (InputError, OSError):
            out.append(None)
            continue
        out.append(_fields_of(parsed))
    return out


def _parse_many(root: Path, paths: list[Path]) -> list[tuple[object, ...] | None]:
    workers = min(worker_count(), 8)
    if len(paths) < PARALLEL_PARSE or workers < 2:
        return [None] * len(paths)
    from concurrent.futures import ProcessPoolExecutor
    chunks = split_for_workers([str(p) for p in paths], workers, smallest=64)
    with ProcessPoolExecutor(max_workers=workers) as pool:
        return [fields for chunk in pool.map(_parse_chunk, [str(root)] * len(chunks), chunks) for fields in chunk]


def _aliased(config: Config, note: Note) -> Note:
    """The note read through [category_aliases]: an alias is its category everywhere."""
    if note.category not in config.category_aliases:
        return note
    return dataclasses.replace(note, category=config.canonical_category(note.category), written_category=note.category)


def load_note(root: Path, config: Config, path: Path) -> Note:
    """One note as `load_notebook` reads it (a quick build reads only the notes that changed)."""
    return _aliased(config, read_note(path, root.resolve()))


def load_notebook(root: Path, *, strict: bool = True) -> Notebook:
    """Read the config and every note. Strict: the first unreadable note raises; else collected."""
    root = root.resolve()
    config = load_config(root / CONFIG_NAME)
    shards = _load_cache(root)
    cached = {rel: entry for entries in shards.values() for rel, entry in entries.items()}
    hash_index = _FIELDS.index("digest_hash")
    prefix = len(str(root)) + 1
    found: list[tuple[Path, str, os.stat_result, tuple[object, ...] | None, bytes | None]] = []
    for path in note_files(root):
        name = str(path)
        rel = name[prefix:].replace(os.sep, "/")
        stat = os.stat(name)
        known = cached.get(rel)
        if known is not None and known[:2] == (stat.st_size, stat.st_mtime_ns):
            found.append((path, rel, stat, known[2], None))  # same size and mtime as when parsed: trust it
            continue
        if known is None:  # never parsed: read where it is parsed (maybe a worker)
            found.append((path, rel, stat, None, None))
            continue
        content = path.read_bytes()
        if known[2][hash_index] == hashlib.sha256(content).hexdigest():
            found.append((path, rel, stat, known[2], None))
        else:
            found.append((path, rel, stat, None, content))
    to_parse = [index for index, item in enumerate(found) if item[3] is None]
    same_lines: dict[object, object] = {}
    for index, fields in zip(to_parse, _parse_many(root, [found[i][0] for i in to_parse])):
        if fields is not None:
            path, rel, stat, _, _ = found[index]
            found[index] = (path, rel, stat, _shared(fields, same_lines), None)
    fresh: dict[str, dict[str, _Entry]] = {}
    notes: list[Note] = []
    problems: list[Exception] = []
    for path, rel, stat, fields, data in found:
        if fields is None:  # not parsed in a worker, or unreadable there: here, with its error
            try:
                parsed = read_note(path, root, data)
            except InputError as exc:
                exc.path = Path(rel)
                if strict:
                    raise
                problems.append(exc)
                continue
            fields = _shared(_fields_of(parsed), same_lines)
        notes.append(Note(path, *fields))  # type: ignore[arg-type]
        fresh.setdefault(_cache_shard(rel), {})[rel] = (stat.st_size, stat.st_mtime_ns, fields)
    if fresh != shards:
        _save_cache(root, shards, fresh)
    if config.category_aliases:
        notes = [_aliased(config, n) for n in notes]
    notes.sort(key=lambda n: (n.date, n.rel))
    return Notebook(root=root, config=config, notes=tuple(notes), problems=tuple(problems))


# --- writing -------------------------------------------------------------------------------

@functools.cache
def _scalar_patterns() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """A plain scalar, and the plain scalars YAML reads as something else: compiled on first use,
    as only writing notes needs them (the first's classes cost about a millisecond)."""
    return (re.compile(r"^[\w가-힣][\w가-힣 .&+#/-]*$"),
            re.compile(r"^(?:true|false|yes|no|on|off|null|~|[-+]?[\d._]+(?:e[-+]?\d+)?|\d{4}-\d\d-\d\d.*)$", re.I))


def yaml_scalar(value: str) -> str:
    """A YAML scalar that reads back as the same string (plain when safe, else double-quoted)."""
    plain, special = _scalar_patterns()
    if plain.match(value) and not special.match(value) and not value.endswith(" ") \
            and ": " not in value and " #" not in value:
        return value
    return json.dumps(value, ensure_ascii=False)


def format_note(*, date: dt.date, category: str, tags: list[str] | tuple[str, ...], title: str | None,
                draft: bool, body: str, updated: dt.date | None = None) -> str:
    """The text of a note file: front matter in a fixed field order, then the body."""
    lines = ["---", f"date: {date.isoformat()}", f"category: {yaml_scalar(category)}",
             "tags: [" + ", ".join(yaml_scalar(t) for t in tags) + "]"]
    if title:
        lines.append(f"title: {json.dumps(title, ensure_ascii=False)}")
    lines.append(f"draft: {'true' if draft else 'false'}")
    if updated:
        lines.append(f"updated: {updated.isoformat()}")
    lines.append("---")
    return "\n".join(lines) + "\n" + body.strip("\n") + "\n"


class TakenNames:
    """File stems already used per year folder, listed once (a bulk import asks thousands of times)."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.by_folder: dict[Path, set[str]] = {}

    def get(self, folder: Path) -> set[str]:
        if folder not in self.by_folder:
            self.by_folder[folder] = {url_key(p.stem) for p in folder.glob("*.md")} if folder.is_dir() else set()
        return self.by_folder[folder]


def note_path(root: Path, date: dt.date, slug: str, taken: TakenNames | None = None) -> Path:
    """`notes/YYYY/YYYY-MM-DD-slug.md`, with `-2`, `-3`... when the name is taken (case-folded)."""
    folder = root / NOTES_DIR / f"{date.year:04d}"
    names = (taken or TakenNames(root)).get(folder)
    stem = unique_slug(f"{date.isoformat()}-{slug}", names)
    return folder / f"{stem}.md"


def write_new_note(root: Path, text: str, date: dt.date, slug: str, taken: TakenNames | None = None,
                   *, durable: bool = True) -> Path:
    """Create a new note file; never replaces an existing one (retries the next free name)."""
    taken = taken or TakenNames(root)
    for _ in range(100):
        path = note_path(root, date, slug, taken)
        try:
            create_exclusive(path, text, durable=durable)
            taken.get(path.parent).add(url_key(path.stem))
            return path
        except FileExistsError:
            taken.by_folder.pop(path.parent, None)  # someone else wrote there: list it again
            continue
    raise InputError(path, None, "could not find a free file name", hint="pass a different --title")


def rewrite_note(path: Path, text: str) -> None:
    """Replace an existing note's text atomically (used by merges and `check --fix`)."""
    atomic_write(path, text)


def title_slug(title: str, body: str, limit: int = 50) -> str:
    """A file-name slug from the title, cut at a word boundary."""
    slug = slugify(title or derive_title(body), max_length=200)
    if len(slug) > limit:
        cut = slug[:limit]
        slug = cut.rsplit("-", 1)[0] if "-" in cut[limit // 2:] else cut
    return slug.strip("-") or "note"


__all__ = ["Config", "find_notebook", "load_notebook", "read_note", "format_note", "write_new_note",
           "rewrite_note", "derive_title", "note_path", "cache_dir"]
