"""The approved figures kept added up, cell by cell, for the whole city; and each unit's share measures.

Reading a consolidated figure once meant adding every approved unit's cell at
each request: at some thousands of units, a dashboard's twelve months took
seconds. ``CityTotal`` holds the sums instead, changed in the transaction that
approves or reopens a month (``reporting.figures.totals``), so that a reader
never sees a month counted twice or not at all.

A unit's own cells need no copy (one row each, already). What does is a share
measure over every service (online ÷ received…), which counts only the
services whose pair the unit reported: ``UnitTotal`` keeps it per approved
submission, for the rankings of thousands of units and the trend of a group
of them (which adds its units' cells and these rows).

The columns are what consolidation reads of a cell (``consolidation.Coverage``):
its total and how many units gave a number, said "không phát sinh", or gave none.
"""

from django.db import models
from django.db.models import Q

from reporting.models.organisation import Agency, ReportingPeriod
from reporting.models.submissions import Submission


class Totals(models.Model):
    key = models.CharField("ô số liệu", max_length=120)
    total = models.DecimalField("tổng", max_digits=24, decimal_places=4, default=0)
    numbers = models.IntegerField("số đơn vị có số", default=0)
    none = models.IntegerField("số đơn vị không phát sinh", default=0)
    unknown = models.IntegerField("số đơn vị chưa có số liệu", default=0)

    class Meta:
        abstract = True


COUNTS_NOT_NEGATIVE = Q(numbers__gte=0, none__gte=0, unknown__gte=0)


class UnitTotal(Totals):
    """One approved submission's measure over every service (``cells.all_services_key``): its services whose
    pair the unit reported, added up; the unit counted once, as having a number, only "không phát sinh", or
    no pair known."""

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="totals")
    # The submission's month and unit, copied (a submission never changes either): the dashboard reads a
    # month's rows of thousands of units by the month's index, not by joining every month's submissions.
    period = models.ForeignKey(ReportingPeriod, on_delete=models.CASCADE, related_name="+")
    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="+")

    class Meta:
        verbose_name = verbose_name_plural = "tỷ lệ trên mọi dịch vụ của đơn vị (tổng hợp sẵn)"
        constraints = [
            models.UniqueConstraint(fields=["submission", "key"], name="one_total_per_submission_and_cell"),
            models.CheckConstraint(condition=COUNTS_NOT_NEGATIVE, name="unit_total_counts_not_negative"),
        ]


class CityTotal(Totals):
    """The sum of every approved unit's ``UnitTotal`` of a month and cell."""

    period = models.ForeignKey(ReportingPeriod, on_delete=models.CASCADE, related_name="+")

    class Meta:
        verbose_name = verbose_name_plural = "số liệu đã duyệt của thành phố (tổng hợp sẵn)"
        constraints = [
            models.UniqueConstraint(fields=["period", "key"], name="one_city_total_per_period_and_cell"),
            models.CheckConstraint(condition=COUNTS_NOT_NEGATIVE, name="city_total_counts_not_negative"),
        ]
