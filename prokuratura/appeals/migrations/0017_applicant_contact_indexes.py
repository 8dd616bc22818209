# A registration looks for the applicant's earlier appeals (intake.find_repeated_of) by IIN, BIN, e-mail or phone;
# only the first two had an index, so an applicant known by e-mail or phone made it read the whole register.
# On a 5 M register each index builds in seconds (docs/PERFORMANCE.md, issue 16).

import django.db.models.functions.text
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("appeals", "0016_appeal_tally"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="appeal",
            index=models.Index(
                django.db.models.functions.text.Upper("applicant_email"), name="appeal_applicant_email_ci"
            ),
        ),
        migrations.AddIndex(
            model_name="appeal",
            index=models.Index(fields=["applicant_phone"], name="appeal_applicant_phone"),
        ),
    ]
