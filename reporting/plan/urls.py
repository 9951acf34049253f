"""Every page of the year's plan (/ke-hoach/)."""

from django.urls import path

from reporting.plan import views

urlpatterns = [
    path("ke-hoach/", views.plan_list, name="plan_list"),
    path("ke-hoach/<int:pk>/", views.plan_detail, name="plan_detail"),
    path("ke-hoach/<int:pk>/tien-do/", views.plan_board, name="plan_board"),
    path("ke-hoach/nap-excel/", views.plan_upload, name="plan_upload"),
    path("ke-hoach/nap-excel/tep-mau/", views.plan_template, name="plan_template"),
    path("ke-hoach/nap-excel/<int:pk>/", views.plan_import_preview, name="plan_import_preview"),
    path("ke-hoach/nap-excel/<int:pk>/xac-nhan/", views.plan_import_confirm, name="plan_import_confirm"),
    path("ke-hoach/nap-excel/<int:pk>/huy/", views.plan_import_cancel, name="plan_import_cancel"),
]
