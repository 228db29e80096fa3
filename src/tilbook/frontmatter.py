"""Reading a note file: front matter with a strict safe YAML loader, then the body.

Strict means: no tags that construct objects, no anchors or aliases (no YAML bombs), no
duplicate keys, YAML 1.2 booleans only (`yes` is a string, not true), and every field typed.
Errors name the file and the line.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from .errors import InputError

KNOWN_FIELDS = ("date", "category", "tags", "title", "draft", "updated", "slug")
_BOOL = re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$")
_FENCE = re.compile(r"^---[ \t]*$")


class _StrictConstructor(yaml.constructor.SafeConstructor):
    """Safe construction without duplicate keys."""

    def construct_mapping(self, node: Any, deep: bool = False) -> Any:
        seen: set[Any] = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=True)
            if key in seen:
                raise yaml.MarkedYAMLError("while reading front matter", None,
                                           f"duplicate key `{key}`", key_node.start_mark)
            seen.add(key)
        return super().construct_mapping(node, deep=deep)


class _StrictResolver(yaml.resolver.Resolver):
    """YAML 1.2 core booleans only: `yes`, `no`, `on`, `off` stay strings."""


_StrictResolver.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:bool"]
    for first, resolvers in yaml.resolver.Resolver.yaml_implicit_resolvers.items()
}
_StrictResolver.add_implicit_resolver("tag:yaml.org,2002:bool", _BOOL, list("tTfF"))

if getattr(yaml, "__with_libyaml__", False):  # libyaml parses ~10x faster; same rules on top
    class _StrictLoader(yaml.cyaml.CParser, _StrictConstructor, _StrictResolver):  # type: ignore[misc, name-defined]
        def __init__(self, stream: str) -> None:
            yaml.cyaml.CParser.__init__(self, stream)  # type: ignore[attr-defined]
            _StrictConstructor.__init__(self)
            _StrictResolver.__init__(self)
    _EVENT_PARSER: Any = yaml.cyaml.CSafeLoader
else:  # pragma: no cover - PyYAML without libyaml
    class _StrictLoader(yaml.reader.Reader, yaml.scanner.Scanner, yaml.parser.Parser,  # type: ignore[no-redef]
                        yaml.composer.Composer, _StrictConstructor, _StrictResolver):
        def __init__(self, stream: str) -> None:
            yaml.reader.Reader.__init__(self, stream)
            yaml.scanner.Scanner.__init__(self)
            yaml.parser.Parser.__init__(self)
            yaml.composer.Composer.__init__(self)
            _StrictConstructor.__init__(self)
            _StrictResolver.__init__(self)
    _EVENT_PARSER = yaml.SafeLoader


def _refuse_aliases(front_text: str) -> None:
    """Anchors and aliases are how YAML bombs grow: refuse them before anything is built."""
    if "&" not in front_text and "*" not in front_text:
        return
    for event in yaml.parse(front_text, Loader=_EVENT_PARSER):
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
            raise yaml.MarkedYAMLError("while reading front matter", None,
                                       "anchors and aliases (*name) are not allowed", event.start_mark)  # type: ignore[arg-type]


@dataclass(frozen=True, slots=True)
class RawNote:
    """A note file split into its parts; fields not yet validated."""

    meta: dict[str, Any]
    body: str
    body_line: int
    front_text: str


def decode(path: Path, data: bytes) -> str:
    """UTF-8 text without BOM, LF line endings (a BOM or CRLF changes nothing downstream)."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise InputError(path, line, "is not UTF-8 text", hint="save the file as UTF-8") from None
    return text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")


