"""A small demo data set: the office tree of the whole country and one user per role.

Offices are derived from the regions table (data/reference/kz_regions.csv): the Prosecutor General's Office, one
office per region and city of republican significance, and one district-level office in each (the office of the
region's administrative centre; for the three cities, one of their districts). The demo password is random per
installation (kept in var/demo_password, outside the repository) unless DEMO_PASSWORD is set.
"""

from __future__ import annotations

import os
import re
import secrets
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import transaction

from prokuratura.accounts.models import User
from prokuratura.accounts.roles import Role
from prokuratura.accounts.services import user_create, user_update

from .actors import SETUP
from .models import Department, Office, Region
from .services import department_create, office_create, office_update

# City districts used as the demo district office of the three cities of republican significance: the district's
# English name, and the office's name in Russian and Kazakh as such offices are officially named.
CITY_DISTRICTS = {
    "710000000": (
        "Yesil",
        "Прокуратура района Есиль города Астаны",
        "Астана қаласы Есіл ауданының прокуратурасы",
    ),
    "750000000": (
        "Almaly",
        "Прокуратура Алмалинского района города Алматы",
        "Алматы қаласы Алмалы ауданының прокуратурасы",
    ),
    "790000000": (
        "Al-Farabi",
        "Прокуратура Аль-Фарабийского района города Шымкента",
        "Шымкент қаласы Әл-Фараби ауданының прокуратурасы",
    ),
}
_LATIN = re.compile(r"[A-Za-z]")

GPO_DEPARTMENTS = [
    (
        "APPEALS",
        "Department for citizens' appeals",
        "Департамент по рассмотрению обращений граждан",
        "Азаматтардың өтініштерін қарау департаменті",
    ),
    (
        "SUPERVISION",
        "Department for supervision of legality",
        "Департамент по надзору за законностью",
        "Заңдылықты қадағалау департаменті",
    ),
    (
        "INTL",
        "Department for international cooperation",
        "Департамент международного сотрудничества",
        "Халықаралық ынтымақтастық департаменті",
    ),
    ("ANALYTICS", "Analytics department", "Аналитический департамент", "Талдау департаменті"),
    (
        "SECURITY",
        "Internal security department",
        "Департамент собственной безопасности",
        "Өз қауіпсіздігі департаменті",
    ),
]


@dataclass(frozen=True)
class DemoUser:
    username: str
    role: str
    # Names as Kazakhstan's documents write them, in Cyrillic (a letter is signed "А.Б. Surname").
    first_name: str
    middle_name: str
    last_name: str
    office_code: str
    department_code: str = ""
    # The position as signed under a letter: Kazakh, Russian, English.
    position: tuple[str, str, str] = ("", "", "")


DEMO_USERS = [
    DemoUser(
        "registrar",
        Role.REGISTRAR,
        "Айгерим",
        "Серикқызы",
        "Нурланова",
        "R-710000000",
        position=("Бас маман", "Главный специалист", "Chief specialist"),
    ),
    DemoUser(
        "prosecutor",
        Role.PROSECUTOR,
        "Данияр",
        "Ерланұлы",
        "Сейткали",
        "D-710000000",
        position=(
            "Аудан прокурорының көмекшісі",
            "Помощник прокурора района",
            "Assistant district prosecutor",
        ),
    ),
    DemoUser(
        "head",
        Role.HEAD,
        "Ерлан",
        "Болатұлы",
        "Абенов",
        "R-710000000",
        position=("Астана қаласының прокуроры", "Прокурор города Астаны", "Prosecutor of Astana"),
    ),
    DemoUser(
        "head_gpo",
        Role.HEAD,
        "Сәуле",
        "Маратқызы",
        "Тоқаева",
        "GPO",
        "APPEALS",
        position=("Департамент бастығы", "Начальник департамента", "Head of department"),
    ),
    DemoUser(
        "intl_officer",
        Role.INTL_OFFICER,
        "Мадина",
        "Асқарқызы",
        "Жакупова",
        "GPO",
        "INTL",
        position=("Прокурор", "Прокурор", "Prosecutor"),
    ),
    DemoUser(
        "analyst",
        Role.ANALYST,
        "Тимур",
        "Нұрланұлы",
        "Беков",
        "GPO",
        "ANALYTICS",
        ("Талдаушы", "Аналитик", "Analyst"),
    ),
    DemoUser(
        "auditor",
        Role.AUDITOR,
        "Гүлнара",
        "Әлібекқызы",
        "Садыкова",
        "GPO",
        "SECURITY",
        ("Аудитор", "Аудитор", "Auditor"),
    ),
    DemoUser(
        "admin",
        Role.ADMIN,
        "Арман",
        "Серікұлы",
        "Касымов",
        "GPO",
        "",
        ("Әкімші", "Администратор", "Administrator"),
    ),
]


