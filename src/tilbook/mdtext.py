"""Small, code-aware text facts about markdown that tilbook's own logic needs.

Footnote labels, definitions and category labels are found only outside fenced code blocks and
inline code spans, so an author's code is never reported on and never rewritten.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

FOOTNOTE_REF = re.compile(r"\[\^([^\]\s]+)\](?!:)")
FOOTNOTE_DEF = re.compile(r"^\[\^([^\]\s]+)\]:[ \t]?")
MALFORMED_DEF = re.compile(r"^\[\^(\s+\S[^\]]*?|\S[^\]]*?\s+)\]:")
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


def without_code_spans(line: str) -> str:
    """The line with inline code spans blanked out (same length, so offsets still hold)."""
    return CODE_SPAN.sub(lambda m: " " * len(m.group(0)), line)


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


def footnote_refs(text: str) -> list[tuple[str, int]]:
    """(label, 0-based line) of every footnote reference outside code, in order."""
    lines = text.split("\n")
    code = fenced_lines(lines)
    found: list[tuple[str, int]] = []
    for index, line in enumerate(lines):
        if code[index]:
            continue
        visible = without_code_spans(line)
        if FOOTNOTE_DEF.match(visible):
            visible = visible[FOOTNOTE_DEF.match(visible).end():]  # type: ignore[union-attr]
        found += [(m.group(1), index) for m in FOOTNOTE_REF.finditer(visible)]
    return found


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
