"""Escalations: a late clock of any kind of tracked work climbing the ladder."""

from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _


class EscalationLevel(models.IntegerChoices):
    DEPARTMENT_HEAD = 1, _("Department head")
    CENTER_MANAGER = 2, _("Center manager")
    GOVERNORATE = 3, _("Governorate")


class Escalation(models.Model):
    """One level of the ladder reached by one late clock (a request's step, a complaint …): department
    head, then center manager, then the governorate. Recorded once per clock and level, whatever the
    number of sweeps. The tracked model reaches its escalations through a GenericRelation."""

    Level = EscalationLevel

    subject_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    subject_id = models.PositiveBigIntegerField()
    subject = GenericForeignKey("subject_type", "subject_id")
    level = models.PositiveSmallIntegerField(_("level"), choices=EscalationLevel.choices)
    created_at = models.DateTimeField(_("escalated at"))

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("escalation")
        verbose_name_plural = _("escalations")
        constraints = [
            models.UniqueConstraint(
                fields=["subject_type", "subject_id", "level"], name="one_escalation_per_clock_level"
            )
        ]
        indexes = [models.Index(fields=["level", "created_at"], name="escalation_level_recent")]

    def __str__(self) -> str:
        return f"{self.subject_type_id}:{self.subject_id} L{self.level}"
