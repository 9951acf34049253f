"""The services and indicators as Excel sheets in the admin (format and round trip: ``reporting.catalog.resources``)."""

from indicators.models import Indicator, Service
from reporting.catalog.resources import CatalogResource


class ServiceResource(CatalogResource):
    class Meta(CatalogResource.Meta):
        model = Service
        name = "Dịch vụ công thiết yếu"
        fields = ["code", "name", "service_list", "measures", "is_bundle", "sector", "count_unit",
                  "reporter_agencies", "reporter_kind", "aliases", "order", "is_active", "source"]


class IndicatorResource(CatalogResource):
    class Meta(CatalogResource.Meta):
        model = Indicator
        name = "Chỉ số"
        fields = ["code", "name", "unit", "kind", "aggregation", "numerator", "denominator", "parent",
                  "report_section", "on_dashboard", "reporter_agencies", "reporter_kind", "order", "is_active",
                  "source"]
