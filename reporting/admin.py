from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.urls import reverse
from import_export.admin import ExportMixin, ImportExportMixin
from import_export.forms import ImportForm
from import_export.results import RowResult

from reporting import access
from reporting.catalog.resources import CatalogXLSX
from reporting.excel import workbooks
from reporting.models import (
    Agency,
    ApprovalChain,
    Delivery,
    ReminderClaim,
    ReminderRule,
    ReportingPeriod,
    ReportingSchedule,
    ReportSettings,
    Succession,
    UnitSignature,
    User,
    ValueChange,
)
from reporting.submissions.audit import ValueChangeResource
from reporting.units.resources import AgencyResource


class CatalogPermissions:
    """Catalogs are completed by PC06 and administrators; everyone else never gets here.

    Shared by model admins and their inlines: an inline without it would fall back to
    Django's per-model permissions and silently drop the inline's rows from the form.
    """

    def has_view_permission(self, request, obj=None):
        return access.can_edit_catalogs(request.user)

    has_module_permission = has_add_permission = has_change_permission = has_delete_permission = has_view_permission

    def has_import_permission(self, request):
        # An import changes the catalog, so it is the same right as editing it.
        return access.can_edit_catalogs(request.user)

    def has_export_permission(self, request):
        # An export only reads: whoever may open the page may take it away in Excel.
        return self.has_view_permission(request)


class CatalogAdmin(CatalogPermissions, admin.ModelAdmin):
    pass


class CatalogImportForm(ImportForm):
    """import-export's upload form in Vietnamese, refusing a file that is not a safe .xlsx before it is stored."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["import_file"].label = "Tệp Excel (.xlsx)"
        self.fields["format"].label = "Định dạng"

    def clean_import_file(self):
        upload = self.cleaned_data["import_file"]
        workbooks.read_upload(upload)
        upload.seek(0)
        return upload


class CatalogExcelAdmin(CatalogPermissions, ImportExportMixin, admin.ModelAdmin):
    """A catalog PC06 may also complete in Excel: export it, add and correct rows, import it back.

    CatalogPermissions comes first so that its import/export rules win over import-export's.
    The import is previewed (nothing saved), then confirmed; a file with any bad row is refused whole.
    """

    formats = [CatalogXLSX]
    import_form_class = CatalogImportForm

    def get_data_for_export(self, request, queryset, **kwargs):
        # Real dates, numbers and booleans in the cells (import-export only does so for its own XLSX class).
        return super().get_data_for_export(request, queryset, **{**kwargs, "force_native_type": True})

    def get_import_data_kwargs(self, **kwargs):
        # The confirm step reads the file again; if a row fails now (the catalog changed since the
        # preview), roll everything back rather than keep the other rows, as import-export would.
        return {**super().get_import_data_kwargs(**kwargs), "rollback_on_validation_errors": True}

    def add_data_read_fail_error_to_form(self, form, error):
        if isinstance(error, ValidationError):  # our own Vietnamese reason (a formula, a damaged file)
            form.add_error("import_file", error)
        else:
            super().add_data_read_fail_error_to_form(form, error)

    def process_result(self, result, request):
        if result.has_errors() or result.has_validation_errors():
            messages.error(request, "Không nhập được tệp: có dòng không hợp lệ nên không dòng nào được lưu. "
                                    "Hãy tải tệp lên lại để xem lỗi.")
            return HttpResponseRedirect(reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_import"))
        return super().process_result(result, request)

    def add_success_message(self, result, request):
        totals = result.totals
        messages.success(request, f"Đã nhập {self.opts.verbose_name_plural}: {totals[RowResult.IMPORT_TYPE_NEW]} "
                                  f"thêm mới, {totals[RowResult.IMPORT_TYPE_UPDATE]} cập nhật, "
                                  f"{totals[RowResult.IMPORT_TYPE_SKIP]} không thay đổi.")


class CatalogInline(CatalogPermissions, admin.TabularInline):
    extra = 0


class SuccessionInline(CatalogInline):
    model = Succession
    fk_name = "successor"
    autocomplete_fields = ["predecessor"]
    verbose_name = "đơn vị tiền thân"
    verbose_name_plural = "đơn vị tiền thân (được sáp nhập, chia tách thành đơn vị này)"


@admin.register(Agency)
class AgencyAdmin(CatalogExcelAdmin):
    resource_classes = [AgencyResource]
    list_display = ["code", "name", "kind", "parent", "valid_from", "valid_to", "is_reporting_unit"]
    list_filter = ["kind", "is_reporting_unit"]
    search_fields = ["code", "name", "short_name", "aliases"]
    list_select_related = ["parent"]
    autocomplete_fields = ["parent"]
    inlines = [SuccessionInline]


@admin.register(ReportingSchedule)
class ReportingScheduleAdmin(CatalogAdmin):
    list_display = ["name", "window_start_day", "deadline_day", "first_month"]


@admin.register(ReportingPeriod)
class ReportingPeriodAdmin(CatalogAdmin):
    """A month's window and deadline are computed from its schedule; PC06 may only shift them within the rules."""

    list_display = ["label", "schedule", "window_start", "window_end", "deadline", "status"]
    list_filter = ["status", "year"]
    COMPUTED = ["window_start", "window_end", "deadline"]

    def get_fields(self, request, obj=None):
        fields = super().get_fields(request, obj)
        return fields if obj else [field for field in fields if field not in self.COMPUTED]

    def get_readonly_fields(self, request, obj=None):
        # A period is its month: another month is another period, never this one renamed.
        return ["schedule", "year", "month"] if obj else []


