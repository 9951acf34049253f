from django.urls import path

from reporting.reminders import views

urlpatterns = [
    path("thong-bao/", views.notification_list, name="notifications"),
    path("thong-bao/<int:pk>/mo/", views.open_notification, name="open_notification"),
    path("thong-bao/da-doc-het/", views.mark_all_read, name="mark_all_read"),
    path("tong-hop/<int:year>/<int:month>/nhac/", views.remind, name="remind_pending"),
]
