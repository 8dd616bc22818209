"""A small demo data set: the office tree of the whole country and one user per role.

Offices are derived from the regions table (data/reference/kz_regions.csv): the Prosecutor General's Office, one
office per region and city of republican significance, and one district-level office in each (the office of the
region's administrative centre; for the three cities, one of their districts). The demo password is random per
installation (kept in var/demo_password, outside the repository) unless DEMO_PASSWORD is set.
"""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import transaction

from prokuratura.accounts.models import User
from prokuratura.accounts.roles import Role
from prokuratura.accounts.services import user_create

from .actors import SETUP
from .models import Department, Office, Region
from .services import department_create, office_create

# City districts used as the demo district office of the three cities of republican significance.
CITY_DISTRICTS = {
    "710000000": ("Yesil", "Есиль", "Есіл"),
    "750000000": ("Almaly", "Алмалинский", "Алмалы"),
    "790000000": ("Al-Farabi", "Аль-Фарабийский", "Әл-Фараби"),
}

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
    first_name: str
    last_name: str
    office_code: str
    department_code: str = ""


DEMO_USERS = [
    DemoUser("registrar", Role.REGISTRAR, "Aigerim", "Nurlanova", "R-710000000"),
    DemoUser("prosecutor", Role.PROSECUTOR, "Daniyar", "Seitkali", "D-710000000"),
    DemoUser("head", Role.HEAD, "Yerlan", "Abenov", "R-710000000"),
    DemoUser("head_gpo", Role.HEAD, "Saule", "Tokayeva", "GPO", "APPEALS"),
    DemoUser("intl_officer", Role.INTL_OFFICER, "Madina", "Zhakupova", "GPO", "INTL"),
    DemoUser("analyst", Role.ANALYST, "Timur", "Bekov", "GPO", "ANALYTICS"),
    DemoUser("auditor", Role.AUDITOR, "Gulnara", "Sadykova", "GPO", "SECURITY"),
    DemoUser("admin", Role.ADMIN, "Arman", "Kassymov", "GPO"),
]


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
    if region.kato_code in CITY_DISTRICTS:
        en, ru, kk = CITY_DISTRICTS[region.kato_code]
        city_en = region.name_en
        return {
            "name_en": f"Prosecutor's Office of {en} district, {city_en}",
            "name_ru": f"Прокуратура района {ru} {region.name_ru}",
            "name_kk": f"{region.name_kk} {kk} ауданының прокуратурасы",
        }
    centre = (region.admin_center or region.name_en).split(" (")[0]
    return {
        "name_en": f"Prosecutor's Office of {centre} city",
        "name_ru": f"Прокуратура города {centre}",
        "name_kk": f"{centre} қаласының прокуратурасы",
    }


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
                "first_name": spec.first_name,
                "last_name": spec.last_name,
                "email": f"{spec.username}@prokuratura.local",
                "office": office,
                "department": department,
            },
            roles={spec.role},
            password=password,
        )
        created.append(spec.username)
    return created
