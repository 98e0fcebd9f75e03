"""Roll-ups: what the dashboards read instead of the requests table. Each row holds one day's flows for
one center and one service, so a dashboard's cost grows with centers × services × days, never with the
number of requests. ``reports.rollups`` keeps them current in each event's own transaction and rebuilds
them from the requests alone."""

from django.db import models


class RequestDay(models.Model):
    """The requests of one center and service that were received, decided, delivered or cancelled on
    ``day`` (Cairo date of the act), and the fees taken with those received."""

    day = models.DateField()
    center = models.ForeignKey("organisation.Center", on_delete=models.CASCADE, related_name="+")
    service = models.ForeignKey("services.Service", on_delete=models.CASCADE, related_name="+")
    received = models.PositiveIntegerField(default=0)
    approved = models.PositiveIntegerField(default=0)
    rejected = models.PositiveIntegerField(default=0)
    decided_on_time = models.PositiveIntegerField(default=0)
    delivered = models.PositiveIntegerField(default=0)
    cancelled = models.PositiveIntegerField(default=0)
    # Sum of the decided requests' working days (submission to decision, net of the citizen's time).
    working_days = models.PositiveBigIntegerField(default=0)
    fees = models.DecimalField(max_digits=14, decimal_places=2, default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["day", "center", "service"], name="one_request_day_row"),
        ]
        indexes = [models.Index(fields=["center", "day"], name="request_day_center")]

    def __str__(self) -> str:
        return f"{self.day} {self.center_id}/{self.service_id}"


class RequestDayDuration(models.Model):
    """How many of a day's decisions (one center, one service) took exactly ``working_days``: the
    histogram that medians and percentiles need."""

    day = models.DateField()
    center = models.ForeignKey("organisation.Center", on_delete=models.CASCADE, related_name="+")
    service = models.ForeignKey("services.Service", on_delete=models.CASCADE, related_name="+")
    working_days = models.PositiveSmallIntegerField()
    decided = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["day", "center", "service", "working_days"], name="one_request_duration_row"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.center_id}/{self.service_id}: {self.working_days} d × {self.decided}"


class FeeDay(models.Model):
    """Fees taken at the windows on ``day``: per center, service, fee item and way of payment — the
    treasury's figures and a center's daily cash sheet."""

    day = models.DateField()
    center = models.ForeignKey("organisation.Center", on_delete=models.CASCADE, related_name="+")
    service = models.ForeignKey("services.Service", on_delete=models.CASCADE, related_name="+")
    fee_name_ar = models.CharField(max_length=200)
    payment_method = models.CharField(max_length=12)
    count = models.PositiveIntegerField(default=0)
    amount = models.DecimalField(max_digits=14, decimal_places=2, default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["day", "center", "service", "fee_name_ar", "payment_method"], name="one_fee_day_row"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.center_id}/{self.service_id} {self.fee_name_ar}: {self.amount}"
