"""`tilbook.toml`: read and validated as a whole, every problem reported at once.

The file stays the user's: tilbook only ever appends category lines to it (keeping comments),
it never rewrites it from a parsed copy.
"""
from __future__ import annotations

import json
import re
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from .errors import ConfigError
from .fsutil import atomic_write
from .paths import CONFIG_NAME as CONFIG_NAME  # re-exported: where the settings live
from .slugs import nfc

SEVERITIES = ("error", "warning", "info", "off")


def _setting(default: Any, toml: str, comment: str = "", *, choices: tuple[str, ...] = ()) -> Any:
    """A scalar setting: its default, where it lives in tilbook.toml, what the new file says of it."""
    return field(default=default, metadata={"toml": toml, "comment": comment, "choices": choices})


def _table(toml: str, comment: str, entry: Callable[[str, Any], str | None]) -> Any:
    """A table of name → value; `entry` returns what is wrong with one entry, or None."""
    return field(default_factory=dict, metadata={"toml": toml, "comment": comment, "entry": entry})


def _emoji_entry(name: str, value: Any) -> str | None:
    return None if isinstance(value, str) else f"category `{name}` must map to an emoji string"


def _alias_entry(name: str, value: Any) -> str | None:
    ok = isinstance(value, str) and value.strip()
    return None if ok else f"category alias `{name}` must map to a category name"


def _macro_entry(name: str, value: Any) -> str | None:
    ok = isinstance(value, str) and re.fullmatch(r"[A-Za-z]+", name.lstrip("\\"))
    return None if ok else f"math macro `{name}` must be a command name mapped to LaTeX text"


def _check_entry(name: str, value: Any) -> str | None:
    return None if value in SEVERITIES else f"check `{name}` = {value!r}; use one of {', '.join(SEVERITIES)}"


@dataclass(frozen=True)
class Config:
    """Every setting of tilbook.toml, each written once: its type, default, place in the file
    and comment (the new file of `tilbook init` is made from these fields)."""

    title: str = _setting("Today I Learned", "title", "tilbook notebook settings")
    author: str = _setting("", "author")
    language: str = _setting("ko", "language")
    base_url: str = _setting("https://example.org/", "base_url")
    description: str = _setting("", "description")
    order: str = _setting("asc", "digest.order", 'digests list the oldest note first ("desc": newest first)',
                          choices=("asc", "desc"))
    recent: int = _setting(20, "site.recent", "notes on the home page")
    categories: dict[str, str] = _table("categories", "name = emoji, in the order digests show them", _emoji_entry)
    """Category name → emoji, in digest order."""
    category_aliases: dict[str, str] = _table(
        "category_aliases", 'another label = a category above, e.g. "Computer Science & Engineering" = "CS"',
        _alias_entry)
    """Another label → the category it stands for (import, check and build read notes through it)."""
    macros: dict[str, str] = _table("math.macros", 'e.g. ohm = "\\\\Omega"', _macro_entry)
    allow_html: bool = _setting(False, "markdown.allow_html", "raw HTML in notes is escaped unless this is true")
    review_new_per_day: int = _setting(10, "review.new_per_day", "notes `tilbook review` introduces a day")
    review_on_site: bool = _setting(False, "review.show_on_site", "mark review days on the home page calendar")
    checks: dict[str, str] = _table("checks", 'rule = "error" | "warning" | "info" | "off"', _check_entry)

    def canonical_category(self, name: str) -> str:
        return self.category_aliases.get(name, name)

    def emoji(self, category: str) -> str:
        return self.categories.get(category, "")

    def fingerprint(self) -> str:
        """Stable text of every setting, part of every cache key."""
        return json.dumps(self.__dict__, sort_keys=True, ensure_ascii=False)


SETTINGS = tuple(fields(Config))


def default_config() -> str:
    """The tilbook.toml `init` writes: every setting at its default, with its comment (made when
    asked, not at import: other commands only read a config)."""
    lines: list[str] = []
    table = ""
    import tomli_w  # writing a config only: reading one (every command) does not need it

    for setting in SETTINGS:
        path, comment = setting.metadata["toml"], setting.metadata["comment"]
        if "entry" in setting.metadata:
            lines += ["", f"[{path}]".ljust(25) + f"# {comment}"]
            table = path
            continue
        head, _, key = path.rpartition(".")
        if head != table:
            lines += ["", f"[{head}]"]
            table = head
        line = f"{key} = {tomli_w.dumps({'v': setting.default}).split(' = ', 1)[1].strip()}"
        if path == "title":
            lines.insert(0, f"# {comment}")
        elif comment:
            line = line.ljust(25) + f"# {comment}"
        lines.append(line)
    return "\n".join(lines) + "\n"


