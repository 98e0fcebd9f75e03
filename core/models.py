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


class NumberSeries(models.Model):
    """The last number given in one series and year (a center's receipts, an issuer's permits, a
    register's letters): locked while a number is taken, so numbers are unique and gapless."""

    series = models.CharField(max_length=64)
    year = models.PositiveSmallIntegerField()
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["series", "year"], name="one_row_per_series_year")]

    def __str__(self) -> str:
        return f"{self.series}/{self.year}: {self.last_number}"


class ProtectedStateReload:
    """For models whose django-fsm ``state`` field is protected (only transitions change it): reloading
    assigns the field, which the protection refuses, so it is forgotten first."""

    def refresh_from_db(self, *args, **kwargs):
        fields = kwargs.get("fields")
        if fields is None or "state" in fields:
            self.__dict__.pop("state", None)
        super().refresh_from_db(*args, **kwargs)


class WrittenOnce:
    """For history rows: saved once, never edited (PostgreSQL also refuses UPDATE and DELETE on them)."""

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValueError("History rows are never edited.")
        super().save(*args, **kwargs)
