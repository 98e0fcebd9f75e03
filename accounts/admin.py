"""Users and role assignments in the admin: administrators only, never one's own privileges, and every
change kept in history (who, when, what) — readable by administrators."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from accounts.models import Role, RoleAssignment, User

PRIVILEGE_FIELDS = ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")


def is_administrator(user: User) -> bool:
    return user.is_active and (user.is_superuser or user.has_role(Role.ADMINISTRATOR))


class AdministratorsOnly:
    """Django's model permissions are not enough here: whoever may change users or roles may make
    anyone — themselves included — all-powerful. So these pages belong to administrators alone."""

    def has_module_permission(self, request):
        return is_administrator(request.user)

    def has_view_permission(self, request, obj=None):
        return is_administrator(request.user)

    def has_add_permission(self, request, *args):
        return is_administrator(request.user)

    def has_change_permission(self, request, obj=None):
        return is_administrator(request.user)

    def has_delete_permission(self, request, obj=None):
        return False  # accounts are deactivated, never deleted: their history must stay readable


class RoleAssignmentInline(AdministratorsOnly, admin.TabularInline):
    model = RoleAssignment
    extra = 0
    fields = ("role", "governorate", "center", "department", "local_unit", "is_active")
    autocomplete_fields = ("governorate", "center", "department", "local_unit")

    def has_add_permission(self, request, obj=None):
        return super().has_add_permission(request) and obj != request.user

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request) and obj != request.user


@admin.register(User)
class StaffUserAdmin(AdministratorsOnly, SimpleHistoryAdmin, UserAdmin):
    list_display = ("username", "full_name", "is_active", "is_staff", "last_login")
    search_fields = ("username", "full_name", "email")
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("Personal info"), {"fields": ("full_name", "email")}),
        (_("Permissions"), {"fields": ("is_active", "is_staff", "is_superuser")}),
        (_("Important dates"), {"fields": ("last_login", "date_joined")}),
    )
    inlines = (RoleAssignmentInline,)

    def get_readonly_fields(self, request, obj=None):
        readonly = super().get_readonly_fields(request, obj)
        return (*readonly, *PRIVILEGE_FIELDS) if obj == request.user else readonly

    def user_change_password(self, request, id, form_url=""):
        if str(request.user.pk) == str(id):
            raise PermissionDenied  # one's own password: the password-change page, with the old one
        return super().user_change_password(request, id, form_url)


@admin.register(RoleAssignment)
class RoleAssignmentAdmin(AdministratorsOnly, SimpleHistoryAdmin):
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

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and (obj is None or obj.user_id != request.user.pk)

    def save_model(self, request, obj, form, change):
        if obj.user_id == request.user.pk:
            raise PermissionDenied  # nobody grants themselves a role
        super().save_model(request, obj, form, change)
