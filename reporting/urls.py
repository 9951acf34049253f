from django.urls import path

from . import dashboard_views, export_views, import_views, notification_views, plan_views, submission_views, views
from .report import verify_views
from .report import views as report_views

urlpatterns = [
    path("", views.home, name="home"),
    path("don-vi/", views.agency_list, name="agency_list"),
    path("don-vi/<int:pk>/", views.agency_detail, name="agency_detail"),
    path("don-vi/<int:pk>/sua/", views.agency_edit, name="agency_edit"),
    path("healthz", views.healthz, name="healthz"),
    path("thong-bao/", notification_views.notification_list, name="notifications"),
    path("thong-bao/<int:pk>/mo/", notification_views.open_notification, name="open_notification"),
    path("thong-bao/da-doc-het/", notification_views.mark_all_read, name="mark_all_read"),
    # The month's work
    path("bao-cao/", submission_views.my_report, name="my_report"),
    path("bao-cao/<int:year>/<int:month>/don-vi/<int:agency_pk>/", submission_views.entry_page, name="entry"),
    path("bao-cao/<int:year>/<int:month>/don-vi/<int:agency_pk>/lich-su/", submission_views.history, name="history"),
    path("bao-cao/<int:year>/<int:month>/don-vi/<int:agency_pk>/in.<str:kind>", report_views.unit_report_file,
         name="unit_report"),
    path("bao-cao/<int:pk>/xu-ly/<slug:action>/", submission_views.review, name="review"),
    path("bao-cao/<int:pk>/minh-chung/", submission_views.upload_evidence, name="upload_evidence"),
    path("minh-chung/<int:pk>/", submission_views.download_evidence, name="download_evidence"),
    path("minh-chung/<int:pk>/xoa/", submission_views.delete_evidence, name="delete_evidence"),
    # Excel in: a unit's template, PC06's history workbook, each previewed before it is applied
    path("bao-cao/<int:year>/<int:month>/don-vi/<int:agency_pk>/bieu-mau-excel/", import_views.download_template,
         name="download_template"),
    path("bao-cao/<int:year>/<int:month>/don-vi/<int:agency_pk>/nhap-excel/", import_views.upload_template,
         name="upload_template"),
    path("nhap-lich-su/", import_views.history_import, name="history_import"),
    path("nhap-lich-su/tep-mau/", import_views.history_template, name="history_template"),
    path("nhap-excel/<int:pk>/", import_views.import_preview, name="import_preview"),
    path("nhap-excel/<int:pk>/xac-nhan/", import_views.import_confirm, name="import_confirm"),
    path("nhap-excel/<int:pk>/huy/", import_views.import_cancel, name="import_cancel"),
    path("tong-hop/", submission_views.current_board, name="current_board"),
    path("tong-hop/<int:year>/<int:month>/", submission_views.board, name="board"),
    # Excel exports
    path("bao-cao/<int:year>/<int:month>/xuat-excel/", export_views.export_period, name="export_period"),
    path("don-vi/<int:pk>/chuoi-so-lieu/", export_views.export_unit_series, name="export_unit_series"),
    path("tong-hop/chuoi-so-lieu/", export_views.export_city_series, name="export_city_series"),
    # The consolidated report
    path("bao-cao-tong-hop/<int:year>/<int:month>/", report_views.preview, name="report_preview"),
    path("bao-cao-tong-hop/<int:year>/<int:month>/du-thao.<str:kind>", report_views.draft_file, name="report_draft"),
    path("bao-cao-tong-hop/<int:year>/<int:month>/noi-dung/", report_views.edit_narrative, name="report_narrative"),
    path("bao-cao-tong-hop/<int:year>/<int:month>/ban-hanh/", report_views.finalise, name="report_finalise"),
    path("bao-cao-tong-hop/ban-hanh/<int:pk>/ky/", report_views.sign, name="report_sign"),
    path("bao-cao-tong-hop/ban-hanh/<int:pk>/tep/<str:kind>/", report_views.version_file, name="report_version_file"),
    # The leadership dashboard
    path("dieu-hanh/", dashboard_views.dashboard_home, name="dashboard_home"),
    path("dieu-hanh/<int:year>/<int:month>/", dashboard_views.dashboard_page, name="dashboard"),
    path("dieu-hanh/<int:year>/<int:month>/xuat-excel/", dashboard_views.dashboard_xlsx, name="dashboard_xlsx"),
    # The plan's progress
    path("ke-hoach/<int:pk>/tien-do/", plan_views.plan_board, name="plan_board"),
    path("ke-hoach/nap-excel/", plan_views.plan_upload, name="plan_upload"),
    path("ke-hoach/nap-excel/tep-mau/", plan_views.plan_template, name="plan_template"),
    path("ke-hoach/nap-excel/<int:pk>/", plan_views.plan_import_preview, name="plan_import_preview"),
    path("ke-hoach/nap-excel/<int:pk>/xac-nhan/", plan_views.plan_import_confirm, name="plan_import_confirm"),
    path("ke-hoach/nap-excel/<int:pk>/huy/", plan_views.plan_import_cancel, name="plan_import_cancel"),
    # Signatures
    path("xac-minh-chu-ky/", verify_views.verify, name="verify_signature"),
]
