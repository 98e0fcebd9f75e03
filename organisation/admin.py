from django.contrib import admin

from organisation.models import Center, Closure, Department, DepartmentType, Governorate, LocalUnit


@admin.register(Governorate)
class GovernorateAdmin(admin.ModelAdmin):
    list_display = ("code", "name_ar", "name_en")
    search_fields = ("code", "name_ar", "name_en")


@admin.register(LocalUnit)
class LocalUnitAdmin(admin.ModelAdmin):
    list_display = ("code", "name_ar", "name_en", "kind", "governorate")
    list_filter = ("governorate", "kind")
    search_fields = ("code", "name_ar", "name_en")


@admin.register(Center)
class CenterAdmin(admin.ModelAdmin):
    list_display = (
        "code",
        "name_ar",
        "short_name_ar",
        "kind",
        "governorate",
        "local_unit",
        "closing_time",
        "is_active",
    )
    list_filter = ("governorate", "kind", "is_active")
    search_fields = ("code", "name_ar", "name_en", "short_name_ar", "short_name_en")
    list_select_related = ("governorate", "local_unit")


@admin.register(DepartmentType)
class DepartmentTypeAdmin(admin.ModelAdmin):
    list_display = ("code", "name_ar", "name_en")
    search_fields = ("code", "name_ar", "name_en")


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    list_display = ("department_type", "local_unit")
    list_filter = ("local_unit__governorate", "department_type")
    list_select_related = ("department_type", "local_unit")
    search_fields = ("local_unit__name_ar", "department_type__name_ar", "local_unit__code")


@admin.register(Closure)
class ClosureAdmin(admin.ModelAdmin):
    list_display = ("reason", "starts_on", "ends_on", "governorate", "center")
    list_filter = ("governorate",)
    search_fields = ("reason",)
    autocomplete_fields = ("governorate", "center")
    date_hierarchy = "starts_on"
