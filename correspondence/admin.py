"""Administrators keep the directory of outside bodies and the letter categories; letters themselves
are registered on the registry pages, never edited here."""

from django.contrib import admin

from correspondence.models import LetterCategory, OutsideBody


@admin.register(OutsideBody)
class OutsideBodyAdmin(admin.ModelAdmin):
    list_display = ("name_ar", "name_en", "is_active")
    list_filter = ("is_active",)
    search_fields = ("name_ar", "name_en")


@admin.register(LetterCategory)
class LetterCategoryAdmin(admin.ModelAdmin):
    list_display = ("code", "name_ar", "name_en", "is_active")
    list_filter = ("is_active",)
    search_fields = ("code", "name_ar", "name_en")
