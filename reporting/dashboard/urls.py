from django.urls import path

from reporting.dashboard import views

urlpatterns = [
    path("dieu-hanh/", views.dashboard_home, name="dashboard_home"),
    path("dieu-hanh/<int:year>/<int:month>/", views.dashboard_page, name="dashboard"),
    path("dieu-hanh/<int:year>/<int:month>/xuat-excel/", views.dashboard_xlsx, name="dashboard_xlsx"),
    path("dieu-hanh/<int:year>/<int:month>/ban-in/", views.dashboard_print, name="dashboard_print"),
]
