"""Extracts, updates and compiles the portal's message catalogues with Babel.

Run `python services/gateway/translations.py` (`make translations`) after adding or
changing a message in the portal's code or templates. It does what
`pybabel extract -F babel.cfg --add-location=file` → `pybabel update` →
`pybabel compile` would, in src/jixiao/gateway/translations/:

- messages.pot: every message of the sources babel.cfg names (file names, no line
  numbers, so that moving code does not change it);
- <locale>/LC_MESSAGES/messages.po for zh_Hans_CN and en, updated from it: new
  messages are added untranslated (Babel may propose a fuzzy guess from a similar
  old one), messages no longer in the sources are dropped. The msgids are English,
  so the English catalogue starts each message as its source text (a writer may
  reword it there); the Chinese one must be translated by hand, following
  docs/glossary.md;
- messages.mo beside each .po, compiled without fuzzy entries (what Flask-Babel reads).

Before extracting, it writes the generated module of the scheme desk's help texts
(src/jixiao/gateway/entrypoints/portal/scheme_help_messages.py: every record title and doc of
the declared scheme format as a literal pgettext call, `write_help_module`), so that a doc
changed in the declaration becomes a message to translate.

A file is only rewritten when more than its dates changed. `--check` writes
nothing and reports whether the committed catalogues are stale: the sources'
messages differ from the .pot or a .po, or a .mo differs from its .po
(tests/integration/portal/test_translations.py runs it; untranslated and fuzzy messages
are that test's business).
"""
from __future__ import annotations

import argparse
import gettext
import io
import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

GATEWAY = Path(__file__).resolve().parent
SOURCES = GATEWAY / "src"
MAPPING = GATEWAY / "babel.cfg"
CATALOGUES = SOURCES / "jixiao" / "gateway" / "translations"
DOMAIN = "messages"
LOCALES = ("zh_Hans_CN", "en")
SOURCE_LOCALE = "en"  # the language of the msgids
COMMENT_TAGS = ("TRANSLATORS:",)
_HEADER = {
    "project": "jixiao-gateway", "version": "0.1.0", "copyright_holder": "the Jixiao authors",
    "msgid_bugs_address": "", "last_translator": "the Jixiao authors", "language_team": "the Jixiao authors",
    "header_comment": "# The portal's messages: docs/portal.md#translations says how to add or change one.\n"
                      "# Made by services/gateway/translations.py (make translations); terms follow docs/glossary.md.",
}
#: Header lines that change without the messages changing: when, and by which Babel.
_VOLATILE = ('"POT-Creation-Date:', '"PO-Revision-Date:', '"Generated-By:')


def help_module_source() -> str:
    """The generated module of the scheme desk's help texts, as the declaration makes it."""
    from jixiao.common.scheme_format import SECTIONS
    from jixiao.gateway.domain.scheme_forms import help_messages_source
    return help_messages_source(SECTIONS)


def help_module_path() -> Path:
    from jixiao.gateway.domain.scheme_forms import HELP_MODULE
    return SOURCES / HELP_MODULE


def write_help_module() -> bool:
    """Writes the help texts' module when it differs from the declaration's; whether it did."""
    text, path = help_module_source(), help_module_path()
    if path.exists() and path.read_text(encoding="utf-8") == text:
        return False
    path.write_text(text, encoding="utf-8")
    return True


def extract() -> Catalog:
    """The messages of the sources babel.cfg names, as `pybabel extract` finds them."""
    with MAPPING.open(encoding="utf-8") as f:
        method_map, options_map = parse_mapping_cfg(f, str(MAPPING))
    template = Catalog(**_HEADER, charset="utf-8", fuzzy=False)
    for path, lineno, message, comments, context in extract_from_dir(
            SOURCES, method_map, options_map, keywords=DEFAULT_KEYWORDS, comment_tags=COMMENT_TAGS,
            strip_comment_tags=True):
        template.add(message, None, [(path, lineno)], auto_comments=comments, context=context)
    return template


