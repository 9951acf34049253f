"""The agency catalog's pages."""

from django.urls import path

from reporting.units import views

urlpatterns = [
    path("don-vi/", views.agency_list, name="agency_list"),
    path("don-vi/<int:pk>/", views.agency_detail, name="agency_detail"),
    path("don-vi/<int:pk>/sua/", views.agency_edit, name="agency_edit"),
    path("don-vi/<int:pk>/chuyen-tai-khoan/", views.move_accounts, name="move_accounts"),
]
