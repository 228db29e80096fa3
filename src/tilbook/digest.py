"""Digest posts (Gatsby "lumen" TIL format): read one into notes.

Reading repairs what is safe to repair (footnote labels such as `[^ 5]`, category labels with
extra spaces or an emoji that lost its zero-width joiner) and records every repair and every
leftover with its line, for `import` reports and for `check`. One bad note never sinks a post:
a note without a real date is kept as a draft with an assumed date, and text that belongs to no
note is kept verbatim for the report.
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
from .links import ANCHOR_LINE
from .mdtext import MALFORMED_DEF, Definition, fenced_lines, footnote_refs, repair_emoji, split_definitions, split_label

CALENDAR_EMOJI = "🗓"
_HEADING = re.compile(r"^#####[ \t]+(.*)$")
_SECTION = re.compile(r"^ {0,3}#{1,4}(?:[ \t]+.*)?$")
"""A heading above the notes' level: it ends the note before it (a month or part separator)."""
_DATE = r"(\d{4}|\d{2})[.\-/]\s?([\dxX?]{1,2})[.\-/]\s?([\dxX?]{1,2})\.?(?:\s*\([^)]*\))?"
"""`2021.04.25`, `2021-4-5`, `21.04.25`, `2021. 04. 25.`, a weekday in brackets, `xx` placeholders."""
_DATE_LINE = re.compile(rf"^\s*[*_]{{1,2}}{_DATE}[*_]{{1,2}}\s*$")
_DATE_HEADING = re.compile(rf"^(?:[^\w\s]+\s*)?{_DATE}\s*$")
_THEMATIC_BREAK = re.compile(r"^ {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$")
_REFERENCES = re.compile(r"^#{1,4}[ \t]+(references?|참고(?:\s*자료|\s*문헌)?|footnotes|각주|출처)\s*$", re.I)
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
    """Local definitions while reading; after `_assign_footnotes`, exactly those the note cites."""
    tags: list[str] = field(default_factory=list)
    title: str | None = None
    draft: bool | None = None
    """From a tilbook meta comment (or True for an undated note); None when the post did not say."""
    date_line: int = 0
    """1-based line of the date (the italic date line, or the heading for date-style notes)."""
    date_assumed: bool = False
    """The post gave no real date: `date` is borrowed from the nearest dated note."""


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
    outside: list[tuple[int, str]] = field(default_factory=list)
    """(first line, text as written) of every block that belongs to no note: intro, separators,
    stray text before or inside the References section."""


def _topic(title: str) -> str | None:
    if ":" in title:
        topic = title.split(":", 1)[1].strip()
        return topic or None
    return None


def _real_date(groups: tuple[str, ...]) -> dt.date | None:
    """The date, or None for a placeholder (`2021.00.00`) or an impossible one (`2021.02.30`)."""
    year, month, day = groups
    try:
        return dt.date(int(year) + (2000 if len(year) == 2 else 0), int(month), int(day))
    except ValueError:  # also `xx`
        return None


def _blocks(lines: list[str], start: int, end: int, offset: int) -> list[tuple[int, str]]:
    """Non-blank runs of lines[start:end] as (1-based file line, verbatim text)."""
    out: list[tuple[int, str]] = []
    index = start
    while index < end:
        if not lines[index].strip():
            index += 1
            continue
        first = index
        while index < end and lines[index].strip():
            index += 1
        out.append((offset + first + 1, "\n".join(lines[first:index])))
    return out


