from django.urls import path

from reporting.operations import views

urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
]