def _demo_user_data(spec: DemoUser) -> dict[str, str]:
    position_kk, position_ru, position_en = spec.position
    return {
        "first_name": spec.first_name,
        "middle_name": spec.middle_name,
        "last_name": spec.last_name,
        "position_kk": position_kk,
        "position_ru": position_ru,
        "position": position_en,
    }


def _letterhead(office: Office) -> dict[str, str]:
    """A demonstration letterhead: the office's town, a street marked as a demo, and the office's code in the
    telephone and e-mail. Real offices enter their own on the office's page."""
    region = office.region
    town_kk = (region.admin_center_kk if region else "") or "Астана"
    town_ru = (region.admin_center_ru if region else "") or "Астана"
    number = 1 + sum(map(ord, office.code)) % 98
    return {
        "address_kk": f"{town_kk} қ., Демо көшесі, {number}",
        "address_ru": f"г. {town_ru}, ул. Демонстрационная, {number}",
        "phone": f"+7 (700) 000-{number:02d}-{len(office.code):02d}",
        "email": f"{office.code.lower()}@demo.prokuratura.local",
    }


def demo_letters_refresh() -> int:
    """Give the demo offices a letterhead and the demo users their Cyrillic names and positions, where they have
    none yet (an earlier demo had neither). A value an administrator entered stays. Returns how many records were
    changed (each audited by its service)."""
    changed = 0
    for office in (
        Office.objects.filter(address_ru="", address_kk="").select_related("region").order_by("path")
    ):
        office_update(by=SETUP, office=office, data=_letterhead(office))
        changed += 1
    for spec in DEMO_USERS:
        user = User.objects.filter(username=spec.username).first()
        if user is None or user.position_ru or user.position_kk:
            continue
        data = _demo_user_data(spec)
        if not _LATIN.search(user.last_name):  # a name already in Cyrillic was written by someone: keep it
            data = {key: value for key, value in data.items() if key.startswith("position")}
        user_update(by=SETUP, user=user, data=data)
        changed += 1
    return changed


def _ru_genitive(name_ru: str) -> str:
    """'Акмолинская область' → 'Акмолинской области'; 'область Абай' → 'области Абай'; 'г. Астана' stays."""
    words = name_ru.split()
    out = []
    for word in words:
        if word == "область":
            out.append("области")
        elif word.endswith("ая"):
            out.append(word[:-2] + "ой")
        else:
            out.append(word)
    return " ".join(out)


def _office_names(region: Region) -> dict[str, str]:
    kk = region.name_kk if region.name_kk.endswith(("облысы", "қаласы")) else f"{region.name_kk} қаласы"
    return {
        "name_en": f"Prosecutor's Office of {region.name_en}"
        if region.unit_type == "region"
        else f"Prosecutor's Office of {region.name_en} city",
        "name_ru": f"Прокуратура {_ru_genitive(region.name_ru)}",
        "name_kk": f"{kk}ның прокуратурасы" if kk.endswith("ы") else f"{kk} прокуратурасы",
    }


