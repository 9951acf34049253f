"""The agencies as an Excel sheet in the admin (format and round trip: ``reporting.catalog.resources``)."""

from reporting.catalog.resources import CatalogResource
from reporting.models import Agency


class AgencyResource(CatalogResource):
    class Meta(CatalogResource.Meta):
        model = Agency
        name = "Đơn vị"
        fields = ["code", "name", "short_name", "kind", "parent", "valid_from", "valid_to", "predecessors",
                  "is_reporting_unit", "aliases", "email", "phone", "source"]