class UnitSignatureInline(CatalogInline):
    model = UnitSignature
    extra = 0


@admin.register(ReportSettings)
class ReportSettingsAdmin(CatalogAdmin):
    """Header, legal bases, recipients and signer of the consolidated report: PC06 keeps them current."""

    list_display = ["schedule", "place", "signature_below"]
    inlines = [UnitSignatureInline]


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    list_display = ["username", "get_full_name", "role", "agency", "is_active"]
    list_filter = ["role", "is_active"]
    list_select_related = ["agency"]
    autocomplete_fields = ["agency"]
    fieldsets = DjangoUserAdmin.fieldsets[:2] + (
        ("Vai trò và đơn vị", {"fields": ("role", "agency", "title", "phone", "records_office")}),
        ("Trạng thái", {"fields": ("is_active", "last_login", "date_joined")}),
    )
    add_fieldsets = DjangoUserAdmin.add_fieldsets + (("Vai trò và đơn vị", {"fields": ("role", "agency")}),)

    def has_view_permission(self, request, obj=None):
        return access.can_manage_accounts(request.user)

    has_module_permission = has_add_permission = has_change_permission = has_delete_permission = has_view_permission


@admin.register(ApprovalChain)
class ApprovalChainAdmin(CatalogAdmin):
    """Whether a kind of unit has its head review the month before PC06 gets it: PC06's choice, per kind."""

    list_display = ["kind", "head_reviews"]
    list_editable = ["head_reviews"]


# --- reminders: the rules are PC06's data; what was sent is a read-only log ----------------------------


@admin.register(ReminderRule)
class ReminderRuleAdmin(CatalogAdmin):
    list_display = ["name", "kind", "day_offset", "time_of_day", "channels", "recipient_roles", "is_active"]
    list_filter = ["kind", "is_active"]


class ReadOnly:
    """A record of what happened: PC06 reads it, nobody edits it. Comes before CatalogPermissions."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyLogAdmin(ReadOnly, CatalogPermissions, admin.ModelAdmin):
    pass


@admin.register(Delivery)
class DeliveryAdmin(ReadOnlyLogAdmin):
    list_display = ["claim_subject", "channel", "recipient", "address", "status", "attempts", "sent_at", "last_error"]
    list_filter = ["status", "channel", "claim__rule"]
    list_select_related = ["claim", "recipient"]
    search_fields = ["address", "recipient__username", "claim__subject", "claim__target"]
    date_hierarchy = "updated_at"

    @admin.display(description="tiêu đề", ordering="claim__subject")
    def claim_subject(self, delivery):
        return delivery.claim.subject


@admin.register(ReminderClaim)
class ReminderClaimAdmin(ReadOnlyLogAdmin):
    list_display = ["subject", "target", "occasion", "rule", "claimed_at"]
    list_filter = ["rule", "period"]
    list_select_related = ["rule"]
    search_fields = ["subject", "target"]


@admin.register(ValueChange)
class ValueChangeAdmin(ReadOnly, CatalogPermissions, ExportMixin, admin.ModelAdmin):
    """The audit log of every reported value (who, when, old, new): read, filtered and exported to .xlsx."""

    resource_classes = [ValueChangeResource]
    formats = [CatalogXLSX]
    list_display = ["changed_at", "changed_by", "submission", "key", "old_value", "new_value", "source"]
    list_filter = ["source", "submission__period", "submission__agency__kind"]
    list_select_related = ["changed_by", "submission__agency", "submission__period"]
    search_fields = ["key", "submission__agency__name", "changed_by__username"]
    date_hierarchy = "changed_at"
