"""The report's outline (đề cương, Decree 09/2019): which sections it has, how they are numbered, what they say.

An outline belongs to a reporting schedule and a kind of report; its items
form a tree whose order and numbering styles give the printed numbers
(I, 1, 1.1, a), "-"). Each item is one of a few kinds (a heading, a fixed
paragraph, the units' notes on a topic, a figure sentence, an enumerated
list of figure sentences, a group total, the pilot models, plan tasks);
every word the report prints around its numbers is an item's ``text``,
written by PC06 with placeholders (``reporting.report.sentences``). The
code only knows how to fill them. Any edit moves the outline's ``revision``
on, and an issued version records the outline it was composed with.
"""

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import F, Q

from reporting import cells
from reporting.choices import AgencyKind
from reporting.models.organisation import ReportingSchedule


class OutlineKind(models.TextChoices):
    MONTH = "month", "Báo cáo tháng của thành phố"
    RANGE = "range", "Báo cáo quý, 6 tháng, năm của thành phố"
    UNIT = "unit", "Báo cáo tháng của đơn vị"


class ItemKind(models.TextChoices):
    HEADING = "heading", "Đề mục"
    TEXT = "text", "Đoạn văn (có thể có chỗ điền)"
    LEGAL_BASES = "legal_bases", "Các căn cứ (theo cài đặt báo cáo)"
    NOTES = "notes", "Thuyết minh (của đơn vị và/hoặc PC06)"
    FIGURE = "figure", "Câu số liệu"
    LIST = "list", "Liệt kê câu số liệu (1), (2)… trong một đoạn"
    EACH_SERVICE = "each_service", "Câu số liệu cho từng dịch vụ công (1), (2)…"
    EACH_INDICATOR = "each_indicator", "Câu số liệu cho từng chỉ số"
    SERVICES_TABLE = "services_table", "Bảng dịch vụ công (mỗi dòng nội dung: Tên cột|{chỗ điền})"
    GROUP_TOTAL = "group_total", "Tổng của một danh sách dịch vụ công"
    MODELS = "models", "Mô hình điểm (kèm chú thích danh sách)"
    MODELS_LED = "models_led", "Mô hình điểm đơn vị chủ trì (tình trạng, kết quả)"
    TASKS_LED = "tasks_led", "Nhiệm vụ kế hoạch đơn vị chủ trì (tình trạng, kết quả)"
    OVERDUE_TASKS = "overdue_tasks", "Nhiệm vụ kế hoạch chậm tiến độ"
    TASKS_DUE_NEXT = "tasks_due_next", "Nhiệm vụ kế hoạch đến hạn kỳ tới"
    APPENDIX = "appendix", "Phụ lục (các mục con in sau chữ ký)"


class Numbering(models.TextChoices):
    NONE = "", "Không đánh số"
    ROMAN = "roman", "I, II, III"
    ARABIC = "arabic", "1, 2, 3"
    NESTED = "nested", "1.1, 1.2 (theo số mục cha)"
    LETTER = "letter", "a), b), c)"
    DASH = "dash", "Gạch đầu dòng (-)"


class TextStyle(models.TextChoices):
    """How a paragraph prints (``reporting.report.document.Style``); empty: by the item's kind and depth."""

    AUTO = "", "Theo loại mục"
    TITLE = "title", "Tên loại văn bản (BÁO CÁO)"
    SUBTITLE = "subtitle", "Trích yếu (đậm, giữa)"
    CENTERED = "centered", "Nghiêng, giữa"
    BODY = "body", "Đoạn văn"


class Gather(models.TextChoices):
    QUOTE = "quote", "Trích từng đơn vị (- Đơn vị: nội dung)"
    APPENDIX = "appendix", "Tập hợp vào phụ lục cuối báo cáo"
    NONE = "none", "Không lấy của đơn vị (chỉ nội dung PC06 viết)"


class Precision(models.IntegerChoices):
    WHOLE = 0, "0 chữ số thập phân (96%)"
    ONE = 1, "1 chữ số thập phân (96,2%)"
    TWO = 2, "2 chữ số thập phân (93,95%)"


class ReportOutline(models.Model):
    schedule = models.ForeignKey(ReportingSchedule, verbose_name="lịch báo cáo", on_delete=models.CASCADE,
                                 related_name="outlines")
    kind = models.CharField("loại báo cáo", max_length=10, choices=OutlineKind.choices, default=OutlineKind.MONTH)
    name = models.CharField("tên đề cương", max_length=200)
    # Moved on by every edit of an item: what an issued version records, and what an editor loaded.
    revision = models.PositiveIntegerField("lần sửa", default=1, editable=False)
    updated_at = models.DateTimeField("sửa lúc", auto_now=True)

    class Meta:
        verbose_name = "đề cương báo cáo"
        verbose_name_plural = "đề cương báo cáo"
        constraints = [models.UniqueConstraint(fields=["schedule", "kind"], name="one_outline_per_schedule_kind",
                                               violation_error_message="Lịch báo cáo này đã có đề cương loại này.")]

    def __str__(self):
        return f"{self.name} ({self.get_kind_display()})"

    def touch(self):
        """Record an edit of the outline's items (an issued version names the revision it was composed with)."""
        ReportOutline.objects.filter(pk=self.pk).update(revision=F("revision") + 1)

    @classmethod
    def for_report(cls, schedule, *, is_range):
        """The outline a city report follows: a range's own if PC06 wrote one, else the monthly one; None if neither."""
        outlines = {outline.kind: outline for outline in cls.objects.filter(schedule=schedule)}
        return (outlines.get(OutlineKind.RANGE) if is_range else None) or outlines.get(OutlineKind.MONTH)

    @classmethod
    def for_unit(cls, schedule):
        """The outline of a unit's own monthly report; None until PC06 loads one."""
        return cls.objects.filter(schedule=schedule, kind=OutlineKind.UNIT).first()


