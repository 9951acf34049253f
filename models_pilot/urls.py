from django.urls import path

from . import views

urlpatterns = [
    path("danh-muc/mo-hinh-diem/", views.model_list, name="model_list"),
]
