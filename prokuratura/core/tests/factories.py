import factory

from prokuratura.core.models import Department, Office, Region


class RegionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Region
        django_get_or_create = ("kato_code",)

    kato_code = factory.Sequence(lambda n: f"{900000000 + n}")
    unit_type = Region.UnitType.REGION
    name_en = factory.Sequence(lambda n: f"Region {n}")
    name_ru = factory.Sequence(lambda n: f"Область {n}")
    name_kk = factory.Sequence(lambda n: f"{n} облысы")


class OfficeFactory(factory.django.DjangoModelFactory):
    """Builds offices through the service so the materialised path is right."""

    class Meta:
        model = Office

    code = factory.Sequence(lambda n: f"OFF{n:04d}")
    level = Office.Level.DISTRICT
    parent = None
    region = None
    name_en = factory.Sequence(lambda n: f"Office {n}")
    name_ru = factory.Sequence(lambda n: f"Прокуратура {n}")
    name_kk = factory.Sequence(lambda n: f"{n} прокуратурасы")

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        from prokuratura.core.actors import SETUP
        from prokuratura.core.services import office_create

        return office_create(by=SETUP, data=kwargs)


class DepartmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Department

    office = factory.SubFactory(OfficeFactory)
    code = factory.Sequence(lambda n: f"D{n:03d}")
    name_en = factory.Sequence(lambda n: f"Department {n}")
    name_ru = factory.Sequence(lambda n: f"Управление {n}")
    name_kk = factory.Sequence(lambda n: f"{n} басқармасы")