TOPIC_CHOICES = [(topic.slug, topic.title) for topic in cells.NOTE_TOPICS]


class OutlineItem(models.Model):
    outline = models.ForeignKey(ReportOutline, verbose_name="đề cương", on_delete=models.CASCADE, related_name="items")
    parent = models.ForeignKey("self", verbose_name="thuộc mục", null=True, blank=True, on_delete=models.CASCADE,
                               related_name="children")
    order = models.PositiveSmallIntegerField("thứ tự", default=0)
    kind = models.CharField("loại", max_length=20, choices=ItemKind.choices)
    numbering = models.CharField("đánh số", max_length=10, choices=Numbering.choices, blank=True)
    style = models.CharField("kiểu chữ", max_length=10, choices=TextStyle.choices, blank=True)
    hide_empty = models.BooleanField("bỏ mục này khi các mục con không có nội dung", default=False)
    text = models.TextField(
        "nội dung", blank=True,
        help_text="Tên đề mục, đoạn văn hoặc mẫu câu. **đậm**, *nghiêng*; chỗ điền trong ngoặc nhọn, "
                  "ví dụ {name} **{online}/{received}** {unit}, đạt {ratio}.")
    # What a figure sentence or a group total is about.
    service = models.ForeignKey("indicators.Service", verbose_name="dịch vụ công", null=True, blank=True,
                                on_delete=models.PROTECT, related_name="+")
    indicator = models.ForeignKey("indicators.Indicator", verbose_name="chỉ số", null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="+")
    service_list = models.ForeignKey(
        "indicators.ServiceList", verbose_name="danh sách dịch vụ công", null=True, blank=True,
        on_delete=models.PROTECT, related_name="+", help_text="Để trống: mọi dịch vụ công đang theo dõi.")
    numerator = models.CharField("tử số của {ratio}", max_length=60, blank=True,
                                 help_text="Mã chỉ tiêu (online, resolved…) hoặc mã chỉ số; để trống: mặc định.")
    denominator = models.CharField("mẫu số của {ratio}", max_length=60, blank=True)
    precision = models.PositiveSmallIntegerField("số chữ số thập phân của tỷ lệ", choices=Precision.choices,
                                                 default=Precision.TWO)
    keep_zeros = models.BooleanField("giữ số 0 cuối (52,00%)", default=False)
    no_data = models.CharField("khi không có số liệu", max_length=300, blank=True,
                               help_text="Để trống: bỏ câu này; hoặc ghi câu thay thế.")
    # Narrative slots.
    key = models.CharField(
        "mã mục thuyết minh", max_length=40, blank=True,
        validators=[RegexValidator(r"^[a-z0-9_.-]+$", "Mã chỉ gồm chữ thường không dấu, số, dấu chấm, gạch.")],
        help_text="PC06 sửa nội dung mục theo mã này; duy nhất trong đề cương.")
    topic = models.CharField("lấy thuyết minh của đơn vị về", max_length=20, choices=TOPIC_CHOICES, blank=True)
    unit_kinds = models.CharField("chỉ lấy của loại đơn vị", max_length=100, blank=True,
                                  help_text="Để trống: mọi loại đơn vị.")
    gather = models.CharField("cách tập hợp thuyết minh", max_length=10, choices=Gather.choices, blank=True)

    class Meta:
        verbose_name = "mục của đề cương"
        verbose_name_plural = "các mục của đề cương"
        ordering = ["outline", "parent_id", "order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["outline", "key"], condition=~Q(key=""), name="one_outline_key",
                                    violation_error_message="Mã mục thuyết minh đã có trong đề cương."),
            models.CheckConstraint(condition=Q(precision__lte=2), name="outline_precision_at_most_two",
                                   violation_error_message="Tỷ lệ in tối đa 2 chữ số thập phân."),
        ]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.text[:60] or self.key or self.pk}"

    @property
    def kinds_of_units(self):
        return [kind for kind in self.unit_kinds.split(",") if kind]

    def clean(self):
        # What the text's placeholders ask is checked where items are written (the admin's form, an
        # imported file: ``reporting.report.fill.pattern_problems``): it needs the report's grammar.
        super().clean()
        errors = {}
        if self.parent_id and self.parent.outline_id != self.outline_id:
            errors["parent"] = "Mục cha thuộc đề cương khác."
        unknown_kinds = set(self.kinds_of_units) - set(AgencyKind.values)
        if unknown_kinds:
            errors["unit_kinds"] = f"Loại đơn vị không có: {', '.join(sorted(unknown_kinds))}."
        if self.kind == ItemKind.NOTES:
            if not self.key:
                errors["key"] = "Mục thuyết minh cần một mã để PC06 sửa nội dung."
            if self.topic and not self.gather:
                errors["gather"] = "Chọn cách tập hợp thuyết minh của các đơn vị."
        if self.kind == ItemKind.FIGURE and bool(self.service_id) == bool(self.indicator_id) and not self.text:
            errors["text"] = "Câu số liệu cần một dịch vụ công hoặc một chỉ số, hoặc một mẫu câu."
        if self.kind == ItemKind.FIGURE and self.service_id and self.indicator_id:
            errors["indicator"] = "Chọn một dịch vụ công hoặc một chỉ số, không chọn cả hai."
        if self.kind in (ItemKind.HEADING, ItemKind.TEXT) and not self.text.strip():
            errors["text"] = "Nhập nội dung của mục."
        if errors:
            raise ValidationError(errors)