def parse_post(path: Path, text: str | None = None, known_emoji: dict[str, str] | None = None) -> DigestPost:
    """Read a digest post; InputError only when it cannot be read as a digest at all
    (not UTF-8, broken front matter, no note heading)."""
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
            findings.append(Finding("footnote-malformed", offset + index + 1,
                                    f"`{match.group(0).strip()}` is not a footnote definition (space inside the label); "
                                    f"repaired as `[^{label}]:`", fixed=True))
            lines[index] = f"[^{label}]:" + line[match.end():]

    headings = [i for i, line in enumerate(lines) if not code[i] and _HEADING.match(line)]
    if not headings:
        raise InputError(path, None, "no note found: a digest note starts with a `##### <emoji> <category>` "
                         "or `##### 🗓 YYYY.MM.DD` heading", hint="check that this is a digest post")
    ref_heading = next((i for i, line in enumerate(lines) if not code[i] and _REFERENCES.match(line)), None)
    title = str(meta.get("title") or "")
    intro = "\n".join(lines[:headings[0]])
    declared = "asc" if _ORDER_ASC.search(intro) else "desc" if _ORDER_DESC.search(intro) else None
    outside = _blocks(lines, 0, min(headings[0], ref_heading if ref_heading is not None else len(lines)), offset)

    entries: list[Entry] = []
    styles: set[str] = set()
    for number, start in enumerate(headings):
        end = headings[number + 1] if number + 1 < len(headings) else len(lines)
        if ref_heading is not None and start < ref_heading < end:
            end = ref_heading
        section = next((i for i in range(start + 1, end) if not code[i] and _SECTION.match(lines[i])), None)
        if section is not None:  # a `## …`/`### …` heading: the note ends before it
            outside += _blocks(lines, section, end, offset)
            end = section
        if number + 1 == len(headings) or section is not None:
            closing = _closing_break(lines, code, start, end)
            if closing is not None:  # after a `---` that closes the last note: the post's own text
                outside += _blocks(lines, closing + 1, end, offset)
                end = closing
        entries.append(_read_entry(lines, code, start, end, offset, known_emoji or {}, findings, styles))
    _assume_dates(entries, meta, findings)

    definitions: dict[str, Definition] = {}
    if ref_heading is not None:
        kept, defs = split_definitions("\n".join(lines[ref_heading:]))
        base = offset + ref_heading
        for d in defs:
            if d.label in definitions:
                findings.append(Finding("footnote-duplicate", base + d.line + 1, f"footnote [^{d.label}] is defined twice"))
                continue
            definitions[d.label] = Definition(d.label, d.text, base + d.line)
        in_definition = {ref_heading + d.line + k for d in defs for k in range(d.text.count("\n") + 1)}
        stray = [line if i not in in_definition else "" for i, line in enumerate(lines)]
        outside += _blocks(stray, ref_heading + 1, len(lines), offset)
    unused = _assign_footnotes(entries, definitions, findings)
    outside.sort()
    for first_line, block in outside:
        count = block.count("\n") + 1
        findings.append(Finding("text-outside-notes", first_line,
                                f"{count} line{'s' if count > 1 else ''} outside any note (`{block.splitlines()[0][:40]}`); "
                                "kept verbatim in the import report"))
    style = "date" if styles == {"date"} else "category"
    return DigestPost(path=path, meta=meta, title=title, draft=meta.get("draft") is True, style=style,
                      topic=_topic(title), declared_order=declared, entries=entries, definitions=definitions,
                      findings=findings, unused=unused, outside=outside)


def _chunk(lines: list[str], code: list[bool], start: int, end: int) -> str:
    """The note's markdown between start and end, without trailing blanks and separators."""
    stop = end
    while stop > start and not code[stop - 1] and (not lines[stop - 1].strip() or (
            _THEMATIC_BREAK.match(lines[stop - 1]) and stop - 2 >= start and not lines[stop - 2].strip())):
        stop -= 1  # a `---` between notes or before the references separates; it is not content
    return "\n".join(lines[start:stop]).rstrip()


def _closing_break(lines: list[str], code: list[bool], start: int, end: int) -> int | None:
    """The line of a `---` (after a blank line) that ends the last note of a part when only prose
    follows it up to `end`: that prose is the post's closing text, not the note's."""
    for index in range(end - 1, start, -1):
        if not code[index] and _THEMATIC_BREAK.match(lines[index]) and not lines[index - 1].strip():
            return index if any(line.strip() for line in lines[index + 1:end]) else None
    return None


