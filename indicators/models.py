"""What is measured: the essential services, the indicators, and the annual plan.

The plan lives here, beside the indicators, because its targets are read
against indicator values ("80% ... thẻ CCCD") and its tasks are followed month
by month just like the figures; it is the yardstick of what this app holds.
"""

import re

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import F, Q
from django.db.models.signals import m2m_changed
from django.dispatch import receiver

from reporting import cells
from reporting.choices import AgencyKind
from reporting.models import Agency

from .deadlines import DeadlineKind, parse_deadline


class Reporters(models.Model):
    """Who reports an item: named agencies and/or every agency of one kind."""

    reporter_agencies = models.ManyToManyField(Agency, verbose_name="đơn vị báo cáo", blank=True, related_name="+")
    reporter_kind = models.CharField(
        "mọi đơn vị thuộc loại", max_length=20, choices=AgencyKind.choices, blank=True,
        help_text="Ví dụ: mọi phường, xã, thị trấn báo cáo dịch vụ này.",
    )
    source = models.TextField("nguồn", blank=True)
    is_active = models.BooleanField("đang theo dõi", default=True)

    class Meta:
        abstract = True

    def reported_by(self, agency):
        return (self.reporter_kind and agency.kind == self.reporter_kind) or self.reporter_agencies.filter(pk=agency.pk).exists()


class ServiceList(models.Model):
    """A decision that declares a list of essential services (06/QĐ-TTg: 25, 422/QĐ-TTg: 28)."""

    code = models.CharField("mã", max_length=20, unique=True)
    name = models.CharField("văn bản", max_length=255)
    declared_count = models.PositiveSmallIntegerField("số dịch vụ theo văn bản")
    source = models.TextField("nguồn", blank=True)

    class Meta:
        verbose_name = "danh sách dịch vụ công thiết yếu"
        verbose_name_plural = "danh sách dịch vụ công thiết yếu"
        ordering = ["code"]

    def __str__(self):
        return f"{self.name} ({self.declared_count} DVC)"

    @property
    def decision(self):
        """The decision's number as the name prints it ("06/QĐ-TTg"); empty if the name gives none."""
        match = re.search(r"(?<!\d)\d+/QĐ-TTg", self.name)
        return match.group() if match else ""

    def is_named_in(self, text):
        """Whether a source text names this list's decision ("QĐ 06/QĐ-TTg Phụ lục, mục 3; …", not 206/QĐ-TTg)."""
        return bool(self.decision) and re.search(rf"(?<!\d){re.escape(self.decision)}", text or "") is not None


class Measure(models.Model):
    """One figure an essential service reports each month ("Tiếp nhận", "Phải giải quyết"…).

    Its code is the last part of the service's cell keys, so values stored under a code
    keep their meaning as long as the code does. A measure may be a part of another
    (online of received, on time of resolved): where a service reports both, the part
    may not exceed the whole. A cumulative one is a running total to date, so months
    are not added up: the last month counts.
    """

    code = models.CharField(
        "mã", max_length=30, unique=True,
        validators=[RegexValidator(r"^[a-z0-9_]+$", "Mã chỉ gồm chữ thường không dấu, chữ số và dấu gạch dưới (_).")],
        help_text="Phần cuối của mã ô số liệu, ví dụ to_resolve; đã có số liệu thì không đổi mã.",
    )
    label = models.CharField("tên cột", max_length=60, help_text="Ví dụ: Tiếp nhận.")
    definition = models.CharField(
        "định nghĩa", max_length=300, blank=True,
        help_text="Một dòng hiện dưới tên cột ở trang nhập số liệu, nói rõ số nào được tính.",
    )
    part_of = models.ForeignKey(
        "self", verbose_name="là một phần của", null=True, blank=True, on_delete=models.PROTECT,
        related_name="parts",
        help_text="Ví dụ: trực tuyến là một phần của tiếp nhận. Dịch vụ báo cáo cả hai thì phần không được lớn hơn tổng.",
    )
    cumulative = models.BooleanField(
        "lũy kế đến nay", default=False,
        help_text="Số cộng dồn đến cuối kỳ: tổng hợp nhiều tháng lấy số của tháng cuối, không cộng các tháng.",
    )
    order = models.PositiveSmallIntegerField("thứ tự", default=0)
    source = models.TextField("nguồn", blank=True)

    class Meta:
        verbose_name = "chỉ tiêu báo cáo của dịch vụ công"
        verbose_name_plural = "chỉ tiêu báo cáo của dịch vụ công"
        ordering = ["order", "code"]
        constraints = [
            # The code ends a cell key, whose parts are split at the dots.
            models.CheckConstraint(condition=~Q(code__contains=".") & ~Q(code=""), name="measure_code_has_no_dot",
                                   violation_error_message="Mã chỉ tiêu không được trống hay chứa dấu chấm."),
            models.CheckConstraint(condition=~Q(part_of=F("pk")), name="measure_not_part_of_itself",
                                   violation_error_message="Chỉ tiêu không thể là một phần của chính nó."),
        ]

    def __str__(self):
        return self.label

    def clean(self):
        super().clean()
        if self.code == cells.RESULT:
            # dvc.<SERVICE>.note holds the unit's remark on the service: a measure so coded would share its cell.
            raise ValidationError({"code": f"Mã “{cells.RESULT}” dành cho ô “Khó khăn, vướng mắc” của dịch vụ; "
                                           "chọn mã khác."})
        if not self.part_of_id:
            return
        if self.pk and self.part_of_id == self.pk:
            raise ValidationError({"part_of": "Chỉ tiêu không thể là một phần của chính nó."})
        wholes, seen, whole = [], set(), self.part_of
        while whole is not None and whole.pk not in seen:
            if self.pk and whole.pk == self.pk:
                chain = " → ".join(str(measure) for measure in [self, *wholes, self])
                raise ValidationError({"part_of": f"Không thể chọn: các chỉ tiêu sẽ là một phần của nhau ({chain})."})
            seen.add(whole.pk)
            wholes.append(whole)
            whole = whole.part_of


