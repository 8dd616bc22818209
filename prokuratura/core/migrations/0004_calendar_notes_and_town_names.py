# The notes on calendar days and the regions' administrative centres in Kazakh and Russian (issue 11: every string
# the interface shows in kk/ru is translated). `manage.py load_reference` fills them from data/reference.

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("core", "0003_office_letterhead"),
    ]

    operations = [
        migrations.AddField(
            model_name="calendarexception",
            name="reason_kk",
            field=models.CharField(blank=True, max_length=300, verbose_name="reason (Kazakh)"),
        ),
        migrations.AddField(
            model_name="calendarexception",
            name="reason_ru",
            field=models.CharField(blank=True, max_length=300, verbose_name="reason (Russian)"),
        ),
        migrations.AddField(
            model_name="calendarexception",
            name="legal_basis_kk",
            field=models.CharField(blank=True, max_length=300, verbose_name="legal basis (Kazakh)"),
        ),
        migrations.AddField(
            model_name="calendarexception",
            name="legal_basis_ru",
            field=models.CharField(blank=True, max_length=300, verbose_name="legal basis (Russian)"),
        ),
        migrations.AlterField(
            model_name="calendarexception",
            name="reason",
            field=models.CharField(max_length=300, verbose_name="reason (English)"),
        ),
        migrations.AddField(
            model_name="region",
            name="admin_center_kk",
            field=models.CharField(blank=True, max_length=100, verbose_name="administrative centre (Kazakh)"),
        ),
        migrations.AddField(
            model_name="region",
            name="admin_center_ru",
            field=models.CharField(blank=True, max_length=100, verbose_name="administrative centre (Russian)"),
        ),
    ]
