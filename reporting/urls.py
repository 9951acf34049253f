"""Every page of the app, gathered from the feature packages (each owns its own paths)."""

from django.urls import include, path

urlpatterns = [
    path("", include("reporting.units.urls")),
    path("", include("reporting.operations.urls")),
    path("", include("reporting.reminders.urls")),
    path("", include("reporting.submissions.urls")),
    path("", include("reporting.excel.urls")),
    path("", include("reporting.report.urls")),
    path("", include("reporting.dashboard.urls")),
    path("", include("reporting.plan.urls")),
]