# Units of these kinds each report for the whole city: two of them reporting one service are added into one
# city total and count its records twice (issue 18). A district or a ward reports its own area only, so
# every ward reporting a service (``reporter_kind``) adds up to the city's figure as it should.
CITY_LEVEL_KINDS = (AgencyKind.STEERING, AgencyKind.POLICE, AgencyKind.DEPARTMENT, AgencyKind.OTHER)


def city_level_owners(agencies):
    """The reporting units of the city level among ``agencies`` (Agency objects), by code."""
    return sorted((agency for agency in agencies if agency.is_reporting_unit and agency.kind in CITY_LEVEL_KINDS),
                  key=lambda agency: agency.code)


def owner_problem(code, agencies, *, is_shared_total):
    """Why a service may not be reported by ``agencies`` (Vietnamese), or '' when it may.

    At the city level one unit owns a service, unless the catalog says the units each report a part of
    one total (``is_shared_total``): otherwise the report would add the same records twice.
    """
    owners = city_level_owners(agencies)
    if len(owners) < 2 or is_shared_total:
        return ""
    names = ", ".join(f"{agency.code} ({agency.name})" for agency in owners)
    return (f"Dịch vụ {code} có {len(owners)} đơn vị cấp thành phố cùng báo cáo: {names}. Mỗi dịch vụ chỉ do một "
            "đơn vị cấp thành phố báo cáo, nếu không số liệu bị cộng hai lần vào tổng của Thành phố; giữ lại đơn vị "
            "chủ trì, hoặc chọn “Nhiều đơn vị cùng báo cáo một tổng số” khi văn bản giao mỗi đơn vị báo cáo một phần.")


