from django.urls import path

from . import views

urlpatterns = [
    path("danh-muc/dich-vu-cong/", views.service_list, name="service_list"),
    path("danh-muc/chi-so/", views.indicator_list, name="indicator_list"),
]