def po_path(locale: str) -> Path:
    return CATALOGUES / locale / "LC_MESSAGES" / f"{DOMAIN}.po"


def render_po(catalog: Catalog) -> str:
    out = io.BytesIO()
    write_po(out, catalog, width=100, include_lineno=False, ignore_obsolete=True)
    return out.getvalue().decode("utf-8")


def updated(template: Catalog, locale: str) -> Catalog:
    """The locale's committed catalogue (or a new one) updated from the template."""
    path = po_path(locale)
    if path.exists():
        with path.open("rb") as f:
            catalog = read_po(f, locale=locale)
    else:
        catalog = Catalog(locale=locale, **_HEADER, fuzzy=False)
    catalog.update(template, update_creation_date=False)
    if locale == SOURCE_LOCALE:  # English: the source text, unless reworded (and its source has not changed)
        for message in catalog:
            if not message.id:
                continue
            if "fuzzy" in message.flags or not translated(message):
                message.string = message.id if isinstance(message.id, str) else tuple(message.id)
                message.flags.discard("fuzzy")
    return catalog


def translated(message) -> bool:
    """Whether the message has a translation (every plural form, for a plural one)."""
    if not message.string:
        return False
    return bool(message.string) if isinstance(message.string, str) else all(message.string)


def compiled(catalog: Catalog) -> bytes:
    out = io.BytesIO()
    write_mo(out, catalog, use_fuzzy=False)
    return out.getvalue()


def mo_messages(data: bytes) -> dict:
    """What a .mo file says, without its header."""
    messages = dict(gettext.GNUTranslations(io.BytesIO(data))._catalog)
    messages.pop("", None)
    return messages


def _same(text: str, path: Path) -> bool:
    def normalised(s: str) -> list[str]:
        return [line for line in s.splitlines() if not line.startswith(_VOLATILE)]
    return path.exists() and normalised(text) == normalised(path.read_text(encoding="utf-8"))


def plan() -> dict[Path, str | bytes]:
    """Each catalogue file as the sources and the committed catalogues make it."""
    template = extract()
    files: dict[Path, str | bytes] = {CATALOGUES / f"{DOMAIN}.pot": render_po(template)}
    for locale in LOCALES:
        catalog = updated(template, locale)
        text = render_po(catalog)
        files[po_path(locale)] = text
        files[po_path(locale).with_suffix(".mo")] = compiled(read_po(io.BytesIO(text.encode("utf-8")), locale=locale))
    return files


def stale_files() -> list[str]:
    """The catalogue files that `make translations` would change (and the help texts' module)."""
    stale = []
    path = help_module_path()
    if not path.exists() or path.read_text(encoding="utf-8") != help_module_source():
        stale.append(str(path.relative_to(GATEWAY)))
    for path, content in plan().items():
        if isinstance(content, bytes):
            fresh = not path.exists() or mo_messages(content) != mo_messages(path.read_bytes())
        else:
            fresh = not _same(content, path)
        if fresh:
            stale.append(str(path.relative_to(GATEWAY)))
    return stale


def write() -> list[str]:
    written = [str(help_module_path().relative_to(GATEWAY))] if write_help_module() else []
    for path, content in plan().items():
        if isinstance(content, bytes):
            if path.exists() and mo_messages(content) == mo_messages(path.read_bytes()):
                continue
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(content)
        else:
            if _same(content, path):
                continue
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(content, encoding="utf-8")
        written.append(str(path.relative_to(GATEWAY)))
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only report stale catalogues")
    options = parser.parse_args(argv)
    if options.check:
        stale = stale_files()
        if stale:
            print("stale message catalogues (run `make translations`, then translate what is new):\n  "
                  + "\n  ".join(stale), file=sys.stderr)
            return 1
        return 0
    for name in write():
        print(f"wrote {name}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
