from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


def in_language(arabic: str, english: str) -> str:
    """The English text when the interface is in English and one exists; Arabic otherwise."""
    if english and (get_language() or "ar").startswith("en"):
        return english
    return arabic


class BilingualName(models.Model):
    """An Arabic name (authoritative) and an English one shown when the interface is in English."""

    name_ar = models.CharField(_("Arabic name"), max_length=200)
    name_en = models.CharField(_("English name"), max_length=200, blank=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return in_language(self.name_ar, self.name_en)
