from django.contrib import admin


class CatalogAdminSite(admin.AdminSite):
    """The admin is where PC06 completes catalogs and administrators manage accounts.

    Access is decided by the user's role (reporting.access), not by Django's
    is_staff flag alone, so that a unit officer can never reach it.
    """

    site_header = "Quản trị danh mục Đề án 06"
    site_title = "Đề án 06"
    index_title = "Danh mục và tài khoản"

    def has_permission(self, request):
        from reporting.access import can_use_admin

        return can_use_admin(request.user)
