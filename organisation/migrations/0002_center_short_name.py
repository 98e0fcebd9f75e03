from django.db import migrations, models

# The openings of official names as they stood when this migration was written (organisation.naming):
# a migration keeps its own copy so that later changes there never rewrite history.
OFFICIAL_OPENINGS = (
    "المركز التكنولوجي لخدمة المواطنين — ",
    "المركز التكنولوجي ",
    "الوحدة المحلية لقرية ",
    "مركز ومدينة ",
    "مدينة ",
    "قرية ",
    "مركز ",
    "حي ",
)


def place_name(official_name):
    name = official_name.strip()
    while opening := next(
        (o for o in OFFICIAL_OPENINGS if name.startswith(o) and name[len(o) :].strip()), None
    ):
        name = name[len(opening) :].strip()
    return name


def fill_short_names(apps, schema_editor):
    """A fixed center is named after its local unit's place, a mobile one after its own name."""
    Center = apps.get_model("organisation", "Center")
    for center in Center.objects.select_related("local_unit"):
        unit = center.local_unit
        center.short_name_ar = place_name(unit.name_ar if unit else center.name_ar)[:40]
        center.short_name_en = ((unit.name_en if unit else center.name_en) or "")[:40]
        center.save(update_fields=["short_name_ar", "short_name_en"])


class Migration(migrations.Migration):
    dependencies = [("organisation", "0001_initial")]

    operations = [
        migrations.AddField(
            model_name="center",
            name="short_name_ar",
            field=models.CharField(
                default="",
                help_text="The place alone, as text messages name the center, e.g. بنها.",
                max_length=40,
                verbose_name="short Arabic name",
            ),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="center",
            name="short_name_en",
            field=models.CharField(blank=True, max_length=40, verbose_name="short English name"),
        ),
        migrations.RunPython(fill_short_names, migrations.RunPython.noop),
    ]
