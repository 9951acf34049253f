"""The audit log of reported values as PC06 exports it from the admin (.xlsx, Vietnamese headers)."""

from django.utils import timezone
from import_export import fields, resources

from reporting.catalog.resources import XmlSafeExport
from reporting.models import ValueChange


class ValueChangeResource(XmlSafeExport, resources.ModelResource):
    """The audit log as PC06 hands it over: who changed which cell of which report, when, from what to what."""

    changed_at = fields.Field("changed_at", "Lúc")
    changed_by = fields.Field("changed_by__username", "Người sửa")
    agency = fields.Field("submission__agency__name", "Đơn vị")
    period = fields.Field("submission__period__label", "Kỳ báo cáo")
    key = fields.Field("key", "Ô số liệu")
    old_value = fields.Field("old_value", "Giá trị cũ")
    new_value = fields.Field("new_value", "Giá trị mới")
    comment = fields.Field("comment", "Giải trình")
    source = fields.Field("source", "Nguồn")
    version = fields.Field("version", "Phiên bản")

    class Meta:
        model = ValueChange
        fields = ["changed_at", "changed_by", "agency", "period", "key", "old_value", "new_value", "comment",
                  "source", "version"]

    def dehydrate_changed_at(self, change):
        return timezone.localtime(change.changed_at).strftime("%d/%m/%Y %H:%M:%S")

    def dehydrate_source(self, change):
        return change.get_source_display()
