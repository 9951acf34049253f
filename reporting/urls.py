from django.urls import path

from . import submission_views, views

urlpatterns = [
    path("", views.home, name="home"),
    path("don-vi/", views.agency_list, name="agency_list"),
    path("don-vi/<int:pk>/", views.agency_detail, name="agency_detail"),
    path("don-vi/<int:pk>/sua/", views.agency_edit, name="agency_edit"),
    path("healthz", views.healthz, name="healthz"),
    # The month's work
    path("bao-cao/", submission_views.my_report, name="my_report"),
    path("bao-cao/<int:year>/<int:month>/don-vi/<int:agency_pk>/", submission_views.entry_page, name="entry"),
    path("bao-cao/<int:year>/<int:month>/don-vi/<int:agency_pk>/lich-su/", submission_views.history, name="history"),
    path("bao-cao/<int:pk>/xu-ly/<slug:action>/", submission_views.review, name="review"),
    path("bao-cao/<int:pk>/minh-chung/", submission_views.upload_evidence, name="upload_evidence"),
    path("minh-chung/<int:pk>/", submission_views.download_evidence, name="download_evidence"),
    path("minh-chung/<int:pk>/xoa/", submission_views.delete_evidence, name="delete_evidence"),
    path("tong-hop/", submission_views.current_board, name="current_board"),
    path("tong-hop/<int:year>/<int:month>/", submission_views.board, name="board"),
]
