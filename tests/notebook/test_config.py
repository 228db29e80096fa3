"""tilbook.toml from one schema: defaults, bad types, unknown keys, all problems at once."""
from __future__ import annotations

from pathlib import Path

import pytest

from tilbook.config import Config, default_config, load_config
from tilbook.errors import ConfigError


def load(tmp_path: Path, text: str) -> Config:
    path = tmp_path / "tilbook.toml"
    path.write_text(text, encoding="utf-8")
    return load_config(path)


def problem(tmp_path: Path, text: str) -> str:
    with pytest.raises(ConfigError) as caught:
        load(tmp_path, text)
    return str(caught.value)


def test_the_new_file_and_an_empty_file_give_the_defaults(tmp_path: Path) -> None:
    assert load(tmp_path, default_config()) == Config() == load(tmp_path, "")
    assert (Config().title, Config().order, Config().recent, Config().allow_html) == ("Today I Learned", "asc", 20, False)


def test_settings_are_read_where_the_file_puts_them(tmp_path: Path) -> None:
    config = load(tmp_path, 'title = "배운 것"\n[digest]\norder = "desc"\n[site]\nrecent = 5\n'
                            '[categories]\n"ML  library" = " 🧩 "\n[category_aliases]\n"Computer Science" = "CS"\n'
                            '[math.macros]\nR = "\\\\mathbb{R}"\n[markdown]\nallow_html = true\n[checks]\ndate-order = "off"\n')
    assert (config.title, config.order, config.recent, config.allow_html) == ("배운 것", "desc", 5, True)
    assert config.categories == {"ML library": "🧩"}
    assert config.category_aliases == {"Computer Science": "CS"}
    assert config.macros == {"R": "\\mathbb{R}"}
    assert config.checks == {"date-order": "off"}


@pytest.mark.parametrize("text, message", [
    ('[site]\nrecent = "20"\n', "line 2: `site.recent` must be an integer, not '20'"),
    ("[site]\nrecent = true\n", "line 2: `site.recent` must be an integer, not True"),
    ('[markdown]\nallow_html = "yes"\n', "line 2: `markdown.allow_html` must be true or false, not 'yes'"),
    ("title = 3\n", "line 1: `title` must be a string, not 3"),
    ('[digest]\norder = "up"\n', 'line 2: `digest.order` is "up"; use "asc" or "desc"'),
    ('[checks]\ndate-order = "loud"\n', "line 2: check `date-order` = 'loud'; use one of error, warning, info, off"),
    ('[categories]\nPython = 1\n', "line 2: category `Python` must map to an emoji string"),
    ('[math.macros]\n"not a name" = "x"\n', "line 2: math macro `not a name` must be a command name"),
    ('categories = "Python"\n', "line 1: `categories` must be a table"),
])
def test_a_bad_type_names_the_line_and_the_setting(tmp_path: Path, text: str, message: str) -> None:
    assert message in problem(tmp_path, text)


@pytest.mark.parametrize("text, message", [
    ('[digest]\nordr = "asc"\n', "line 2: unknown setting `digest.ordr` (did you mean `digest.order`?)"),
    ('titel = "x"\n', "line 1: unknown setting `titel` (did you mean `title`?)"),
    ("[math]\nmacro = 1\n", "line 2: unknown setting `math.macro` (did you mean `math.macros`?)"),
    ("[theme]\ndark = true\n", "line 1: unknown table `[theme]`"),
])
def test_an_unknown_key_is_an_error_not_silence(tmp_path: Path, text: str, message: str) -> None:
    assert message in problem(tmp_path, text)


def test_every_problem_is_reported_at_once(tmp_path: Path) -> None:
    text = problem(tmp_path, 'titel = "x"\n[site]\nrecent = "many"\n[digest]\norder = "up"\n')
    assert text.index("line 1:") < text.index("line 3:") < text.index("line 5:")