def split_front_matter(path: Path, text: str) -> RawNote:
    """Split `---` YAML `---` from the body and parse the YAML strictly."""
    lines = text.split("\n")
    if not lines or not _FENCE.match(lines[0]):
        raise InputError(path, 1, "no front matter", hint="start the file with a `---` line, the fields, and `---`")
    for index in range(1, len(lines)):
        if _FENCE.match(lines[index]):
            break
    else:
        raise InputError(path, 1, "front matter is not closed", hint="add a `---` line after the fields")
    front_text = "\n".join(lines[1:index])
    body_line = index + 2
    body = "\n".join(lines[index + 1:])
    try:
        _refuse_aliases(front_text)
        meta = yaml.load(front_text, Loader=_StrictLoader) if front_text.strip() else {}
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = min(mark.line + 2, max(index, 2)) if mark else 1  # errors at the end point at the last field line
        what = exc.problem or str(exc)
        if "could not determine a constructor" in what:
            what = "a YAML tag that would construct an object (" + what.split("tag ")[-1].strip("'") + ")"
            hint = "front matter holds plain values only; remove the `!!` tag"
        else:
            hint = "fix the YAML syntax"
        raise InputError(path, line, f"invalid front matter: {what}", hint=hint) from None
    except yaml.YAMLError as exc:
        raise InputError(path, 2, f"invalid front matter: {exc}", hint="fix the YAML syntax") from None
    except ValueError as exc:  # e.g. 2021-02-30 matched the timestamp pattern but is no date
        raise InputError(path, field_line(front_text, "date") or 2, f"invalid date: {exc}",
                         hint="use a real calendar date, YYYY-MM-DD") from None
    if not isinstance(meta, dict):
        raise InputError(path, 2, "front matter is not a set of `key: value` fields",
                         hint="write one `field: value` per line")
    return RawNote(meta=meta, body=body, body_line=body_line, front_text=front_text)


def field_line(front_text: str, key: str) -> int | None:
    """File line of `key:` in the front matter (front matter starts on line 2)."""
    match = re.search(rf"^{re.escape(key)}\s*:", front_text, re.M)
    return front_text.count("\n", 0, match.start()) + 2 if match else None


def parse_date(value: Any, path: Path, line: int | None, key: str) -> dt.date:
    """A YAML date, or a `YYYY-MM-DD` / `YYYY.MM.DD` string; anything else is an InputError."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        match = re.fullmatch(r"\s*(\d{4})[-./](\d{1,2})[-./](\d{1,2})(?:[T ][0-9:.+\-Z ]*)?\s*", value)
        if match:
            try:
                return dt.date(*map(int, match.groups()))
            except ValueError as exc:
                raise InputError(path, line, f"`{key}: {value}` is not a real date ({exc})",
                                 hint="use a real calendar date, YYYY-MM-DD") from None
    raise InputError(path, line, f"`{key}` is {value!r}, not a date", hint="write it as YYYY-MM-DD")


def validate_fields(path: Path, raw: RawNote) -> dict[str, Any]:
    """Typed fields of a note; a mistyped field is an InputError naming the line."""
    meta, front = raw.meta, raw.front_text

    def line(key: str) -> int:
        return field_line(front, key) or 2

    for key in meta:
        if not isinstance(key, str):
            raise InputError(path, 2, f"front matter key {key!r} is not text", hint="use field names such as `date`")
    fields: dict[str, Any] = {}
    if "date" not in meta:
        raise InputError(path, 2, "no `date` field", hint="add `date: YYYY-MM-DD`")
    fields["date"] = parse_date(meta["date"], path, line("date"), "date")
    if meta.get("updated") is not None:
        fields["updated"] = parse_date(meta["updated"], path, line("updated"), "updated")
    category = meta.get("category")
    if not isinstance(category, str) or not category.strip():
        raise InputError(path, line("category") if "category" in meta else 2,
                         "no `category`" if category is None else f"`category` is {category!r}, not text",
                         hint="add `category: <name>` (see [categories] in tilbook.toml)")
    fields["category"] = category
    draft = meta.get("draft", False)
    if not isinstance(draft, bool):
        raise InputError(path, line("draft"), f"`draft` is {draft!r}, not a boolean",
                         hint="write `draft: true` or `draft: false` without quotes")
    fields["draft"] = draft
    tags = meta.get("tags") or []
    if isinstance(tags, str):
        tags = [tags]
    if not isinstance(tags, list) or not all(isinstance(t, str) and t.strip() for t in tags):
        raise InputError(path, line("tags"), f"`tags` is {tags!r}, not a list of words",
                         hint="write `tags: [python, git]`")
    fields["tags"] = tags
    for key in ("title", "slug"):
        value = meta.get(key)
        if value is not None and not isinstance(value, (str, int, float)) or isinstance(value, bool):
            raise InputError(path, line(key), f"`{key}` is {value!r}, not text", hint=f"quote the {key}")
        if value is not None:
            fields[key] = str(value)
    return fields


def unknown_fields(raw: RawNote) -> list[tuple[str, int]]:
    """Fields tilbook does not know, with their lines (reported by `check`, not fatal)."""
    return [(key, field_line(raw.front_text, key) or 2) for key in raw.meta if key not in KNOWN_FIELDS]
