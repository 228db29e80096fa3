"""`tilbook.toml`: read and validated as a whole, every problem reported at once.

The file stays the user's: tilbook only ever appends category lines to it (keeping comments),
it never rewrites it from a parsed copy.
"""
from __future__ import annotations

import json
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import ConfigError
from .fsutil import atomic_write
from .slugs import nfc

CONFIG_NAME = "tilbook.toml"
SEVERITIES = ("error", "warning", "info", "off")

DEFAULT_CONFIG = """\
# tilbook notebook settings
title = "Today I Learned"
author = ""
language = "ko"
base_url = "https://example.org/"
description = ""

[digest]
order = "asc"            # digests list the oldest note first ("desc": newest first)

[site]
recent = 20              # notes on the home page

[categories]             # name = emoji, in the order digests show them

[category_aliases]       # another label = a category above, e.g. "Computer Science & Engineering" = "CS"

[math.macros]            # e.g. ohm = "\\\\Omega"

[markdown]
allow_html = false       # raw HTML in notes is escaped unless this is true

[checks]                 # rule = "error" | "warning" | "info" | "off"
"""


@dataclass(frozen=True)
class Config:
    title: str = "Today I Learned"
    author: str = ""
    language: str = "ko"
    base_url: str = "https://example.org/"
    description: str = ""
    order: str = "asc"
    recent: int = 20
    categories: dict[str, str] = field(default_factory=dict)
    """Category name → emoji, in digest order."""
    category_aliases: dict[str, str] = field(default_factory=dict)
    """Another label → the category it stands for (import, check and build read notes through it)."""
    macros: dict[str, str] = field(default_factory=dict)
    allow_html: bool = False
    checks: dict[str, str] = field(default_factory=dict)

    def canonical_category(self, name: str) -> str:
        return self.category_aliases.get(name, name)

    def emoji(self, category: str) -> str:
        return self.categories.get(category, "")

    def fingerprint(self) -> str:
        """Stable text of every setting, part of every cache key."""
        return json.dumps(self.__dict__, sort_keys=True, ensure_ascii=False)


def _line_of(text: str, key: str) -> int | None:
    pattern = re.compile(rf'^\s*"?{re.escape(key)}"?\s*=', re.M)
    match = pattern.search(text)
    return text.count("\n", 0, match.start()) + 1 if match else None


def load_config(path: Path) -> Config:
    """Read and validate tilbook.toml; one ConfigError listing every problem."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise ConfigError(path, None, "no tilbook.toml", hint="run `tilbook init` to create a notebook") from None
    except UnicodeDecodeError:
        raise ConfigError(path, None, "is not UTF-8 text", hint="save it as UTF-8") from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        match = re.search(r"line (\d+)", str(exc))
        raise ConfigError(path, int(match.group(1)) if match else None, f"invalid TOML: {exc}",
                          hint="fix the syntax") from None
    problems: list[tuple[int | None, str]] = []

    def want(value: Any, kind: type | tuple[type, ...], key: str, default: Any) -> Any:
        if value is None:
            return default
        if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
            problems.append((_line_of(text, key.split(".")[-1]), f"`{key}` must be {getattr(kind, '__name__', kind)}"))
            return default
        return value

    digest = want(data.get("digest"), dict, "digest", {})
    site = want(data.get("site"), dict, "site", {})
    math = want(data.get("math"), dict, "math", {})
    markdown = want(data.get("markdown"), dict, "markdown", {})
    order = want(digest.get("order"), str, "digest.order", "asc")
    if order not in ("asc", "desc"):
        problems.append((_line_of(text, "order"), f'`digest.order` is "{order}"; use "asc" or "desc"'))
        order = "asc"
    categories: dict[str, str] = {}
    for name, emoji in want(data.get("categories"), dict, "categories", {}).items():
        if not isinstance(emoji, str):
            problems.append((_line_of(text, name), f"category `{name}` must map to an emoji string"))
            continue
        categories[nfc(" ".join(name.split()))] = nfc(emoji.strip())
    aliases: dict[str, str] = {}
    for name, target in want(data.get("category_aliases"), dict, "category_aliases", {}).items():
        if not isinstance(target, str) or not target.strip():
            problems.append((_line_of(text, name), f"category alias `{name}` must map to a category name"))
            continue
        aliases[nfc(" ".join(name.split()))] = nfc(" ".join(target.split()))
    macros: dict[str, str] = {}
    for name, value in want(math.get("macros"), dict, "math.macros", {}).items():
        if not isinstance(value, str) or not re.fullmatch(r"[A-Za-z]+", name.lstrip("\\")):
            problems.append((_line_of(text, name), f"math macro `{name}` must be a command name mapped to LaTeX text"))
            continue
        macros[name.lstrip("\\")] = value
    checks: dict[str, str] = {}
    for rule, level in want(data.get("checks"), dict, "checks", {}).items():
        if level not in SEVERITIES:
            problems.append((_line_of(text, rule), f"check `{rule}` = {level!r}; use one of {', '.join(SEVERITIES)}"))
            continue
        checks[rule] = level
    config = Config(
        title=want(data.get("title"), str, "title", "Today I Learned"),
        author=want(data.get("author"), str, "author", ""),
        language=want(data.get("language"), str, "language", "ko"),
        base_url=want(data.get("base_url"), str, "base_url", "https://example.org/"),
        description=want(data.get("description"), str, "description", ""),
        order=order,
        recent=want(site.get("recent"), int, "site.recent", 20),
        categories=categories,
        category_aliases=aliases,
        macros=macros,
        allow_html=want(markdown.get("allow_html"), bool, "markdown.allow_html", False),
        checks=checks,
    )
    if not re.match(r"https?://[^/\s]+", config.base_url):
        problems.append((_line_of(text, "base_url"), f"`base_url` {config.base_url!r} is not an http(s) URL"))
    if problems:
        first_line = problems[0][0]
        detail = "; ".join(f"line {line}: {msg}" if line else msg for line, msg in problems)
        raise ConfigError(path, first_line, detail, hint="fix tilbook.toml")
    return config


def _toml_key(name: str) -> str:
    return json.dumps(name, ensure_ascii=False)


def add_categories(path: Path, new: dict[str, str]) -> None:
    """Append `name = "emoji"` lines to the [categories] table, keeping the rest of the file."""
    if not new:
        return
    text = path.read_text(encoding="utf-8")
    lines = [f"{_toml_key(name)} = {json.dumps(emoji, ensure_ascii=False)}" for name, emoji in new.items()]
    match = re.search(r"^\[categories\][^\n]*\n", text, re.M)
    if match is None:
        text = text.rstrip("\n") + "\n\n[categories]\n" + "\n".join(lines) + "\n"
    else:
        following = re.compile(r"^\s*\[", re.M).search(text, match.end())
        end = following.start() if following else len(text)
        section = text[match.end():end].rstrip("\n")
        block = (section + "\n" if section else "") + "\n".join(lines) + "\n"
        text = text[:match.end()] + block + ("\n" if following else "") + text[end:].lstrip("\n")
    atomic_write(path, text)
    load_config(path)  # the result must still be valid