def _line_of(text: str, key: str) -> int | None:
    pattern = re.compile(rf'^\s*"?{re.escape(key)}"?\s*=', re.M)
    match = pattern.search(text)
    return text.count("\n", 0, match.start()) + 1 if match else None


def _unknown_keys(data: dict[str, Any], text: str) -> list[tuple[int | None, str]]:
    """Keys no setting reads (a typo would otherwise be ignored without a word)."""
    known = {s.metadata["toml"] for s in SETTINGS}
    tables = {path.rpartition(".")[0] for path in known if "." in path} | {
        s.metadata["toml"] for s in SETTINGS if "entry" in s.metadata}
    problems: list[tuple[int | None, str]] = []

    def walk(table: dict[str, Any], prefix: str) -> None:
        for key, value in table.items():
            path = f"{prefix}{key}"
            if path in known:
                continue
            if path in tables and isinstance(value, dict):
                walk(value, path + ".")
                continue
            if any(t.startswith(path + ".") for t in tables) and isinstance(value, dict):
                walk(value, path + ".")
                continue
            import difflib  # an unknown setting only

            close = difflib.get_close_matches(path, sorted(known | tables), n=1)
            hint = f" (did you mean `{close[0]}`?)" if close else ""
            if isinstance(value, dict):
                problems.append((_table_line(text, path), f"unknown table `[{path}]`{hint}"))
            else:
                problems.append((_line_of(text, key), f"unknown setting `{path}`{hint}"))

    walk(data, "")
    return problems


def _table_line(text: str, path: str) -> int | None:
    match = re.search(rf"^\s*\[{re.escape(path)}\]", text, re.M)
    return text.count("\n", 0, match.start()) + 1 if match else None


def _lookup(data: dict[str, Any], path: str) -> Any:
    for part in path.split("."):
        if not isinstance(data, dict) or part not in data:
            return None
        data = data[part]
    return data


def is_written(path: Path, setting: str) -> bool:
    """Whether tilbook.toml sets `setting` (its TOML path, e.g. "base_url") itself, rather than
    leaving it to the default. For checks that must not take the shipped default for a choice."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return False
    return _lookup(data, setting) is not None


def _kind_name(kind: type) -> str:
    return {str: "a string", int: "an integer", bool: "true or false", dict: "a table"}[kind]


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
    problems = _unknown_keys(data, text)
    values: dict[str, Any] = {}
    for setting in SETTINGS:
        toml_path = setting.metadata["toml"]
        raw = _lookup(data, toml_path)
        if raw is None:
            continue
        key = toml_path.rpartition(".")[2]
        line = _line_of(text, key) or _table_line(text, toml_path)
        if "entry" in setting.metadata:
            if not isinstance(raw, dict):
                problems.append((line, f"`{toml_path}` must be a table"))
                continue
            table: dict[str, str] = {}
            for name, value in raw.items():
                problem = setting.metadata["entry"](name, value)
                if problem:
                    problems.append((_line_of(text, name), problem))
                else:
                    table[nfc(" ".join(name.split())).lstrip("\\")] = nfc(value.strip()) if toml_path != "math.macros" else value
            values[setting.name] = table
            continue
        kind = type(setting.default)
        if not isinstance(raw, kind) or (kind is int and isinstance(raw, bool)):
            problems.append((line, f"`{toml_path}` must be {_kind_name(kind)}, not {raw!r}"))
        elif setting.metadata["choices"] and raw not in setting.metadata["choices"]:
            choices = " or ".join(f'"{c}"' for c in setting.metadata["choices"])
            problems.append((line, f'`{toml_path}` is "{raw}"; use {choices}'))
        else:
            values[setting.name] = raw
    config = Config(**values)
    if not re.match(r"https?://[^/\s]+", config.base_url):
        problems.append((_line_of(text, "base_url"), f"`base_url` {config.base_url!r} is not an http(s) URL"))
    if problems:
        problems.sort(key=lambda p: p[0] or 0)
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
