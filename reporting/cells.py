"""The grammar of a cell key: the only place that builds or parses one.

Every reported value (``DataValue.key``, ``ValueChange.key``) is stored under a
string naming the cell it fills:

- ``dvc.<SERVICE>.<measure>``: an essential service's records, one key per
  measure the service reports (``indicators.models.Measure.code``: received,
  online, resolved, on_time, to_resolve…; ``count`` for a service counted once);
- ``dvc.<SERVICE>.note``: the unit's remark on a service ("Khó khăn, vướng mắc"),
  a text beside its measures (so no measure is coded ``note``);
- ``dvc.*.<measure>``: a measure summed over every service (consolidation's
  and the dashboard's totals; never stored);
- ``ind.<INDICATOR>``: a monthly indicator;
- ``mh.<MODEL>.status|note``: a pilot model's progress and its result;
- ``nv.<task pk>.status|note|product|coordination``: a plan task's progress,
  result, the document the lead unit issued, and a coordinating unit's result;
- ``note.<topic>``: a narrative note (``NOTE_TOPICS``).

The keys are stored in the database, written in the Excel templates and
exports and typed in PC06's history workbooks, so their spelling cannot drift
between the modules that write them and those that read them. Before this
module it was spelt in eight; now the sheet, the rules, the figures, the
reports, the generators and the benchmarks all ask here, for Python strings
and for the ORM lookups and SQL expressions that match keys in the database.
"""

from dataclasses import dataclass

from django.db.models import CharField, Q, Value
from django.db.models.functions import Cast, Concat

SEPARATOR = "."
SERVICE_PREFIX = "dvc."
INDICATOR_PREFIX = "ind."
MODEL_PREFIX = "mh."
TASK_PREFIX = "nv."
NOTE_PREFIX = "note."
ALL_SERVICES = "*"   # the service code of a measure summed over every service

# The measures the code itself reads (the catalog of measures is data, indicators.models.Measure): the
# dashboard's shares and the sheet's live ratio read received, online, resolved and on time; a service
# counted once reports COUNT.
RECEIVED, ONLINE, RESOLVED, ON_TIME = "received", "online", "resolved", "on_time"
COUNT = "count"

# The fields of a pilot model's or plan task's row.
STATUS = "status"              # a Progress value
RESULT = "note"                # what was done ("Kết quả, ghi chú"); of a service, the unit's remark
PRODUCT = "product"            # the document the lead unit issued (plan tasks only)
COORDINATION = "coordination"  # a coordinating unit's result (plan tasks only)


# --- building ------------------------------------------------------------------


def service_key(service_code, measure):
    return f"{SERVICE_PREFIX}{service_code}{SEPARATOR}{measure}"


def service_note_key(service_code):
    """The unit's remark on a service ("Khó khăn, vướng mắc"): "dvc.DVC22.note"."""
    return service_key(service_code, RESULT)


def all_services_key(measure):
    """The key of ``measure`` summed over every service: "dvc.*.online"."""
    return service_key(ALL_SERVICES, measure)


def indicator_key(indicator_code):
    return f"{INDICATOR_PREFIX}{indicator_code}"


def model_key(model_code, field):
    return f"{MODEL_PREFIX}{model_code}{SEPARATOR}{field}"


def model_status_key(model_code):
    return model_key(model_code, STATUS)


def task_key(task_pk, field):
    return f"{TASK_PREFIX}{task_pk}{SEPARATOR}{field}"


def task_status_key(task_pk):
    return task_key(task_pk, STATUS)


def note_key(topic):
    return f"{NOTE_PREFIX}{topic}"


# --- the narrative topics ------------------------------------------------------


@dataclass(frozen=True)
class NoteTopic:
    """A narrative note every unit may write; ``title`` heads it in the unit's sheet."""

    slug: str
    title: str

    @property
    def key(self):
        return note_key(self.slug)


DIRECTION = NoteTopic("direction", "I. Công tác chỉ đạo, điều hành, quán triệt triển khai")
STRENGTHS = NoteTopic("strengths", "III. Ưu điểm, kết quả nổi bật")
SHORTCOMINGS = NoteTopic("shortcomings", "III. Tồn tại, hạn chế và nguyên nhân")
DIFFICULTIES = NoteTopic("difficulties", "IV. Khó khăn, vướng mắc và đề xuất, kiến nghị")
NEXT_TASKS = NoteTopic("next_tasks", "V. Nhiệm vụ trọng tâm tháng tới")
# In the order of the sheet and of the reports.
NOTE_TOPICS = (DIRECTION, STRENGTHS, SHORTCOMINGS, DIFFICULTIES, NEXT_TASKS)


# --- parsing -------------------------------------------------------------------


def is_service(key):
    return key.startswith(SERVICE_PREFIX)


def is_indicator(key):
    return key.startswith(INDICATOR_PREFIX)


def is_note(key):
    return key.startswith(NOTE_PREFIX)


def parse_service_key(key):
    """(service code, measure) of a service key ("dvc.*.online" gives ("*", "online")); None for any other key."""
    if not is_service(key):
        return None
    code, _, measure = key.removeprefix(SERVICE_PREFIX).rpartition(SEPARATOR)
    return code, measure


def service_measure(key):
    """The measure of a service key ("received"…), None for any other key."""
    parsed = parse_service_key(key)
    return parsed[1] if parsed else None


def indicator_code(key):
    """The indicator code of an indicator key, None for any other key."""
    return key.removeprefix(INDICATOR_PREFIX) if is_indicator(key) else None


def task_pk(key):
    """The plan task's pk of a task key ("nv.12.status" gives 12), None for any other key."""
    if not key.startswith(TASK_PREFIX):
        return None
    return int(key.removeprefix(TASK_PREFIX).split(SEPARATOR, 1)[0])


# --- in the database -----------------------------------------------------------


def service_measure_q(*measures, field="key"):
    """The values of these measures of any service: ``DataValue.objects.filter(service_measure_q("online"))``."""
    return Q(**{f"{field}__startswith": SERVICE_PREFIX}) & Q(
        *(Q(**{f"{field}__endswith": f"{SEPARATOR}{measure}"}) for measure in measures), _connector=Q.OR)


def notes_q(field="key"):
    """The values of the narrative notes."""
    return Q(**{f"{field}__startswith": NOTE_PREFIX})


def task_status_expression(task_pk):
    """SQL for ``task_status_key`` of an expression (e.g. ``OuterRef("pk")``)."""
    return Concat(Value(TASK_PREFIX), Cast(task_pk, CharField()), Value(f"{SEPARATOR}{STATUS}"))
