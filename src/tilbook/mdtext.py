"""Small, code-aware text facts about markdown that tilbook's own logic needs.

Footnote labels, definitions and category labels are found only outside fenced code blocks and
inline code spans, so an author's code is never reported on and never rewritten.
"""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass

FOOTNOTE_REF = re.compile(r"\[\^([^\]\s]+)\]")
"""`[^label]` anywhere but at the start of a line is a reference, whatever follows it (`[^13]: …`
inside a list item is a reference followed by a colon)."""
FOOTNOTE_DEF = re.compile(r"^ {0,3}\[\^([^\]\s]+)\]:[ \t]?")
"""A definition is `[^label]:` at the start of a line (up to three spaces in), markdown-it's rule."""
MALFORMED_DEF = re.compile(r"^ {0,3}\[\^(\s+\S[^\]]*?|\S[^\]]*?\s+)\]:")
FENCE_OPEN = re.compile(r"^ {0,3}(`{3,}|~{3,})")
CODE_SPAN = re.compile(r"(`+)(?!`)(.+?)(?<!`)\1(?!`)", re.S)

ZWJ = "\u200d"
VS16 = "\ufe0f"
_PERSON_BASES = {"\U0001F468", "\U0001F469", "\U0001F9D1"}
_SKIN_TONES = {chr(c) for c in range(0x1F3FB, 0x1F400)}


def fenced_lines(lines: list[str]) -> list[bool]:
    """For each line, whether it is part of a fenced code block (fence lines included)."""
    inside: list[bool] = []
    fence: str | None = None
    for line in lines:
        if fence is None:
            match = FENCE_OPEN.match(line)
            if match:
                fence = match.group(1)
                inside.append(True)
                continue
            inside.append(False)
        else:
            inside.append(True)
            stripped = line.strip()
            if stripped.startswith(fence[0] * len(fence)) and set(stripped) == {fence[0]}:
                fence = None
    return inside


_BACKTICKS = re.compile(r"`+")


def without_code_spans(line: str) -> str:
    """The line with inline code spans blanked out (same length, so offsets still hold).

    CommonMark's rule in one pass: a backtick run opens a span closed by the next run of the
    same length; a run with no closer is literal text. Linear, so 2,000 runs of growing length
    (a pathological case) cost no more than their length."""
    if "`" not in line:
        return line
    runs = [(m.start(), m.end()) for m in _BACKTICKS.finditer(line)]
    closer: list[int | None] = [None] * len(runs)
    last_of_length: dict[int, int] = {}
    for index in range(len(runs) - 1, -1, -1):
        length = runs[index][1] - runs[index][0]
        closer[index] = last_of_length.get(length)
        last_of_length[length] = index
    pieces: list[str] = []
    done = 0
    index = 0
    while index < len(runs):
        match = closer[index]
        if match is None:
            index += 1
            continue
        start, end = runs[index][0], runs[match][1]
        pieces += [line[done:start], " " * (end - start)]
        done = end
        index = match + 1
    return "".join(pieces) + line[done:]


@dataclass(frozen=True, slots=True)
class Definition:
    label: str
    text: str
    """The whole definition as written (label line and continuation lines)."""
    line: int
    """0-based index of the definition's first line in the text it came from."""


def split_definitions(text: str) -> tuple[str, list[Definition]]:
    """Separate footnote definitions (outside code) from the rest of the text."""
    lines = text.split("\n")
    code = fenced_lines(lines)
    kept: list[str] = []
    defs: list[Definition] = []
    index = 0
    while index < len(lines):
        line = lines[index]
        match = None if code[index] else FOOTNOTE_DEF.match(line)
        if match is None:
            kept.append(line)
            index += 1
            continue
        start = index
        index += 1
        while index < len(lines) and not code[index] and lines[index].startswith(("    ", "\t")):
            index += 1
        defs.append(Definition(match.group(1), "\n".join(lines[start:index]).rstrip(), start))
    return "\n".join(kept).strip("\n"), defs


def prose_lines(lines: list[str]) -> Iterator[tuple[int, str, str]]:
    """(index, line, line with code spans blanked) of every line outside fenced code."""
    for index, (line, in_code) in enumerate(zip(lines, fenced_lines(lines))):
        if not in_code:
            yield index, line, without_code_spans(line)


def footnote_refs(text: str) -> list[tuple[str, int]]:
    """(label, 0-based line) of every footnote reference outside code, in order."""
    found: list[tuple[str, int]] = []
    for index, _, visible in prose_lines(text.split("\n")):
        if FOOTNOTE_DEF.match(visible):
            visible = visible[FOOTNOTE_DEF.match(visible).end():]  # type: ignore[union-attr]
        found += [(m.group(1), index) for m in FOOTNOTE_REF.finditer(visible)]
    return found


@dataclass(frozen=True, slots=True)
class FootnoteProblem:
    rule: str
    """`footnote-malformed`, `footnote-undefined` or `footnote-unused`: the ids `check` uses."""
    line: int
    """0-based line in the text."""
    message: str