class Service(Reporters):
    code = models.CharField("mã", max_length=20, unique=True)
    name = models.CharField("tên dịch vụ công", max_length=400)
    service_list = models.ForeignKey(
        ServiceList, verbose_name="thuộc danh sách", null=True, blank=True, on_delete=models.PROTECT,
        related_name="services", help_text="Để trống khi nguồn không nói rõ thuộc QĐ 06 hay QĐ 422.",
    )
    measures = models.ManyToManyField(
        Measure, verbose_name="chỉ tiêu báo cáo", related_name="services",
        help_text="Các số dịch vụ báo cáo hằng tháng, mỗi chỉ tiêu một ô; ví dụ tiếp nhận, trực tuyến, đã giải quyết.",
    )
    is_bundle = models.BooleanField("nhóm thủ tục liên thông", default=False)
    sector = models.CharField("lĩnh vực", max_length=120, blank=True)
    # Printed in the unit report's appendix ("Kết nối với Cổng DVC quốc gia", seed 004 Phụ lục II).
    portal_connection = models.CharField(
        "kết nối với Cổng DVC quốc gia", max_length=100, blank=True,
        help_text="Ví dụ: Đã kết nối; để trống nếu chưa rõ.",
    )
    count_unit = models.CharField("đơn vị tính", max_length=30, default="hồ sơ")
    is_shared_total = models.BooleanField(
        "nhiều đơn vị cùng báo cáo một tổng số", default=False,
        help_text="Chỉ chọn khi văn bản giao nhiều đơn vị cấp thành phố, mỗi đơn vị báo cáo một phần của cùng một "
                  "tổng số (số liệu được cộng lại và báo cáo ghi rõ). Không chọn thì chỉ một đơn vị cấp thành phố "
                  "báo cáo dịch vụ này.",
    )
    aliases = models.TextField("cách viết khác", blank=True, help_text="Mỗi dòng một cách viết tên trong các nguồn.")
    order = models.PositiveSmallIntegerField("thứ tự", default=0)

    class Meta:
        verbose_name = "dịch vụ công thiết yếu"
        verbose_name_plural = "dịch vụ công thiết yếu"
        ordering = ["order", "code"]

    def __str__(self):
        return self.name


@receiver(m2m_changed, sender=Service.reporter_agencies.through)
def refuse_a_second_owner(sender, instance, action, pk_set, **kwargs):
    """The last guard of one owner per service: the loader and the admin form refuse first, with their own words.

    A many-to-many add sends no model validation, so an Excel import of the catalog, or a bug in any other
    path, is stopped here before the second owner is stored (an import shows it as the row's error).
    """
    if action != "pre_add" or not isinstance(instance, Service) or not pk_set:
        return
    agencies = Agency.objects.filter(Q(pk__in=pk_set) | Q(pk__in=instance.reporter_agencies.values("pk")))
    problem = owner_problem(instance.code, agencies, is_shared_total=instance.is_shared_total)
    if problem:
        raise ValidationError({"reporter_agencies": problem})


class IndicatorKind(models.TextChoices):
    CUMULATIVE = "cumulative", "Lũy kế (không giảm)"
    FLOW = "flow", "Phát sinh trong tháng"
    STOCK = "stock", "Số hiện có (có thể tăng, giảm)"
    RATIO = "ratio", "Tỷ lệ giữa hai chỉ số"


class Aggregation(models.TextChoices):
    SUM = "sum", "Cộng các đơn vị"
    SINGLE = "single", "Một đơn vị báo cáo (không cộng)"


