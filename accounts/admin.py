from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.utils.translation import gettext_lazy as _

from accounts.models import RoleAssignment, User


class RoleAssignmentInline(admin.TabularInline):
    model = RoleAssignment
    extra = 0
    fields = ("role", "governorate", "center", "department", "is_active")
    autocomplete_fields = ("governorate", "center", "department")


@admin.register(User)
class StaffUserAdmin(UserAdmin):
    list_display = ("username", "full_name", "is_active", "is_staff", "last_login")
    search_fields = ("username", "full_name", "email")
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("Personal info"), {"fields": ("full_name", "email")}),
        (_("Permissions"), {"fields": ("is_active", "is_staff", "is_superuser")}),
        (_("Important dates"), {"fields": ("last_login", "date_joined")}),
    )
    inlines = (RoleAssignmentInline,)


@admin.register(RoleAssignment)
class RoleAssignmentAdmin(admin.ModelAdmin):
    list_display = ("user", "role", "governorate", "center", "department", "is_active")
    list_filter = ("role", "is_active", "governorate", "center__governorate")
    search_fields = ("user__username", "user__full_name")
    autocomplete_fields = ("user", "governorate", "center", "department")
    list_select_related = (
        "user",
        "governorate",
        "center",
        "department__department_type",
        "department__local_unit",
    )
