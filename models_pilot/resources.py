"""The pilot models as an Excel sheet in the admin (format and round trip: ``reporting.catalog.resources``)."""

from models_pilot.models import PilotModel
from reporting.catalog.resources import CatalogResource


class PilotModelResource(CatalogResource):
    class Meta(CatalogResource.Meta):
        model = PilotModel
        name = "Mô hình điểm"
        fields = ["code", "programme", "number", "name", "group", "lead_agency", "is_active", "note", "source"]
