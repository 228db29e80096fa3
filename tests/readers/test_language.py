"""A Korean notebook's site speaks Korean: every theme message has a Korean translation, no English
label of the catalog shows in a Korean page's chrome (while the same notebook in English shows
them), `<html lang>` and Atom `xml:lang` follow the setting, and a new language is one `.po` file."""
from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po

from tests.readers.conftest import Built
from tilbook.site.i18n import Language, available_languages, catalog_path

REPO = Path(__file__).resolve().parents[2]
CONTENT = {"note-body", "note-list", "digest-note", "prev-next", "site-title", "lead"}
"""Classes of the parts of a page that show notes (or the notebook's own title and description),
not the theme's labels."""
LABEL_ATTRIBUTES = {"aria-label", "placeholder", "title", "alt"}


def messages(language: str) -> dict[str | tuple[str, ...], object]:
    with catalog_path(language).open("rb") as po:
        return {m.id: m.string for m in read_po(po) if m.id}


def extracted() -> set[str | tuple[str, ...]]:
    with (REPO / "babel.cfg").open() as cfg:
        method_map, options_map = parse_mapping_cfg(cfg)
    return {msg for _, _, msg, _, _ in extract_from_dir(str(REPO), method_map, options_map,
                                                        keywords={"_": None, "gettext": None, "ngettext": (1, 2)})}


def test_every_message_of_the_theme_is_in_every_catalog_and_translated_in_korean() -> None:
    wanted = extracted()
    assert len(wanted) > 30 and {"ko", "en"} <= set(available_languages())
    for language in available_languages():
        assert set(messages(language)) == wanted, language
    untranslated = [m for m, text in messages("ko").items() if not text or (isinstance(text, tuple) and not all(text))]
    assert untranslated == []


class Chrome(HTMLParser):
    """The theme's own words on a page: text and label attributes outside the parts that show
    notes, and the search box's data-* messages."""

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[bool] = []
        self.words: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        content = bool(set((values.get("class") or "").split()) & CONTENT) or (bool(self.stack) and self.stack[-1])
        if tag not in ("meta", "link", "input", "br", "img", "hr", "source", "rect"):
            self.stack.append(content)
        if not content:
            self.words += [v for k, v in attrs if v and (k in LABEL_ATTRIBUTES or k.startswith("data-"))
                           and k != "data-search-root"]

    def handle_endtag(self, tag: str) -> None:
        if tag not in ("meta", "link", "input", "br", "img", "hr", "source", "rect") and self.stack:
            self.stack.pop()

    def handle_data(self, data: str) -> None:
        if not (self.stack and self.stack[-1]) and data.strip():
            self.words.append(data)


def chrome_text(page: Path) -> str:
    parser = Chrome()
    parser.feed(page.read_text(encoding="utf-8"))
    return "\n".join(parser.words)


def english_fragments() -> list[str]:
    """The English words of every message id, cut at placeholders and markup (fragments with at
    least one word of three letters: "to %(day)s" leaves nothing to look for)."""
    fragments: set[str] = set()
    for msgid in messages("ko"):
        for text in (msgid if isinstance(msgid, tuple) else (msgid,)):
            for piece in re.split(r"%\(\w+\)[sd]|<[^>]+>|[():;.,→]", text):
                if re.search(r"[A-Za-z]{3}", piece) and piece.strip() not in ("tilbook", "Atom"):
                    fragments.add(piece.strip())
    return sorted(fragments)


def pages(out: Path) -> list[Path]:
    return sorted(out.rglob("*.html"))


def test_a_korean_notebook_shows_no_english_label(korean_site: Built, english_site: Built) -> None:
    fragments = english_fragments()
    found = {f"{page.relative_to(korean_site.out)}: {fragment}"
             for page in pages(korean_site.out) for text in [chrome_text(page)]
             for fragment in fragments if re.search(rf"\b{re.escape(fragment)}\b", text)}
    assert sorted(found) == []
    # the check can see labels: the same notebook in English shows most of them
    shown = {fragment for page in pages(english_site.out) for text in [chrome_text(page)]
             for fragment in fragments if fragment in text}
    assert len(shown) >= len(fragments) * 0.6, sorted(set(fragments) - shown)


def test_html_lang_feed_lang_and_dates_follow_the_notebook(korean_site: Built, english_site: Built) -> None:
    for built, lang, month in ((korean_site, "ko", "5월"), (english_site, "en", "May")):
        for page in pages(built.out):
            assert f'<html lang="{lang}">' in page.read_text(encoding="utf-8"), page
        assert f'xml:lang="{lang}"' in (built.out / "feed.xml").read_text(encoding="utf-8")
        home = (built.out / "index.html").read_text(encoding="utf-8")
        assert f'class="month" aria-hidden="true">{month}</text>' in home
    assert "2023.05.09" in (korean_site.out / "index.html").read_text(encoding="utf-8")
    assert "2023.05.09" in (english_site.out / "index.html").read_text(encoding="utf-8")


def test_a_third_language_is_one_catalog_file(tmp_path: Path) -> None:
    po = catalog_path("fr", tmp_path)
    po.parent.mkdir(parents=True)
    english = catalog_path("en").read_text(encoding="utf-8")
    po.write_text(english.replace("Language: en", "Language: fr").replace(
        'msgid "Recent notes"\nmsgstr ""', 'msgid "Recent notes"\nmsgstr "Notes récentes"'), encoding="utf-8")
    french = Language.of("fr-FR", tmp_path)
    assert french.gettext("Recent notes") == "Notes récentes" and french.gettext("Archive") == "Archive"
    assert french.month(__import__("datetime").date(2024, 5, 1)) == "mai"
    assert Language.of("ko-KR").gettext("Archive") == "보관함"
    assert Language.of("xx").gettext("Archive") == "Archive"  # no catalog: the English labels
