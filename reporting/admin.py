from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin

from . import access
from .models import Agency, ReportingPeriod, ReportingSchedule, User


class CatalogPermissions:
    """Catalogs are completed by PC06 and administrators; everyone else never gets here.

    Shared by model admins and their inlines: an inline without it would fall back to
    Django's per-model permissions and silently drop the inline's rows from the form.
    """

    def has_view_permission(self, request, obj=None):
        return access.can_edit_catalogs(request.user)

    has_module_permission = has_add_permission = has_change_permission = has_delete_permission = has_view_permission


class CatalogAdmin(CatalogPermissions, admin.ModelAdmin):
    pass


class CatalogInline(CatalogPermissions, admin.TabularInline):
    extra = 0


@admin.register(Agency)
class AgencyAdmin(CatalogAdmin):
    list_display = ["code", "name", "kind", "parent", "valid_from", "valid_to", "is_reporting_unit"]
    list_filter = ["kind", "is_reporting_unit"]
    search_fields = ["code", "name", "short_name", "aliases"]
    list_select_related = ["parent"]
    autocomplete_fields = ["parent", "predecessors"]


@admin.register(ReportingSchedule)
class ReportingScheduleAdmin(CatalogAdmin):
    list_display = ["name", "window_start_day", "deadline_day"]


@admin.register(ReportingPeriod)
class ReportingPeriodAdmin(CatalogAdmin):
    list_display = ["label", "schedule", "window_start", "window_end", "deadline", "status"]
    list_filter = ["status", "year"]


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    list_display = ["username", "get_full_name", "role", "agency", "is_active"]
    list_filter = ["role", "is_active"]
    list_select_related = ["agency"]
    autocomplete_fields = ["agency"]
    fieldsets = DjangoUserAdmin.fieldsets[:2] + (
        ("Vai trò và đơn vị", {"fields": ("role", "agency", "title", "phone")}),
        ("Trạng thái", {"fields": ("is_active", "last_login", "date_joined")}),
    )
    add_fieldsets = DjangoUserAdmin.add_fieldsets + (("Vai trò và đơn vị", {"fields": ("role", "agency")}),)

    def has_view_permission(self, request, obj=None):
        return access.can_manage_accounts(request.user)

    has_module_permission = has_add_permission = has_change_permission = has_delete_permission = has_view_permission