class Indicator(Reporters):
    code = models.CharField("mã", max_length=40, unique=True)
    name = models.CharField("tên chỉ số", max_length=400)
    unit = models.CharField("đơn vị tính", max_length=40)
    kind = models.CharField("loại", max_length=12, choices=IndicatorKind.choices)
    aggregation = models.CharField("cách tổng hợp", max_length=10, choices=Aggregation.choices, default=Aggregation.SUM)
    numerator = models.ForeignKey(
        "self", verbose_name="tử số", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    denominator = models.ForeignKey(
        "self", verbose_name="mẫu số", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    parent = models.ForeignKey(
        "self", verbose_name="là thành phần của", null=True, blank=True, on_delete=models.PROTECT,
        related_name="components", help_text="Ví dụ: làm sạch dữ liệu theo từng nguồn là thành phần của tổng số.",
    )
    report_section = models.CharField("mục trong báo cáo", max_length=20, blank=True)
    on_dashboard = models.BooleanField(
        "theo dõi trên trang điều hành", default=False,
        help_text="Hiện biểu đồ xu hướng của chỉ số này trên trang điều hành của lãnh đạo.")
    order = models.PositiveSmallIntegerField("thứ tự", default=0)

    class Meta:
        verbose_name = "chỉ số"
        verbose_name_plural = "chỉ số"
        ordering = ["order", "code"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(kind=IndicatorKind.RATIO, numerator__isnull=False, denominator__isnull=False)
                    | (~Q(kind=IndicatorKind.RATIO) & Q(numerator__isnull=True, denominator__isnull=True))
                ),
                name="ratio_has_numerator_and_denominator",
                violation_error_message="Chỉ số tỷ lệ phải có tử số và mẫu số; chỉ số khác thì không.",
            ),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        super().clean()
        errors = {}
        if self.kind == IndicatorKind.RATIO:
            if not (self.numerator_id and self.denominator_id):
                errors["numerator"] = "Chỉ số tỷ lệ phải có tử số và mẫu số."
            elif self.numerator_id == self.denominator_id:
                errors["denominator"] = "Tử số và mẫu số phải là hai chỉ số khác nhau."
            elif self.pk and self.pk in (self.numerator_id, self.denominator_id):
                errors["numerator"] = "Chỉ số tỷ lệ không thể tự tham chiếu."
        elif self.numerator_id or self.denominator_id:
            errors["kind"] = "Chỉ có chỉ số tỷ lệ mới có tử số và mẫu số."
        if self.parent_id and self.pk and self.parent_id == self.pk:
            errors["parent"] = "Chỉ số không thể là thành phần của chính nó."
        if errors:
            raise ValidationError(errors)


class Plan(models.Model):
    number = models.CharField("số kế hoạch", max_length=40, unique=True)
    year = models.PositiveSmallIntegerField("năm")
    issued_on = models.DateField("ngày ban hành", null=True, blank=True)
    title = models.TextField("trích yếu")
    issuer = models.CharField("cơ quan ban hành", max_length=200)
    declared_task_count = models.PositiveSmallIntegerField("số nhiệm vụ theo văn bản")
    note = models.TextField("ghi chú", blank=True, help_text="Ví dụ: chỗ văn bản tự mâu thuẫn về số nhiệm vụ.")
    source = models.TextField("nguồn", blank=True)

    class Meta:
        verbose_name = "kế hoạch năm"
        verbose_name_plural = "kế hoạch năm"
        ordering = ["-year", "number"]

    def __str__(self):
        return f"Kế hoạch {self.number} năm {self.year}"


class PlanTarget(models.Model):
    """One measurable figure of the plan's section II (reached when actual ≥ value)."""

    plan = models.ForeignKey(Plan, verbose_name="kế hoạch", on_delete=models.CASCADE, related_name="targets")
    code = models.CharField("số thứ tự", max_length=10, help_text="Số mục trong văn bản, ví dụ 1.5a, 3, 5.2.")
    text = models.TextField("chỉ tiêu như văn bản")
    value = models.DecimalField("mức chỉ tiêu", max_digits=12, decimal_places=2)
    unit = models.CharField("đơn vị", max_length=20, default="%")
    indicator = models.ForeignKey(
        Indicator, verbose_name="đo bằng chỉ số", null=True, blank=True, on_delete=models.PROTECT,
        related_name="targets",
    )
    unmeasured_reason = models.TextField(
        "vì sao chưa đo được", blank=True,
        help_text="Khi chưa gắn chỉ số: danh mục thiếu số liệu gì để đo chỉ tiêu này. Trang điều hành in lý do này.")
    note = models.TextField("ghi chú", blank=True)
    order = models.PositiveSmallIntegerField("thứ tự", default=0)

    class Meta:
        verbose_name = "chỉ tiêu"
        verbose_name_plural = "chỉ tiêu"
        ordering = ["plan", "order"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "code"], name="one_target_code_per_plan",
                                    violation_error_message="Mã chỉ tiêu đã có trong kế hoạch này."),
            models.CheckConstraint(condition=Q(value__gte=0), name="target_value_not_negative",
                                   violation_error_message="Mức chỉ tiêu không được âm."),
        ]

    def __str__(self):
        return f"{self.code}. {self.text}"

    def clean(self):
        # A target nothing measures says why, so a leader reads the reason instead of a blank.
        if self.indicator_id is None and not self.unmeasured_reason.strip():
            raise ValidationError({"unmeasured_reason": "Chỉ tiêu chưa gắn chỉ số đo phải ghi vì sao chưa đo được."})


class PlanTaskGroup(models.Model):
    plan = models.ForeignKey(Plan, verbose_name="kế hoạch", on_delete=models.CASCADE, related_name="task_groups")
    number = models.CharField("số nhóm", max_length=10)
    title = models.CharField("tên nhóm", max_length=300)
    declared_task_count = models.PositiveSmallIntegerField("số nhiệm vụ theo tiêu đề nhóm", null=True, blank=True)
    order = models.PositiveSmallIntegerField("thứ tự", default=0)

    class Meta:
        verbose_name = "nhóm nhiệm vụ"
        verbose_name_plural = "nhóm nhiệm vụ"
        ordering = ["plan", "order"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="one_group_number_per_plan",
                                    violation_error_message="Số nhóm đã có trong kế hoạch này."),
        ]

    def __str__(self):
        return f"{self.number}. {self.title}"


