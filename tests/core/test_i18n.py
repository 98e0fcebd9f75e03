"""Every interface string has an Arabic translation, and the committed .mo matches the .po."""

import shutil

import polib
import pytest
from django.conf import settings
from django.core.management import call_command

PO = settings.BASE_DIR / "locale" / "ar" / "LC_MESSAGES" / "django.po"
MO = PO.with_suffix(".mo")


def untranslated(po):
    return [e.msgid for e in po if not e.obsolete and (not e.translated() or "fuzzy" in e.flags)]


def test_arabic_catalog_is_complete():
    assert untranslated(polib.pofile(str(PO))) == []


def test_compiled_catalog_matches_the_source():
    source = {
        (e.msgid, e.msgstr, tuple(sorted(e.msgstr_plural.items())))
        for e in polib.pofile(str(PO))
        if e.translated()
    }
    compiled = {
        (e.msgid, e.msgstr, tuple(sorted(e.msgstr_plural.items()))) for e in polib.mofile(str(MO)) if e.msgid
    }
    assert source == compiled, "run: python manage.py compilemessages -l ar"


@pytest.mark.django_db
def test_no_string_in_the_code_is_missing_from_the_catalog(tmp_path, monkeypatch):
    """makemessages over the code into a copy of the catalog finds nothing new to translate."""
    # makemessages writes next to the sources it scans, so it scans a copy of them.
    tree = tmp_path / "tree"
    shutil.copytree(
        settings.BASE_DIR,
        tree,
        ignore=shutil.ignore_patterns(".venv", "var", ".git", "tests", "node_modules", "__pycache__", "*.mo"),
    )
    monkeypatch.chdir(tree)
    monkeypatch.setattr(settings, "LOCALE_PATHS", [tree / "locale"])
    call_command("makemessages", locale=["ar"], verbosity=0)
    fresh = polib.pofile(str(tree / "locale" / "ar" / "LC_MESSAGES" / "django.po"))
    assert untranslated(fresh) == [], "run makemessages -l ar and translate the new strings"
