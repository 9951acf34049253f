from django.contrib import admin

from models_pilot.resources import PilotModelResource
from reporting.admin import CatalogAdmin, CatalogExcelAdmin

from .models import ModelProgramme, PilotModel


@admin.register(ModelProgramme)
class ModelProgrammeAdmin(CatalogAdmin):
    list_display = ["code", "name", "declared_count"]


@admin.register(PilotModel)
class PilotModelAdmin(CatalogExcelAdmin):
    resource_classes = [PilotModelResource]
    list_display = ["code", "number", "name", "programme", "lead_agency", "is_active"]
    list_filter = ["programme", "is_active"]
    search_fields = ["code", "name"]
    autocomplete_fields = ["lead_agency"]
