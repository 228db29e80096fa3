"""Digest posts (Gatsby "lumen" TIL format): split one into notes, join notes back into one.

Reading repairs what is safe to repair (footnote labels such as `[^ 5]`, category labels with
extra spaces or an emoji that lost its zero-width joiner) and records every repair and every
leftover (unused definitions, references with no definition) with its line, for `import`
reports and for `check`.
"""
from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import InputError
from .frontmatter import decode, split_front_matter
from .mdtext import (MALFORMED_DEF, Definition, fenced_lines, footnote_refs, relabel_footnotes,
                     repair_emoji, split_definitions, split_label)
from .model import Note

CALENDAR_EMOJI = "🗓"
_HEADING = re.compile(r"^#####[ \t]+(.*)$")
_DATE_LINE = re.compile(r"^\s*[*_](\d{4})\.(\d{1,2})\.(\d{1,2})[*_]\s*$")
_DATE_HEADING = re.compile(r"^(?:[^\w\s]+\s*)?(\d{4})\.(\d{1,2})\.(\d{1,2})\s*$")
_THEMATIC_BREAK = re.compile(r"^ {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$")
_REFERENCES = re.compile(r"^#{1,4}[ \t]+(references|참고(?:\s*자료|\s*문헌)?|footnotes)\s*$", re.I)
_META_COMMENT = re.compile(r"^<!--\s*tilbook:\s*(\{.*\})\s*-->\s*$")
_ORDER_ASC = re.compile(r"하단|아래|bottom|oldest first", re.I)
_ORDER_DESC = re.compile(r"상단|위쪽|맨 위|top|newest first", re.I)


@dataclass(slots=True)
class Finding:
    """Something noticed while reading a post: a repair made, or a problem left for the user."""

    rule: str
    line: int
    message: str
    fixed: bool = False


@dataclass(slots=True)
class Entry:
    """One note of a digest post."""

    heading_line: int
    date: dt.date
    label: str
    """The heading text as written (`🧩  ML library`, or `🗓 2021.04.25`)."""
    category: str | None
    """Normalised category name; None for date-style headings."""
    emoji: str
    body: str
    """Markdown of the note without its footnote definitions."""
    body_line: int
    """1-based line in the post where `body` starts."""
    refs: list[str]
    definitions: list[Definition] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    title: str | None = None
    draft: bool | None = None
    """From a tilbook meta comment; None when the post did not say."""


@dataclass(slots=True)
class DigestPost:
    path: Path
    meta: dict[str, Any]
    title: str
    draft: bool
    style: str
    """"category" or "date"."""
    topic: str | None
    declared_order: str | None
    """"asc"/"desc" when the intro says where the newest notes are."""
    entries: list[Entry]
    definitions: dict[str, Definition]
    findings: list[Finding]
    unused: list[Definition]


def _topic(title: str) -> str | None:
    if ":" in title:
        topic = title.split(":", 1)[1].strip()
        return topic or None
    return None


def _date(path: Path, line: int, groups: tuple[str, ...]) -> dt.date:
    try:
        return dt.date(*map(int, groups))
    except ValueError as exc:
        raise InputError(path, line, f"{'.'.join(groups)} is not a real date ({exc})",
                         hint="fix the date line") from None


