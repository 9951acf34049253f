"""The services and indicators as Excel sheets in the admin (format and round trip: ``reporting.catalog.resources``)."""

from indicators.models import Indicator, Measure, Service
from reporting.catalog.resources import CatalogResource, CodesWidget

# As in fixtures/services.csv: "received|online|resolved|on_time".
MEASURE_SEPARATOR = "|"


class ServiceResource(CatalogResource):
    class Meta(CatalogResource.Meta):
        model = Service
        name = "Dịch vụ công thiết yếu"
        fields = ["code", "name", "service_list", "measures", "is_bundle", "sector", "count_unit",
                  "portal_connection", "reporter_agencies", "is_shared_total", "reporter_kind", "aliases", "order",
                  "is_active", "source"]

    @classmethod
    def field_from_django_field(cls, field_name, django_field, readonly):
        field = super().field_from_django_field(field_name, django_field, readonly)
        if field_name == "measures":
            # The measures' codes in the measures' order; a service without one would have nothing to report.
            field.widget = CodesWidget(Measure, field="code", separator=MEASURE_SEPARATOR, required=True)
        return field


class IndicatorResource(CatalogResource):
    class Meta(CatalogResource.Meta):
        model = Indicator
        name = "Chỉ số"
        fields = ["code", "name", "unit", "kind", "aggregation", "numerator", "denominator", "parent",
                  "report_section", "on_dashboard", "reporter_agencies", "reporter_kind", "order", "is_active",
                  "source"]