class PlanTask(models.Model):
    plan = models.ForeignKey(Plan, verbose_name="kế hoạch", on_delete=models.CASCADE, related_name="tasks")
    group = models.ForeignKey(PlanTaskGroup, verbose_name="nhóm", on_delete=models.PROTECT, related_name="tasks")
    number = models.CharField("số thứ tự như văn bản", max_length=10)
    content = models.TextField("nội dung nhiệm vụ")
    lead_text = models.TextField("đơn vị chủ trì (như văn bản)", blank=True)
    coordinating_text = models.TextField("đơn vị phối hợp (như văn bản)", blank=True)
    deadline_text = models.CharField("thời gian hoàn thành (như văn bản)", max_length=200, blank=True)
    deadline_kind = models.CharField("cách hiểu thời hạn", max_length=12, choices=DeadlineKind.choices, editable=False)
    due_date = models.DateField("hạn hoàn thành", null=True, blank=True, editable=False)
    is_recurring = models.BooleanField("thực hiện thường xuyên", default=False, editable=False)
    product = models.CharField("sản phẩm", max_length=300, blank=True)

    class Meta:
        verbose_name = "nhiệm vụ kế hoạch"
        verbose_name_plural = "nhiệm vụ kế hoạch"
        ordering = ["plan", "group__order", "number"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="one_task_number_per_plan",
                                    violation_error_message="Số thứ tự nhiệm vụ đã có trong kế hoạch này."),
        ]

    def __str__(self):
        return f"{self.number}. {self.content[:80]}"

    def clean(self):
        super().clean()
        if self.group_id and self.plan_id and self.group.plan_id != self.plan_id:
            raise ValidationError({"group": "Nhóm nhiệm vụ thuộc kế hoạch khác."})

    def save(self, *args, **kwargs):
        # The printed text is the truth; the date is derived so it can never drift from it.
        parsed = parse_deadline(self.deadline_text)
        self.deadline_kind, self.due_date, self.is_recurring = parsed.kind, parsed.due_date, parsed.recurring
        super().save(*args, **kwargs)


class TaskRole(models.TextChoices):
    LEAD = "lead", "Chủ trì"
    COORDINATING = "coordinating", "Phối hợp"


class PlanTaskUnit(models.Model):
    """A unit named for a task: one agency, or every agency of a kind ("UBND cấp huyện")."""

    task = models.ForeignKey(PlanTask, verbose_name="nhiệm vụ", on_delete=models.CASCADE, related_name="units")
    role = models.CharField("vai trò", max_length=12, choices=TaskRole.choices)
    agency = models.ForeignKey(Agency, verbose_name="đơn vị", null=True, blank=True, on_delete=models.PROTECT,
                               related_name="plan_task_units")
    agency_kind = models.CharField("mọi đơn vị thuộc loại", max_length=20, choices=AgencyKind.choices, blank=True)
    printed_name = models.CharField("tên như văn bản", max_length=300, blank=True)

    class Meta:
        verbose_name = "đơn vị thực hiện"
        verbose_name_plural = "đơn vị thực hiện"
        constraints = [
            models.CheckConstraint(
                condition=(Q(agency__isnull=False) & Q(agency_kind="")) | (Q(agency__isnull=True) & ~Q(agency_kind="")),
                name="task_unit_is_agency_or_kind",
                violation_error_message="Chọn một đơn vị hoặc một loại đơn vị (không chọn cả hai, không bỏ trống).",
            ),
            models.UniqueConstraint(fields=["task", "role", "agency"], condition=Q(agency__isnull=False),
                                    name="task_unit_agency_once",
                                    violation_error_message="Đơn vị này đã được giao nhiệm vụ với vai trò này."),
            models.UniqueConstraint(fields=["task", "role", "agency_kind"], condition=~Q(agency_kind=""),
                                    name="task_unit_kind_once",
                                    violation_error_message="Loại đơn vị này đã được giao nhiệm vụ với vai trò này."),
        ]

    def __str__(self):
        return str(self.agency) if self.agency_id else self.get_agency_kind_display()

    def clean(self):
        super().clean()
        if bool(self.agency_id) == bool(self.agency_kind):
            raise ValidationError("Chọn một đơn vị hoặc một loại đơn vị (không chọn cả hai, không bỏ trống).")
