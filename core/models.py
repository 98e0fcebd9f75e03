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


class SiteIdentity(BilingualName):
    """Whose service this installation is, shown in every page's header: the governorate's name and its
    emblem, set by the administrator. One row (or none: the header then names the service alone)."""

    emblem = models.BinaryField(_("emblem (PNG)"), blank=True, default=b"", editable=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("site identity")
        verbose_name_plural = _("site identity")
        constraints = [models.CheckConstraint(condition=models.Q(pk=1), name="site_identity_single_row")]

    def save(self, *args, **kwargs):
        self.pk = 1
        super().save(*args, **kwargs)
