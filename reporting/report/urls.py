"""The consolidated report and its outline's editor, a unit's own report, and the verification of a signed file."""

from django.urls import path

from reporting.report import outline_views, signing_views, verify_views, views

urlpatterns = [
    path("bao-cao/<int:year>/<int:month>/don-vi/<int:agency_pk>/in.<str:kind>", views.unit_report_file,
         name="unit_report"),
    path("bao-cao-tong-hop/<int:year>/<int:month>/", views.preview, name="report_preview"),
    path("bao-cao-tong-hop/<int:year>/<int:month>/du-thao.<str:kind>", views.draft_file, name="report_draft"),
    path("bao-cao-tong-hop/<int:year>/<int:month>/noi-dung/", views.edit_narrative, name="report_narrative"),
    path("bao-cao-tong-hop/<int:year>/<int:month>/hoan-tat/", views.finalise, name="report_finalise"),
    path("bao-cao-tong-hop/ban-hanh/<int:pk>/ky/", signing_views.sign, name="report_sign"),
    path("bao-cao-tong-hop/ban-hanh/<int:pk>/ky-bang-cong-cu/", signing_views.sign_external, name="report_sign_external"),
    path("bao-cao-tong-hop/ban-hanh/<int:pk>/cap-so/", signing_views.issue_version, name="report_issue"),
    path("bao-cao-tong-hop/ban-hanh/<int:pk>/tep/<str:kind>/", views.version_file, name="report_version_file"),
    path("bao-cao-tong-hop/de-cuong/", outline_views.editor, name="outline_editor"),
    path("bao-cao-tong-hop/de-cuong/nap/", outline_views.upload, name="outline_upload"),
    path("bao-cao-tong-hop/de-cuong/tao/", outline_views.create, name="outline_create"),
    path("bao-cao-tong-hop/de-cuong/<int:pk>/de-cuong.json", outline_views.download, name="outline_download"),
    path("bao-cao-tong-hop/de-cuong/<int:pk>/them/", outline_views.add_last, name="outline_add_last"),
    path("bao-cao-tong-hop/de-cuong/muc/<int:pk>/sua/", outline_views.edit_item, name="outline_item_edit"),
    path("bao-cao-tong-hop/de-cuong/muc/<int:pk>/them-muc-con/", outline_views.add_child, name="outline_add_child"),
    path("bao-cao-tong-hop/de-cuong/muc/<int:pk>/them-muc-sau/", outline_views.add_after, name="outline_add_after"),
    path("bao-cao-tong-hop/de-cuong/muc/<int:pk>/len/", outline_views.move, {"step": -1}, name="outline_item_up"),
    path("bao-cao-tong-hop/de-cuong/muc/<int:pk>/xuong/", outline_views.move, {"step": 1}, name="outline_item_down"),
    path("bao-cao-tong-hop/de-cuong/muc/<int:pk>/xoa/", outline_views.delete, name="outline_item_delete"),
    path("xac-minh-chu-ky/", verify_views.verify, name="verify_signature"),
]