def parse_post(path: Path, text: str | None = None, known_emoji: dict[str, str] | None = None) -> DigestPost:
    """Read a digest post; InputError only when it cannot be read as a digest at all."""
    if text is None:
        text = decode(path, path.read_bytes())
    meta: dict[str, Any] = {}
    offset = 0
    if text.startswith("---"):
        raw = split_front_matter(path, text)
        meta, offset = raw.meta, raw.body_line - 1
        body_text = raw.body
    else:
        body_text = text
    lines = body_text.split("\n")
    code = fenced_lines(lines)
    findings: list[Finding] = []

    # repair malformed footnote labels first, so definitions are assigned correctly
    for index, line in enumerate(lines):
        match = None if code[index] else MALFORMED_DEF.match(line)
        if match:
            label = match.group(1).strip()
            fixed = f"[^{label}]:" + line[match.end():]
            findings.append(Finding("footnote-malformed", offset + index + 1,
                                    f"`{line[:match.end()]}` is not a footnote definition (space inside the label); "
                                    f"repaired as `[^{label}]:`", fixed=True))
            lines[index] = fixed

    headings = [i for i, line in enumerate(lines) if not code[i] and _HEADING.match(line)]
    ref_heading = next((i for i, line in enumerate(lines) if not code[i] and _REFERENCES.match(line)), None)
    title = str(meta.get("title") or "")
    draft = meta.get("draft") is True
    intro_end = headings[0] if headings else len(lines)
    intro = "\n".join(lines[:intro_end])
    declared = "asc" if _ORDER_ASC.search(intro) else "desc" if _ORDER_DESC.search(intro) else None

    entries: list[Entry] = []
    styles: set[str] = set()
    for number, start in enumerate(headings):
        end = headings[number + 1] if number + 1 < len(headings) else len(lines)
        if ref_heading is not None and start < ref_heading < end:
            end = ref_heading
        label = re.sub(r"[ \t]+#+[ \t]*$", "", _HEADING.match(lines[start]).group(1))  # type: ignore[union-attr]
        file_line = offset + start + 1
        date_heading = _DATE_HEADING.match(split_label(label)[1] or label) or _DATE_HEADING.match(label)
        cursor = start + 1
        if date_heading:
            styles.add("date")
            date = _date(path, file_line, date_heading.groups())
            category, emoji = None, split_label(label)[0]
        else:
            styles.add("category")
            while cursor < end and not lines[cursor].strip():
                cursor += 1
            date_match = _DATE_LINE.match(lines[cursor]) if cursor < end else None
            if date_match is None:
                raise InputError(path, file_line, f"the note `##### {label}` has no `*YYYY.MM.DD*` date line under it",
                                 hint="add the date line right after the heading")
            date = _date(path, offset + cursor + 1, date_match.groups())
            cursor += 1
            emoji, category = split_label(label)
            emoji = _normalise_label(emoji, category, label, file_line, known_emoji or {}, findings)
        while cursor < end and not lines[cursor].strip():
            cursor += 1
        extra: dict[str, Any] = {}
        if cursor < end and _META_COMMENT.match(lines[cursor]):
            try:
                extra = json.loads(_META_COMMENT.match(lines[cursor]).group(1))  # type: ignore[union-attr]
            except json.JSONDecodeError:
                findings.append(Finding("digest-meta", offset + cursor + 1, "unreadable tilbook comment; ignored"))
            cursor += 1
        while cursor < end and not lines[cursor].strip():
            cursor += 1
        body_start = cursor
        stop = end
        while stop > cursor and not code[stop - 1] and (not lines[stop - 1].strip() or (
                _THEMATIC_BREAK.match(lines[stop - 1]) and stop - 2 >= cursor and not lines[stop - 2].strip())):
            stop -= 1  # a `---` between notes or before the references separates; it is not content
        chunk = "\n".join(lines[cursor:stop]).rstrip()
        body, local_defs = split_definitions(chunk)
        entry = Entry(heading_line=file_line, date=date, label=label, category=category, emoji=emoji,
                      body=body, body_line=offset + body_start + 1, refs=[label for label, _ in footnote_refs(body)],
                      definitions=[Definition(d.label, d.text, d.line + offset + body_start) for d in local_defs],
                      tags=[str(t) for t in extra.get("tags", []) if isinstance(t, str)],
                      title=extra.get("title") if isinstance(extra.get("title"), str) else None,
                      draft=extra.get("draft") if isinstance(extra.get("draft"), bool) else None)
        entries.append(entry)

    # definitions: those in the References section (and anywhere outside notes)
    definitions: dict[str, Definition] = {}
    outside = "\n".join(lines[ref_heading:]) if ref_heading is not None else ""
    if outside:
        _, defs = split_definitions(outside)
        base = offset + (ref_heading or 0)
        for d in defs:
            if d.label in definitions:
                findings.append(Finding("footnote-duplicate", base + d.line + 1, f"footnote [^{d.label}] is defined twice"))
                continue
            definitions[d.label] = Definition(d.label, d.text, base + d.line)
    used: set[str] = set()
    for entry in entries:
        own = {d.label: d for d in entry.definitions}
        assigned: list[Definition] = []
        for label in dict.fromkeys(entry.refs):
            found = own.get(label) or definitions.get(label)
            if found is None:
                ref_line = next((entry.body_line + i for lbl, i in footnote_refs(entry.body) if lbl == label), entry.body_line)
                findings.append(Finding("footnote-undefined", ref_line,
                                        f"footnote reference [^{label}] has no definition; add `[^{label}]: …`"))
                continue
            used.add(label) if label not in own else None
            assigned.append(found)
        assigned += [d for d in entry.definitions if d.label not in entry.refs]
        entry.definitions = assigned
    unused = [d for label, d in definitions.items() if label not in used]
    for d in unused:
        findings.append(Finding("footnote-unused", d.line + 1,
                                f"footnote [^{d.label}] is defined but no note references it; "
                                "reference it with [^" + d.label + "] or delete it"))
    style = "date" if styles == {"date"} else "category"
    return DigestPost(path=path, meta=meta, title=title, draft=draft, style=style, topic=_topic(title),
                      declared_order=declared, entries=entries, definitions=definitions,
                      findings=findings, unused=unused)


