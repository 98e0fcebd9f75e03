"""Requests keep the contact details they were taken with (a snapshot, like their terms)."""

from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def snapshot_contacts(apps, schema_editor):
    ServiceRequest = apps.get_model("requests_app", "ServiceRequest")
    Citizen = apps.get_model("requests_app", "Citizen")
    applicant = Citizen.objects.filter(pk=OuterRef("applicant_id"))
    ServiceRequest.objects.update(
        applicant_name_ar=Subquery(applicant.values("name_ar")),
        applicant_mobile=Subquery(applicant.values("mobile")),
        applicant_address=Subquery(applicant.values("address")),
    )
    ServiceRequest.objects.filter(attorney__isnull=False).update(
        attorney_name_ar=Subquery(Citizen.objects.filter(pk=OuterRef("attorney_id")).values("name_ar"))
    )


class Migration(migrations.Migration):
    dependencies = [("requests_app", "0003_intake_key_per_clerk_and_identity_reveals")]

    operations = [
        migrations.AddField(
            model_name="servicerequest",
            name="applicant_name_ar",
            field=models.CharField(default="", max_length=200, verbose_name="applicant's name (Arabic)"),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="servicerequest",
            name="applicant_mobile",
            field=models.CharField(default="", max_length=16, verbose_name="applicant's mobile"),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="servicerequest",
            name="applicant_address",
            field=models.CharField(blank=True, default="", max_length=300, verbose_name="applicant's address"),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="servicerequest",
            name="attorney_name_ar",
            field=models.CharField(blank=True, default="", max_length=200, verbose_name="attorney's name (Arabic)"),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="historicalservicerequest",
            name="applicant_name_ar",
            field=models.CharField(default="", max_length=200, verbose_name="applicant's name (Arabic)"),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="historicalservicerequest",
            name="applicant_mobile",
            field=models.CharField(default="", max_length=16, verbose_name="applicant's mobile"),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="historicalservicerequest",
            name="applicant_address",
            field=models.CharField(blank=True, default="", max_length=300, verbose_name="applicant's address"),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="historicalservicerequest",
            name="attorney_name_ar",
            field=models.CharField(blank=True, default="", max_length=200, verbose_name="attorney's name (Arabic)"),
            preserve_default=False,
        ),
        migrations.RunPython(snapshot_contacts, migrations.RunPython.noop),
    ]
