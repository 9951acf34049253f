from django import forms
from django.contrib import admin

from indicators.resources import IndicatorResource, ServiceResource
from reporting.admin import CatalogAdmin, CatalogExcelAdmin, CatalogInline

from .models import Indicator, Plan, PlanTarget, PlanTask, PlanTaskGroup, PlanTaskUnit, Service, ServiceList, TaskRole


@admin.register(ServiceList)
class ServiceListAdmin(CatalogAdmin):
    list_display = ["code", "name", "declared_count"]


@admin.register(Service)
class ServiceAdmin(CatalogExcelAdmin):
    resource_classes = [ServiceResource]
    list_display = ["code", "name", "service_list", "measures", "is_bundle", "sector", "is_active"]
    list_filter = ["service_list", "measures", "is_bundle", "sector", "is_active"]
    search_fields = ["code", "name", "aliases"]
    filter_horizontal = ["reporter_agencies"]


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
