"""Excel in (a unit's template, PC06's history workbook, each previewed before it is applied) and out."""

from django.urls import path

from reporting.excel import export_views, import_views

urlpatterns = [
    path("bao-cao/<int:year>/<int:month>/don-vi/<int:agency_pk>/bieu-mau-excel/", import_views.download_template,
         name="download_template"),
    path("bao-cao/<int:year>/<int:month>/don-vi/<int:agency_pk>/nhap-excel/", import_views.upload_template,
         name="upload_template"),
    path("nhap-lich-su/", import_views.history_import, name="history_import"),
    path("nhap-lich-su/tep-mau/", import_views.history_template, name="history_template"),
    path("nhap-excel/<int:pk>/", import_views.import_preview, name="import_preview"),
    path("nhap-excel/<int:pk>/xac-nhan/", import_views.import_confirm, name="import_confirm"),
    path("nhap-excel/<int:pk>/huy/", import_views.import_cancel, name="import_cancel"),
    path("bao-cao/<int:year>/<int:month>/xuat-excel/", export_views.export_period, name="export_period"),
    path("don-vi/<int:pk>/chuoi-so-lieu/", export_views.export_unit_series, name="export_unit_series"),
    path("tong-hop/chuoi-so-lieu/", export_views.export_city_series, name="export_city_series"),
]
