"""The notebook's language on its site: the theme's labels from Babel message catalogs
(`theme/locale/<lang>/LC_MESSAGES/messages.po`), dates and month names from Babel's CLDR data.

Catalogs are compiled when a build starts (a few milliseconds) and kept in the notebook's cache
under the hash of their text, so the `.po` files in the repository are the only source and
nothing compiled can go stale. The message ids are the
English labels: a language without a catalog shows them, and a third language is one new `.po`
file (see the README)."""
from __future__ import annotations

import datetime as dt
import hashlib
import io
from dataclasses import dataclass
from pathlib import Path

from babel import Locale, UnknownLocaleError
from babel.dates import DateTimePattern, format_date, parse_pattern
from babel.support import NullTranslations, Translations

from ..fsutil import atomic_write

LOCALE_DIR = Path(__file__).resolve().parent.parent / "theme" / "locale"
DOMAIN = "messages"


def catalog_path(language: str, locale_dir: Path = LOCALE_DIR) -> Path:
    return locale_dir / language / "LC_MESSAGES" / f"{DOMAIN}.po"


def available_languages(locale_dir: Path = LOCALE_DIR) -> list[str]:
    return sorted(p.parent.parent.name for p in locale_dir.glob(f"*/LC_MESSAGES/{DOMAIN}.po"))


def _catalog_language(language: str, locale_dir: Path) -> str | None:
    """The catalog for `language` ("ko", "ko-KR", "ko_KR" → ko), or None."""
    code = language.replace("-", "_")
    for candidate in (code, code.split("_")[0].lower()):
        if candidate and catalog_path(candidate, locale_dir).is_file():
            return candidate
    return None


def compile_catalog(po: Path, cache: Path | None = None) -> Translations:
    """A `.po` file as gettext translations, compiled in memory (fuzzy entries left out). With a
    `cache` folder, the compiled form is kept there under the hash of the `.po` text, so a build
    that renders a page or two does not parse catalogs again."""
    text = po.read_bytes()
    kept = cache / f"catalog-{hashlib.sha1(text).hexdigest()[:16]}.mo" if cache is not None else None
    if kept is not None and kept.is_file():
        with kept.open("rb") as stored:
            return Translations(stored, domain=DOMAIN)
    from babel.messages.mofile import write_mo  # parsing and compiling catalogs: only when not cached
    from babel.messages.pofile import read_po
    compiled = io.BytesIO()
    write_mo(compiled, read_po(io.BytesIO(text)))
    if kept is not None:
        try:
            atomic_write(kept, compiled.getvalue(), durable=False)
        except OSError:
            pass  # a cache folder that cannot be written only costs the compile
    compiled.seek(0)
    return Translations(compiled, domain=DOMAIN)


DAY_PATTERN = "yyyy.MM.dd"
"""How pages write a day: the TIL notebook's own form (the digests' `*2021.04.25*`)."""


@dataclass(frozen=True)
class Language:
    """What a page needs to speak the notebook's language: `code` for `<html lang>` and Atom's
    `xml:lang`, the translations Jinja's i18n extension uses, and the date formats."""

    code: str
    translations: NullTranslations
    locale: Locale
    day_pattern: DateTimePattern

    @classmethod
    def of(cls, language: str, locale_dir: Path = LOCALE_DIR, cache: Path | None = None) -> Language:
        """The language `language` ("ko", "en-GB"…); `cache`: a folder for compiled catalogs."""
        code = language.strip() or "en"
        found = _catalog_language(code, locale_dir)
        translations = compile_catalog(catalog_path(found, locale_dir), cache) if found else NullTranslations()
        try:
            locale = Locale.parse(code.replace("-", "_"))
        except (ValueError, UnknownLocaleError):
            locale = Locale.parse(found or "en")
        return cls(code, translations, locale, parse_pattern(DAY_PATTERN))

    def gettext(self, message: str) -> str:
        return self.translations.gettext(message)

    def ngettext(self, singular: str, plural: str, count: int) -> str:
        return self.translations.ngettext(singular, plural, count)

    def day(self, day: dt.date) -> str:
        """A note's date as the notebook writes it, in every language: `2024.01.02`, the form of the
        digests' date lines and of "updated 2024.01.02" (month names go to the calendar)."""
        return self.day_pattern.apply(day, self.locale)  # format_date parses the pattern each call: 6x slower

    def month(self, day: dt.date) -> str:
        """The short stand-alone month name ("1월", "Jan") for the calendar's month labels."""
        return format_date(day, "LLL", locale=self.locale)