def _district_names(region: Region) -> dict[str, str]:
    """The office of the region's administrative centre, the town named in each language's own script
    (`Region.admin_center_kk/_ru`, from data/reference/kz_regions.csv)."""
    if region.kato_code in CITY_DISTRICTS:
        en, ru, kk = CITY_DISTRICTS[region.kato_code]
        return {
            "name_en": f"Prosecutor's Office of {en} district, {region.name_en}",
            "name_ru": ru,
            "name_kk": kk,
        }
    centre_en = (region.admin_center or region.name_en).split(" (")[0]
    centre_ru = region.admin_center_ru or centre_en
    centre_kk = region.admin_center_kk or centre_ru
    return {
        "name_en": f"Prosecutor's Office of {centre_en} city",
        "name_ru": f"Прокуратура города {centre_ru}",
        "name_kk": f"{centre_kk} қаласының прокуратурасы",
    }


def demo_office_names_refresh() -> int:
    """Rename the demo offices that an earlier version named with Latin town names in Kazakh or Russian
    ("Прокуратура города Semey"), now that the regions carry their centres' names in Cyrillic. Only a Kazakh or
    Russian name with Latin letters in it is replaced, so a name an administrator wrote stays. Returns how many
    offices were renamed (each change audited by `office_update`)."""
    renamed = 0
    regions = {region.kato_code: region for region in Region.objects.all()}
    for office in Office.objects.filter(code__regex=r"^[RD]-[0-9]{9}$").order_by("path"):
        region = regions.get(office.code[2:])
        if region is None:
            continue
        names = _office_names(region) if office.code.startswith("R-") else _district_names(region)
        data = {
            field: names[field]
            for field in ("name_kk", "name_ru")
            if _LATIN.search(getattr(office, field)) and not _LATIN.search(names[field])
        }
        if data:
            office_update(by=SETUP, office=office, data=data)
            renamed += 1
    return renamed


def demo_password() -> str:
    if env := os.environ.get("DEMO_PASSWORD"):
        return env
    path = Path(settings.VAR_DIR) / "demo_password"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(f"demo-{secrets.token_urlsafe(9)}")
        path.chmod(0o600)
    return path.read_text().strip()


@transaction.atomic
def seed_offices() -> dict[str, Office]:
    offices: dict[str, Office] = {o.code: o for o in Office.objects.all()}
    if "GPO" not in offices:
        offices["GPO"] = office_create(
            by=SETUP,
            data={
                "code": "GPO",
                "level": Office.Level.GENERAL,
                "name_en": "Prosecutor General's Office of the Republic of Kazakhstan",
                "name_ru": "Генеральная прокуратура Республики Казахстан",
                "name_kk": "Қазақстан Республикасының Бас прокуратурасы",
            },
        )
    gpo = offices["GPO"]
    existing_departments = set(Department.objects.filter(office=gpo).values_list("code", flat=True))
    for code, en, ru, kk in GPO_DEPARTMENTS:
        if code not in existing_departments:
            department_create(
                by=SETUP, data={"office": gpo, "code": code, "name_en": en, "name_ru": ru, "name_kk": kk}
            )
    for region in Region.objects.order_by("kato_code"):
        code = f"R-{region.kato_code}"
        if code not in offices:
            offices[code] = office_create(
                by=SETUP,
                data={
                    "code": code,
                    "level": Office.Level.REGIONAL,
                    "parent": gpo,
                    "region": region,
                    **_office_names(region),
                },
            )
        district_code = f"D-{region.kato_code}"
        if district_code not in offices:
            offices[district_code] = office_create(
                by=SETUP,
                data={
                    "code": district_code,
                    "level": Office.Level.DISTRICT,
                    "parent": offices[code],
                    "region": region,
                    **_district_names(region),
                },
            )
    demo_office_names_refresh()
    return offices


@transaction.atomic
def seed_users(offices: dict[str, Office]) -> list[str]:
    password = demo_password()
    created = []
    for spec in DEMO_USERS:
        if User.objects.filter(username=spec.username).exists():
            continue
        office = offices[spec.office_code]
        department = (
            Department.objects.filter(office=office, code=spec.department_code).first()
            if spec.department_code
            else None
        )
        user_create(
            by=SETUP,
            data={
                "username": spec.username,
                **_demo_user_data(spec),
                "email": f"{spec.username}@prokuratura.local",
                "office": office,
                "department": department,
            },
            roles={spec.role},
            password=password,
        )
        created.append(spec.username)
    return created
