from django import forms
from django.contrib import admin

from indicators.resources import IndicatorResource, ServiceResource
from reporting.admin import CatalogAdmin, CatalogExcelAdmin, CatalogInline

from .models import (
    Indicator,
    Measure,
    Plan,
    PlanTarget,
    PlanTask,
    PlanTaskGroup,
    PlanTaskUnit,
    Service,
    ServiceList,
    TaskRole,
    owner_problem,
)


@admin.register(ServiceList)
class ServiceListAdmin(CatalogAdmin):
    list_display = ["code", "name", "declared_count"]


@admin.register(Measure)
class MeasureAdmin(CatalogAdmin):
    list_display = ["code", "label", "part_of", "cumulative", "order", "definition"]
    list_filter = ["cumulative"]
    list_select_related = ["part_of"]
    search_fields = ["code", "label", "definition"]
    autocomplete_fields = ["part_of"]

    def has_delete_permission(self, request, obj=None):
        # Deleting it would silently drop it from the services that report it, and their values from the sheets.
        return super().has_delete_permission(request, obj) and not (obj and obj.services.exists())

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)    # one by one, so that a measure in use is never deleted
        return actions


NO_MEASURE = "Dịch vụ phải có ít nhất một chỉ tiêu báo cáo (ví dụ: Tiếp nhận, hoặc Số lượng)."


class ServiceForm(forms.ModelForm):
    class Meta:
        model = Service
        fields = "__all__"
        error_messages = {"measures": {"required": NO_MEASURE}}

    def clean(self):
        cleaned = super().clean()
        # The units as chosen on the form, not as stored: the model's own guard sees them only once saved.
        if "reporter_agencies" in cleaned:
            problem = owner_problem(cleaned.get("code") or self.instance.code, cleaned["reporter_agencies"],
                                    is_shared_total=cleaned.get("is_shared_total", False))
            if problem:
                self.add_error("reporter_agencies", problem)
        return cleaned


@admin.register(Service)
class ServiceAdmin(CatalogExcelAdmin):
    form = ServiceForm
    resource_classes = [ServiceResource]
    list_display = ["code", "name", "service_list", "measure_labels", "is_bundle", "sector", "portal_connection",
                    "is_shared_total", "is_active"]
    list_filter = ["service_list", "measures", "is_bundle", "sector", "portal_connection", "is_shared_total",
                   "is_active"]
    search_fields = ["code", "name", "aliases"]
    filter_horizontal = ["measures", "reporter_agencies"]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("measures")

    @admin.display(description="chỉ tiêu báo cáo")
    def measure_labels(self, service):
        return ", ".join(measure.label for measure in service.measures.all())


@admin.register(Indicator)
class IndicatorAdmin(CatalogExcelAdmin):
    resource_classes = [IndicatorResource]
    list_display = ["code", "name", "unit", "kind", "aggregation", "report_section", "on_dashboard", "is_active"]
    list_filter = ["kind", "aggregation", "report_section", "on_dashboard", "is_active"]
    search_fields = ["code", "name"]
    autocomplete_fields = ["numerator", "denominator", "parent"]
    filter_horizontal = ["reporter_agencies"]


class PlanTargetInline(CatalogInline):
    model = PlanTarget
    autocomplete_fields = ["indicator"]


class PlanTaskGroupInline(CatalogInline):
    model = PlanTaskGroup


@admin.register(Plan)
class PlanAdmin(CatalogAdmin):
    list_display = ["number", "year", "issued_on", "declared_task_count"]
    inlines = [PlanTaskGroupInline, PlanTargetInline]


class LeadUnitRequired(forms.BaseInlineFormSet):
    """A task whose printed text names a lead unit must keep at least one resolved lead unit."""

    def clean(self):
        super().clean()
        if not self.instance.lead_text.strip():
            return
        leads = [
            form for form in self.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE") and form.cleaned_data.get("role") == TaskRole.LEAD
        ]
        if not leads:
            raise forms.ValidationError("Nhiệm vụ phải có ít nhất một đơn vị chủ trì (văn bản có ghi đơn vị chủ trì).")


class PlanTaskUnitInline(CatalogInline):
    model = PlanTaskUnit
    formset = LeadUnitRequired
    autocomplete_fields = ["agency"]


@admin.register(PlanTask)
class PlanTaskAdmin(CatalogAdmin):
    list_display = ["number", "short_content", "group", "deadline_text", "due_date", "deadline_kind"]
    list_filter = ["plan", "group", "deadline_kind"]
    search_fields = ["number", "content", "lead_text"]
    readonly_fields = ["deadline_kind", "due_date", "is_recurring"]
    inlines = [PlanTaskUnitInline]

    @admin.display(description="nội dung")
    def short_content(self, task):
        return task.content[:90]
