"""Default texts of the legal-basis resolver (administrators may edit them; BasisRule is law as data)."""

from django.db import migrations

RULES = [
    {
        "code": "reciprocity",
        "text_en": (
            "Where no treaty applies, the request may be sent or executed on the basis of reciprocity, "
            "with a written assurance of reciprocity from the other state."
        ),
        "text_ru": (
            "Если ни один договор не применим, запрос может быть направлен или исполнен на основе принципа "
            "взаимности при наличии письменного обязательства о взаимности другого государства."
        ),
        "text_kk": (
            "Ешбір шарт қолданылмаса, сұрау басқа мемлекеттің өзаралық туралы жазбаша міндеттемесі болған "
            "жағдайда өзаралық қағидаты негізінде жіберілуі немесе орындалуы мүмкін."
        ),
        "legal_basis": (
            "Criminal Procedure Code of the Republic of Kazakhstan of 2014-07-04 No. 231-V, section 13 "
            "(international cooperation in criminal proceedings): cooperation with a state with which there is "
            "no treaty on the basis of reciprocity."
        ),
    },
]


def load(apps, schema_editor):
    BasisRule = apps.get_model("cooperation", "BasisRule")
    for rule in RULES:
        BasisRule.objects.update_or_create(code=rule["code"], defaults=rule)


def unload(apps, schema_editor):
    apps.get_model("cooperation", "BasisRule").objects.filter(code__in=[r["code"] for r in RULES]).delete()


class Migration(migrations.Migration):
    dependencies = [("cooperation", "0001_initial")]
    operations = [migrations.RunPython(load, unload)]
