"""Every UI string is translated into Kazakh and Russian (English is the source language), and no translation
is left fuzzy: a string added without its translations fails here, not in front of a user."""

import re
from pathlib import Path

import pytest
from django.conf import settings

LOCALE = Path(settings.BASE_DIR) / "locale"
PLACEHOLDER = re.compile(r"%\([a-z_]+\)[sd]|%[sd]|\{[a-z_]+\}")


def _unquote(lines):
    return "".join(re.match(r'^"(.*)"$', line.strip()).group(1) for line in lines)


def entries(path):
    """(flags, msgid, [msgstr…]) for each entry of a .po file, the header skipped."""
    block, result = [], []
    for line in [*path.read_text(encoding="utf-8").splitlines(), ""]:
        if line.strip():
            block.append(line)
            continue
        if not block:
            continue
        flags = " ".join(b for b in block if b.startswith("#,"))
        fields, current = {}, None
        for b in block:
            if b.startswith("#"):
                continue
            m = re.match(r"^(msgctxt|msgid_plural|msgid|msgstr(?:\[\d\])?) (.*)$", b)
            if m:
                current = m.group(1)
                fields[current] = [m.group(2)]
            elif current:
                fields[current].append(b)
        block = []
        if "msgid" not in fields or _unquote(fields["msgid"]) == "":
            continue
        strs = [_unquote(v) for k, v in sorted(fields.items()) if k.startswith("msgstr")]
        result.append((flags, _unquote(fields["msgid"]), strs))
    return result


@pytest.mark.parametrize("language", ["kk", "ru"])
def test_catalogue_is_complete_and_not_fuzzy(language):
    path = LOCALE / language / "LC_MESSAGES" / "django.po"
    found = entries(path)
    assert found, f"{path} has no entries"
    untranslated = [msgid for _f, msgid, strs in found if not all(strs)]
    fuzzy = [msgid for flags, msgid, _s in found if "fuzzy" in flags]
    assert untranslated == [], f"{len(untranslated)} untranslated in {language}: {untranslated[:10]}"
    assert fuzzy == [], f"{len(fuzzy)} fuzzy in {language}: {fuzzy[:10]}"


@pytest.mark.parametrize("language", ["kk", "ru"])
def test_translations_keep_the_placeholders(language):
    for _flags, msgid, strs in entries(LOCALE / language / "LC_MESSAGES" / "django.po"):
        expected = sorted(set(PLACEHOLDER.findall(msgid)))
        for text in strs:
            assert sorted(set(PLACEHOLDER.findall(text))) == expected, (msgid, text)
