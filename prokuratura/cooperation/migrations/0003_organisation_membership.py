"""Whom a convention's "*" party row stands for (open_to_group), its scope conditions, the source of its kk/ru titles,
and organisations' member states (the Council of Europe's, for CETS 141)."""

import django.db.models.deletion
from django.db import migrations, models


def wildcard_groups(apps, schema_editor):
    """Existing wildcard rows: a Council of Europe convention's "*" means the CoE's members, any other the UN's."""
    Instrument = apps.get_model("cooperation", "Instrument")
    Instrument.objects.filter(open_to_all_states=True, family="coe").update(open_to_group="coe")
    Instrument.objects.filter(open_to_all_states=True).exclude(family="coe").update(open_to_group="un")


class Migration(migrations.Migration):
    dependencies = [
        ("cooperation", "0002_basis_rules"),
        ("core", "0004_calendar_notes_and_town_names"),
    ]

    operations = [
        migrations.AddField(
            model_name="instrument",
            name="open_to_group",
            field=models.CharField(
                blank=True,
                choices=[
                    ("", "—"),
                    ("un", "Every UN member state not listed otherwise"),
                    ("coe", "The Council of Europe's member states"),
                ],
                default="",
                max_length=8,
                verbose_name="states the wildcard party row stands for",
            ),
        ),
        migrations.AddField(
            model_name="instrument",
            name="scope_conditions",
            field=models.JSONField(blank=True, default=list, verbose_name="conditions of the scope"),
        ),
        migrations.AddField(
            model_name="instrument",
            name="scope_source",
            field=models.TextField(blank=True, verbose_name="source of the scope"),
        ),
        migrations.AddField(
            model_name="instrument",
            name="title_source",
            field=models.TextField(blank=True, verbose_name="source of the Russian and Kazakh titles"),
        ),
        migrations.CreateModel(
            name="OrganisationMembership",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "organisation",
                    models.CharField(
                        choices=[("coe", "Council of Europe")], max_length=8, verbose_name="organisation"
                    ),
                ),
                ("member_from", models.DateField(verbose_name="member from")),
                ("member_until", models.DateField(blank=True, null=True, verbose_name="member until")),
                ("source_url", models.TextField(blank=True, verbose_name="source")),
                (
                    "confidence",
                    models.CharField(
                        choices=[("sourced", "Sourced"), ("unverified", "Unverified")],
                        default="sourced",
                        max_length=10,
                        verbose_name="confidence",
                    ),
                ),
                ("note", models.TextField(blank=True, verbose_name="note")),
                (
                    "country",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="memberships",
                        to="core.country",
                        verbose_name="state",
                    ),
                ),
            ],
            options={
                "verbose_name": "membership of an organisation",
                "verbose_name_plural": "memberships of organisations",
                "ordering": ["organisation", "member_from", "country__name_en"],
                "indexes": [
                    models.Index(fields=["organisation", "country"], name="coop_membership_org_country")
                ],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("organisation", "country", "member_from"), name="coop_membership_unique"
                    ),
                    models.CheckConstraint(
                        condition=models.Q(
                            ("member_until__isnull", True),
                            ("member_until__gt", models.F("member_from")),
                            _connector="OR",
                        ),
                        name="coop_membership_until_after_from",
                    ),
                ],
            },
        ),
        migrations.RunPython(wildcard_groups, migrations.RunPython.noop),
    ]
