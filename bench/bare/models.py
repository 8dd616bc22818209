"""The bare reference's one table, not migrated: bench/http_bench.py creates it (table.CREATE_TABLE)."""

from django.db import models

from .table import TABLE


class BareAppeal(models.Model):
    kind = models.CharField(max_length=20)
    subject = models.CharField(max_length=300)
    text = models.TextField()
    region = models.CharField(max_length=12)
    topic = models.CharField(max_length=50)
    received_via = models.CharField(max_length=20)
    received_at = models.DateTimeField()
    applicant_type = models.CharField(max_length=20)
    applicant_name = models.CharField(max_length=300)
    applicant_iin = models.CharField(max_length=12)
    applicant_bin = models.CharField(max_length=12)
    applicant_email = models.CharField(max_length=254)
    applicant_phone = models.CharField(max_length=40)
    applicant_address = models.CharField(max_length=500)
    applicant_language = models.CharField(max_length=2)
    consent_personal_data = models.BooleanField()
    respondent_body = models.CharField(max_length=300)
    respondent_official = models.CharField(max_length=300)
    crime_focus = models.CharField(max_length=50, null=True)
    decision_learned_on = models.DateField(null=True)
    is_urgent_report = models.BooleanField()
    sensitivity = models.CharField(max_length=12)
    office = models.CharField(max_length=20, null=True)

    class Meta:
        app_label = "bare"
        db_table = TABLE
        managed = False

    def __str__(self) -> str:
        return f"bare appeal {self.pk}"
