"""The consolidated report, a unit's own report, and the verification of a signed file."""

from django.urls import path

from reporting.report import verify_views, views

urlpatterns = [
    path("bao-cao/<int:year>/<int:month>/don-vi/<int:agency_pk>/in.<str:kind>", views.unit_report_file,
         name="unit_report"),
    path("bao-cao-tong-hop/<int:year>/<int:month>/", views.preview, name="report_preview"),
    path("bao-cao-tong-hop/<int:year>/<int:month>/du-thao.<str:kind>", views.draft_file, name="report_draft"),
    path("bao-cao-tong-hop/<int:year>/<int:month>/noi-dung/", views.edit_narrative, name="report_narrative"),
    path("bao-cao-tong-hop/<int:year>/<int:month>/ban-hanh/", views.finalise, name="report_finalise"),
    path("bao-cao-tong-hop/ban-hanh/<int:pk>/ky/", views.sign, name="report_sign"),
    path("bao-cao-tong-hop/ban-hanh/<int:pk>/tep/<str:kind>/", views.version_file, name="report_version_file"),
    path("xac-minh-chu-ky/", verify_views.verify, name="verify_signature"),
]
