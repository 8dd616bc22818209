"""The demo office tree (core/demo.py): every office named in the reader's language, towns in Cyrillic in Kazakh
and Russian, and an older demo's Latin town names mended without touching an administrator's own names."""

import io
import re

import pytest
from django.core.management import call_command
from django.utils import translation

from prokuratura.core import reference
from prokuratura.core.demo import demo_office_names_refresh, seed_offices
from prokuratura.core.models import AuditEntry, Office

pytestmark = pytest.mark.django_db

LATIN = re.compile("[A-Za-z]")


@pytest.fixture
def tree():
    reference.regions_load()
    return seed_offices()


def test_every_office_is_named_in_kazakh_and_russian_without_latin_letters(tree):
    assert len(tree) == 41
    for office in Office.objects.all():
        assert not LATIN.search(office.name_kk), office.name_kk
        assert not LATIN.search(office.name_ru), office.name_ru
    semey = tree["D-100000000"]
    assert (semey.name_en, semey.name_ru, semey.name_kk) == (
        "Prosecutor's Office of Semey city",
        "Прокуратура города Семей",
        "Семей қаласының прокуратурасы",
    )
    oral = tree["D-270000000"]
    assert (oral.name_ru, oral.name_kk) == ("Прокуратура города Уральск", "Орал қаласының прокуратурасы")
    yesil = tree["D-710000000"]
    assert yesil.name_ru == "Прокуратура района Есиль города Астаны"
    assert tree["D-790000000"].name_kk == "Шымкент қаласы Әл-Фараби ауданының прокуратурасы"
    with translation.override("kk"):
        assert oral.name == "Орал қаласының прокуратурасы"
    with translation.override("en"):
        assert oral.name == "Prosecutor's Office of Oral city"


def test_latin_town_names_of_an_older_demo_are_mended_and_an_administrators_name_stays(tree):
    old = Office.objects.get(code="D-100000000")
    old.name_ru, old.name_kk = "Прокуратура города Semey", "Semey қаласының прокуратурасы"
    old.save(update_fields=["name_ru", "name_kk"])
    own = Office.objects.get(code="D-110000000")
    own.name_ru = "Прокуратура г. Кокшетау (по приказу № 5)"
    own.save(update_fields=["name_ru"])
    half = Office.objects.get(code="D-150000000")
    half.name_kk = "Aktobe қаласының прокуратурасы"
    half.save(update_fields=["name_kk"])

    assert demo_office_names_refresh() == 2
    old.refresh_from_db()
    assert (old.name_ru, old.name_kk) == ("Прокуратура города Семей", "Семей қаласының прокуратурасы")
    assert Office.objects.get(pk=own.pk).name_ru == "Прокуратура г. Кокшетау (по приказу № 5)"
    half.refresh_from_db()
    assert half.name_kk == "Ақтөбе қаласының прокуратурасы"
    entry = AuditEntry.objects.filter(object_type="core.office", object_id=str(old.pk)).latest("id")
    assert entry.actor_repr == "system:setup"
    assert entry.changes["name_ru"] == {
        "before": "Прокуратура города Semey",
        "after": "Прокуратура города Семей",
    }
    assert demo_office_names_refresh() == 0  # nothing left to mend


def test_make_runs_seed_demo_if_empty_which_mends_the_names(tree):
    Office.objects.filter(code="D-630000000").update(name_ru="Прокуратура города Oskemen")
    out = io.StringIO()
    call_command("seed_demo", "--if-empty", stdout=out)
    assert "renamed with their towns in Cyrillic: 1" in out.getvalue()
    assert Office.objects.get(code="D-630000000").name_ru == "Прокуратура города Усть-Каменогорск"


def test_the_demo_gives_every_office_a_letterhead_and_every_signer_a_position(tree):
    from prokuratura.accounts.models import User
    from prokuratura.core.demo import demo_letters_refresh, seed_users

    seed_users(tree)
    demo_letters_refresh()
    for office in Office.objects.all():
        assert office.address_kk and office.address_ru and office.phone and office.email
    yesil = Office.objects.get(code="D-710000000")
    assert yesil.address_ru.startswith("г. Астана") and yesil.address_kk.startswith("Астана қ.")
    prosecutor = User.objects.get(username="prosecutor")
    assert (prosecutor.last_name, prosecutor.position_ru) == ("Сейткали", "Помощник прокурора района")


def test_the_refresh_keeps_what_an_administrator_entered(tree):
    from prokuratura.accounts.models import User
    from prokuratura.core.demo import demo_letters_refresh, seed_users

    seed_users(tree)
    gpo = Office.objects.get(code="GPO")
    Office.objects.filter(pk=gpo.pk).update(address_ru="г. Астана, ул. Мангилик Ел, 14", address_kk="")
    User.objects.filter(username="head").update(position_ru="Прокурор", last_name="Иванов", first_name="Иван")
    demo_letters_refresh()
    gpo.refresh_from_db()
    assert gpo.address_ru == "г. Астана, ул. Мангилик Ел, 14" and gpo.address_kk == ""
    head = User.objects.get(username="head")
    assert (head.position_ru, head.last_name) == ("Прокурор", "Иванов")
    assert demo_letters_refresh() == 0  # nothing left to fill
