"""The month's work: a unit's entry page, its history and evidence; PC06's review board."""

from django.urls import path

from reporting.submissions import signoff, views

urlpatterns = [
    path("", views.home, name="home"),
    path("bao-cao/", views.my_report, name="my_report"),
    path("bao-cao/don-vi/<int:agency_pk>/cac-thang/", views.months_list, name="unit_months"),
    path("bao-cao/<int:year>/<int:month>/don-vi/<int:agency_pk>/", views.entry_page, name="entry"),
    path("bao-cao/<int:year>/<int:month>/don-vi/<int:agency_pk>/lich-su/", views.history, name="history"),
    path("bao-cao/<int:pk>/xu-ly/<slug:action>/", views.review, name="review"),
    path("bao-cao/<int:pk>/lanh-dao-don-vi/<slug:action>/", signoff.sign_off, name="sign_off"),
    path("bao-cao/<int:pk>/minh-chung/", views.upload_evidence, name="upload_evidence"),
    path("minh-chung/<int:pk>/", views.download_evidence, name="download_evidence"),
    path("minh-chung/<int:pk>/xoa/", views.delete_evidence, name="delete_evidence"),
    path("tong-hop/", views.current_board, name="current_board"),
    path("tong-hop/<int:year>/<int:month>/", views.board, name="board"),
]