def footnote_problems(text: str) -> list[FootnoteProblem]:
    """Footnote problems of one note's markdown, as `check`, `build` and `import` report them."""
    lines = text.split("\n")
    code = fenced_lines(lines)
    out: list[FootnoteProblem] = []
    for index, line in enumerate(lines):
        match = None if code[index] else MALFORMED_DEF.match(line)
        if match:
            label = match.group(1).strip()
            out.append(FootnoteProblem("footnote-malformed", index,
                                       f"`{match.group(0).strip()}` is not a footnote definition (space inside the label); "
                                       f"write `[^{label}]:` (--fix does this)"))
    _, definitions = split_definitions(text)
    defined = {d.label for d in definitions}
    references = footnote_refs(text)
    used = {label for label, _ in references}
    for label, index in references:
        if label not in defined:
            out.append(FootnoteProblem("footnote-undefined", index,
                                       f"footnote [^{label}] has no definition; add `[^{label}]: …` at the end of the note"))
    for definition in definitions:
        if definition.label not in used:
            out.append(FootnoteProblem("footnote-unused", definition.line,
                                       f"footnote [^{definition.label}] is defined but never referenced; "
                                       f"reference it with [^{definition.label}] or delete it"))
    return out


def relabel_footnotes(text: str, mapping: dict[str, str]) -> str:
    """Rename footnote labels (references and definitions) outside code, per `mapping`."""
    lines = text.split("\n")
    code = fenced_lines(lines)
    out: list[str] = []
    for index, line in enumerate(lines):
        if code[index]:
            out.append(line)
            continue
        masked = without_code_spans(line)
        pieces: list[str] = []
        last = 0
        for match in re.finditer(r"\[\^([^\]\s]+)\]", masked):
            label = match.group(1)
            if label in mapping:
                pieces.append(line[last:match.start()] + f"[^{mapping[label]}]")
                last = match.end()
        out.append("".join(pieces) + line[last:])
    return "\n".join(out)


def repair_emoji(emoji: str) -> str:
    """Rejoin a profession emoji that lost its zero-width joiner (👨💻 → 👨‍💻).

    A person base (man, woman, person, optionally skin-toned) directly followed by another
    pictograph is always meant as one ZWJ sequence; nothing else is changed.
    """
    chars = list(emoji)
    out: list[str] = []
    for index, char in enumerate(chars):
        out.append(char)
        nxt = chars[index + 1] if index + 1 < len(chars) else ""
        base = char in _PERSON_BASES or (char in _SKIN_TONES and index and chars[index - 1] in _PERSON_BASES)
        if base and nxt and nxt not in (ZWJ, VS16) and nxt not in _SKIN_TONES and is_pictograph(nxt):
            out.append(ZWJ)
    return "".join(out)


def is_pictograph(char: str) -> bool:
    return unicodedata.category(char) == "So" or ord(char) >= 0x1F000


def split_label(label: str) -> tuple[str, str]:
    """`"🧩  ML library "` → (`"🧩"`, `"ML library"`): leading emoji run, then the name, spaces collapsed."""
    text = unicodedata.normalize("NFC", label).strip()
    index = 0
    while index < len(text) and (is_pictograph(text[index]) or text[index] in (ZWJ, VS16)
                                 or text[index] in _SKIN_TONES or text[index] == "\u20e3"):
        index += 1
    return text[:index], " ".join(text[index:].split())


_IMAGE = re.compile(r"!\[(?:[^\]\\]|\\.)*\]\(\s*(<[^>\n]+>|[^)\s]+)(?:\s+(?:\"[^\"]*\"|'[^']*'))?\s*\)")
_IMG_TAG = re.compile(r"<img\b[^>]*?\bsrc=[\"']([^\"']+)[\"']", re.I)
_URL_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")


def local_images(text: str) -> list[tuple[str, int]]:
    """(path as written, 0-based line) of every image with a relative path, outside code:
    `![alt](../img/x.png "title")` and `<img src="…">`."""
    found: list[tuple[str, int]] = []
    for index, line, visible in prose_lines(text.split("\n")):
        for match in (*_IMAGE.finditer(visible), *_IMG_TAG.finditer(visible)):
            src = line[match.start(1):match.end(1)].strip("<>")
            if src and not _URL_SCHEME.match(src) and not src.startswith(("/", "#")):
                found.append((src, index))
    return found


def replace_image_paths(text: str, new_paths: dict[str, str]) -> str:
    """The text with image paths (as `local_images` found them) replaced, outside code."""
    if not new_paths:
        return text
    lines = text.split("\n")
    for index, line, visible in prose_lines(lines):
        spans = sorted((m.start(1), m.end(1)) for m in (*_IMAGE.finditer(visible), *_IMG_TAG.finditer(visible)))
        for start, end in reversed(spans):
            written = line[start:end]
            bare = written.strip("<>")
            if bare in new_paths:
                line = line[:start] + written.replace(bare, new_paths[bare]) + line[end:]
        lines[index] = line
    return "\n".join(lines)