def _read_entry(lines: list[str], code: list[bool], start: int, end: int, offset: int,
                known_emoji: dict[str, str], findings: list[Finding], styles: set[str]) -> Entry:
    label = re.sub(r"[ \t]+#+[ \t]*$", "", _HEADING.match(lines[start]).group(1))  # type: ignore[union-attr]
    file_line = offset + start + 1
    date_heading = _DATE_HEADING.match(split_label(label)[1] or label) or _DATE_HEADING.match(label)
    cursor = start + 1
    date: dt.date | None
    if date_heading:
        styles.add("date")
        date, date_line, written = _real_date(date_heading.groups()), file_line, label.strip()
        category, emoji = None, split_label(label)[0]
    else:
        styles.add("category")
        while cursor < end and not lines[cursor].strip():
            cursor += 1
        date_match = _DATE_LINE.match(lines[cursor]) if cursor < end else None
        if date_match is None:
            date, date_line, written = None, file_line, ""
        else:
            date, date_line, written = _real_date(date_match.groups()), offset + cursor + 1, lines[cursor].strip()
            cursor += 1
        emoji, category = split_label(label)
        emoji = _normalise_label(emoji, category, label, file_line, known_emoji, findings)
    while cursor < end and not lines[cursor].strip():
        cursor += 1
    extra: dict[str, Any] = {}
    if cursor < end and ANCHOR_LINE.match(lines[cursor]):  # an exported post's anchor for links to the note
        cursor += 1
    if cursor < end and _META_COMMENT.match(lines[cursor]):
        try:
            extra = json.loads(_META_COMMENT.match(lines[cursor]).group(1))  # type: ignore[union-attr]
        except json.JSONDecodeError:
            findings.append(Finding("digest-meta", offset + cursor + 1, "unreadable tilbook comment; ignored"))
        cursor += 1
    while cursor < end and not lines[cursor].strip():
        cursor += 1
    chunk = _chunk(lines, code, cursor, end)
    body, local_defs = split_definitions(chunk)
    entry = Entry(heading_line=file_line, date=date or dt.date.min, label=label, category=category, emoji=emoji,
                  body=body, body_line=offset + cursor + 1, refs=[lbl for lbl, _ in footnote_refs(body)],
                  definitions=[Definition(d.label, d.text, d.line + offset + cursor) for d in local_defs],
                  tags=[str(t) for t in extra.get("tags", []) if isinstance(t, str)],
                  title=extra.get("title") if isinstance(extra.get("title"), str) else None,
                  draft=extra.get("draft") if isinstance(extra.get("draft"), bool) else None,
                  date_line=date_line, date_assumed=date is None)
    if date is None:  # the date is filled in by _assume_dates
        findings.append(Finding("date-invalid", date_line,
                                (f"`{written}` is not a real date" if written else
                                 f"the note `##### {label.strip()}` has no `*YYYY.MM.DD*` date line under it")))
    return entry


def _assume_dates(entries: list[Entry], meta: dict[str, Any], findings: list[Finding]) -> None:
    """Undated notes take the date of the nearest dated note above (below, for the first ones)
    and become drafts, so one bad note never sinks a post; the finding says what was assumed."""
    by_line = {f.line: f for f in findings if f.rule == "date-invalid"}
    for index, entry in enumerate(entries):
        if not entry.date_assumed:
            continue
        above = next((e for e in reversed(entries[:index]) if not e.date_assumed), None)
        below = next((e for e in entries[index + 1:] if not e.date_assumed), None)
        source = above or below
        if source is not None:
            entry.date = source.date
            whence = f"the date of the note {'above' if source is above else 'below'} (line {source.heading_line})"
        else:
            entry.date = _post_date(meta)
            whence = "the post's date" if meta.get("date") else "today's date"
        entry.draft = True
        finding = by_line[entry.date_line]
        finding.message += (f"; import keeps it as a draft dated {entry.date.isoformat()}, {whence}: "
                            "set its real date and `draft: false` in the note file")


def _post_date(meta: dict[str, Any]) -> dt.date:
    value = meta.get("date")
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value)[:10])
    except ValueError:
        return dt.date.today()


def _assign_footnotes(entries: list[Entry], definitions: dict[str, Definition],
                      findings: list[Finding]) -> list[Definition]:
    """Give each note exactly the definitions it cites: its own, else the References section's,
    else one written inside another note. Returns the definitions no note cites."""
    local = [{d.label: d for d in entry.definitions} for entry in entries]
    cited: set[tuple[int, str]] = set()
    """(index of the note it was written in, or -1 for References; label) of every cited definition."""
    for index, entry in enumerate(entries):
        assigned: list[Definition] = []
        for label in dict.fromkeys(entry.refs):
            owner = index if label in local[index] else -1 if label in definitions else next(
                (i for i in sorted(range(len(entries)), key=lambda i: abs(i - index)) if label in local[i]), None)
            if owner is None:
                ref_line = next((entry.body_line + i for lbl, i in footnote_refs(entry.body) if lbl == label),
                                entry.body_line)
                findings.append(Finding("footnote-undefined", ref_line,
                                        f"footnote reference [^{label}] has no definition; add `[^{label}]: …`"))
                continue
            cited.add((owner, label))
            assigned.append(local[owner][label] if owner >= 0 else definitions[label])
        entry.definitions = assigned
    unused = [d for label, d in definitions.items() if (-1, label) not in cited]
    unused += [d for i, defs in enumerate(local) for label, d in defs.items() if (i, label) not in cited]
    unused.sort(key=lambda d: d.line)
    for d in unused:
        findings.append(Finding("footnote-unused", d.line + 1,
                                f"footnote [^{d.label}] is defined but no note references it; "
                                "reference it with [^" + d.label + "] or delete it"))
    return unused


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