def _normalise_label(emoji: str, category: str, label: str, line: int, known: dict[str, str],
                     findings: list[Finding]) -> str:
    """Repair the emoji and report label drift (spaces, lost joiner)."""
    repaired = repair_emoji(emoji)
    table = known.get(category)
    if table and table.replace("\u200d", "").replace("\ufe0f", "") == repaired.replace("\u200d", "").replace("\ufe0f", ""):
        repaired = table
    canonical = f"{repaired} {category}".strip()
    if repaired != emoji:
        findings.append(Finding("category-inconsistent", line,
                                f"emoji of `{label.strip()}` lost its zero-width joiner; repaired as `{repaired}`",
                                fixed=True))
    if label != canonical and label.replace(emoji, repaired, 1) != canonical:
        what = "trailing space" if label.rstrip() == canonical.replace(repaired, emoji, 1) else "extra white space"
        findings.append(Finding("category-inconsistent", line,
                                f"category label `{label}` has {what}; normalised to `{canonical}`", fixed=True))
    return repaired


def note_body_with_definitions(entry: Entry) -> str:
    """The note's markdown as stored in its file: body, blank line, its footnote definitions."""
    if not entry.definitions:
        return entry.body
    return entry.body.rstrip("\n") + "\n\n" + "\n".join(d.text for d in entry.definitions)


# --- writing ------------------------------------------------------------------------------

def _meta_comment(note: Note, include_draft: bool) -> str:
    data: dict[str, Any] = {"title": note.title}
    if note.tags:
        data["tags"] = list(note.tags)
    if include_draft:  # a draft post says each note's own state, so published notes stay published
        data["draft"] = note.draft
    return "<!-- tilbook: " + json.dumps(data, ensure_ascii=False) + " -->"


def render_post(notes: list[Note], *, emoji_of: dict[str, str], style: str, title: str, draft: bool,
                description: str, language: str, order: str, path: str) -> str:
    """Join notes into one digest post; footnotes renumbered 1..n in order of first use."""
    first = min((n.date for n in notes), default=dt.date.today())
    head = ["---", f"title: {json.dumps(title, ensure_ascii=False)}", f'date: "{first.isoformat()}"',
            'template: "post"', f"draft: {'true' if draft else 'false'}", f"path: {json.dumps(path, ensure_ascii=False)}",
            f"description: {json.dumps(description, ensure_ascii=False)}", 'category: "Today I Learned"', "---", ""]
    korean = language.startswith("ko")
    where = ("아래쪽" if order == "asc" else "위쪽") if korean else ("bottom" if order == "asc" else "top")
    head.append(f"> 새로 배운 내용일수록 {where}에 있습니다." if korean else f"> The newest notes are at the {where}.")
    parts = ["\n".join(head)]
    references: list[str] = []
    counter = 0
    for note in notes:
        body, defs = split_definitions(note.body)
        mapping: dict[str, str] = {}
        for label, _ in footnote_refs(body):
            if label not in mapping:
                counter += 1
                mapping[label] = str(counter)
        for d in defs:
            if d.label not in mapping:
                counter += 1
                mapping[d.label] = str(counter)
        body = relabel_footnotes(body, mapping)
        by_label = {d.label: d for d in defs}
        for label, number in mapping.items():
            if label in by_label:
                references.append(relabel_footnotes(by_label[label].text, {label: number}))
        day = note.date.strftime("%Y.%m.%d")
        if style == "date":
            heading = f"##### {CALENDAR_EMOJI} {day}\n\n"
        else:
            heading = f"##### {(emoji_of.get(note.category, '') + ' ' + note.category).strip()}\n\n*{day}*\n"
        parts.append(f"{heading}{_meta_comment(note, draft)}\n\n{body.strip()}")
    parts.append("### References\n\n" + "\n".join(references))
    return "\n\n".join(parts).rstrip("\n") + "\n"
