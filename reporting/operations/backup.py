"""Everything needed to bring the service back: the database's rows and the uploaded files, in one archive.

``manage.py backup FILE`` writes a .tar.gz holding ``data.json`` (every
application's rows in Django's fixture format, times to the microsecond) and
``media/`` (every file of the storage backend, local or a bucket: the units'
evidence, the issued reports' PDF, DOCX and signed PDF).
``manage.py restore FILE`` loads it into an empty, migrated database and puts
the files back, all of it or nothing: the archive is read whole and checked
before anything is written, rows and files are written in one transaction, and
on any failure the files written so far are removed again. Tables that migrate
fills by itself (content types, permissions) and the throw-away ones (sessions,
login attempts) are left out.

Rows go back as they were stored, the way ``loaddata`` writes them but without
sending ``pre_save``/``post_save``: a restore is not an edit, so no receiver
runs — no cache stamp moves, no text is normalised again, nothing is notified
or queued — and no ``auto_now`` field takes the time of the restore.
"""

import datetime
import io
import itertools
import json
import shutil
import tarfile
import tempfile
import zlib
from pathlib import Path

from django.apps import apps
from django.core import serializers
from django.core.exceptions import FieldDoesNotExist, SuspiciousOperation, ValidationError
from django.core.files import File
from django.core.files.storage import default_storage
from django.core.management.color import no_style
from django.core.serializers.base import DeserializationError, deserialize_fk_value, deserialize_m2m_values
from django.core.serializers.json import DjangoJSONEncoder
from django.db import DatabaseError, connection, transaction

DATA = "data.json"
MEDIA = "media/"
MANIFEST = "manifest.json"
FORMAT = 1
CHUNK = 2000        # rows turned into objects and written at a time
SKIPPED = {"contenttypes", "sessions", "axes", "auth.permission"}
# Failures that a damaged or foreign archive causes, each reported as a RestoreError.
_ARCHIVE_ERRORS = (tarfile.TarError, OSError, EOFError, zlib.error, UnicodeDecodeError, json.JSONDecodeError)
_ROW_ERRORS = (DeserializationError, FieldDoesNotExist, ValidationError, LookupError, ValueError, TypeError,
               AttributeError)


class RestoreError(Exception):
    """Why an archive cannot be restored, in Vietnamese."""


def dumped_models():
    labels = []
    for model in apps.get_models():
        if model._meta.app_label in SKIPPED or model._meta.label_lower in SKIPPED or model._meta.proxy:
            continue
        labels.append(model._meta.label)
    return labels


class ExactJSONEncoder(DjangoJSONEncoder):
    """Django's fixture encoder, except that times keep their microseconds (Django's cuts them to milliseconds)."""

    def default(self, o):
        if isinstance(o, datetime.datetime):
            text = o.isoformat()
            return text.removesuffix("+00:00") + "Z" if text.endswith("+00:00") else text
        if isinstance(o, datetime.time):
            return o.isoformat()
        return super().default(o)


def backup(path):
    """Write the archive; returns (rows, files) counted."""
    with tempfile.TemporaryDirectory(prefix="backup-") as folder:
        data = Path(folder) / DATA
        with data.open("w", encoding="utf-8") as stream:
            rows = _dump(stream)
        files = list(_media_files())
        manifest = json.dumps({"format": FORMAT, "rows": rows, "files": len(files)}).encode()
        with tarfile.open(path, "w:gz") as archive:
            _add(archive, MANIFEST, manifest)
            archive.add(data, arcname=DATA)
            for name in files:
                with default_storage.open(name, "rb") as handle:
                    _add(archive, MEDIA + name, handle.read())
    return rows, len(files)


def _dump(stream):
    """Every row, models ordered so that natural keys resolve on the way back (as dumpdata orders them)."""
    by_app = {}
    for label in dumped_models():
        model = apps.get_model(label)
        by_app.setdefault(model._meta.app_config, []).append(model)
    counted = 0

    def rows():
        nonlocal counted
        for model in serializers.sort_dependencies(by_app.items(), allow_cycles=True):
            for row in model._base_manager.order_by(model._meta.pk.name).iterator():
                counted += 1
                yield row

    serializers.serialize("json", rows(), stream=stream, use_natural_foreign_keys=True, cls=ExactJSONEncoder)
    return counted


def _add(archive, name, content):
    info = tarfile.TarInfo(name)
    info.size = len(content)
    archive.addfile(info, io.BytesIO(content))


def _media_files(folder=""):
    try:
        directories, files = default_storage.listdir(folder)
    except FileNotFoundError:       # a local MEDIA_ROOT that no upload has created yet
        return
    for name in files:
        yield f"{folder}{name}"
    for directory in directories:
        yield from _media_files(f"{folder}{directory}/")


def restore(path):
    """Load the archive into this (empty) database and storage; returns (rows, files) restored."""
    from reporting.models import Agency

    if Agency.objects.exists():
        raise RestoreError("cơ sở dữ liệu đích không trống: chỉ phục hồi vào một cơ sở dữ liệu mới (đã migrate).")
    with tempfile.TemporaryDirectory(prefix="restore-") as folder:
        rows, media = _read(Path(path), Path(folder))
        saved = []
        try:
            with transaction.atomic():
                _load(rows)
                for name, temporary in media.items():
                    if _put(name, temporary):
                        saved.append(name)
                _reset_sequences()
        except BaseException:
            for name in saved:
                default_storage.delete(name)
            raise
    return len(rows), len(media)


def _read(path, folder):
    """The archive's rows and its files (name → a copy in ``folder``), read whole and checked against its manifest."""
    name = path.name
    try:
        with tarfile.open(path, "r:gz") as archive:
            members = {member.name: member for member in archive.getmembers()}
            if not all(part in members and members[part].isfile() for part in (DATA, MANIFEST)):
                raise RestoreError(f"tệp “{name}” không phải bản sao lưu của hệ thống.")
            manifest = json.loads(archive.extractfile(members[MANIFEST]).read())
            rows = json.loads(archive.extractfile(members[DATA]).read().decode("utf-8"))
            media = {}
            for number, (member_name, member) in enumerate(sorted(members.items())):
                if member_name.startswith(MEDIA) and member.isfile():
                    copy = folder / str(number)
                    with archive.extractfile(member) as source, copy.open("wb") as target:
                        shutil.copyfileobj(source, target)
                    media[member_name.removeprefix(MEDIA)] = copy
    except FileNotFoundError:
        raise RestoreError(f"không tìm thấy tệp “{path}”.") from None
    except _ARCHIVE_ERRORS as error:
        raise RestoreError(f"tệp “{name}” hỏng hoặc không phải bản sao lưu .tar.gz ({error}).") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise RestoreError(f"tệp “{name}” là bản sao lưu của một phiên bản khác, không đọc được.")
    if not isinstance(rows, list) or not all(isinstance(row, dict) and isinstance(row.get("model"), str)
                                             and isinstance(row.get("fields"), dict) for row in rows):
        raise RestoreError(f"dữ liệu trong tệp “{name}” không đúng định dạng.")
    if (manifest.get("rows"), manifest.get("files")) != (len(rows), len(media)):
        raise RestoreError(
            f"tệp “{name}” không đầy đủ: bản kê ghi {manifest.get('rows')} bản ghi và {manifest.get('files')} tệp, "
            f"trong tệp có {len(rows)} bản ghi và {len(media)} tệp.")
    return rows, media


def _load(rows):
    """Write every row as it was stored, model by model, then check every reference; raises RestoreError."""
    using = connection.alias
    deferred, tables = [], set()
    try:
        with connection.constraint_checks_disabled():
            # Model by model, a chunk at a time: natural keys in a model's rows name rows of the models written
            # before it, and a city's millions of values never stand in memory as objects all at once.
            for _, group in itertools.groupby(rows, key=lambda row: row["model"]):
                while chunk := list(itertools.islice(group, CHUNK)):
                    objects = list(serializers.deserialize("python", chunk, using=using,
                                                           handle_forward_references=True))
                    model = type(objects[0].object)
                    tables.add(model._meta.db_table)
                    _write(model, objects, using)
                    deferred += [entry for entry in objects if entry.deferred_fields]
            for entry in deferred:
                _write_deferred(entry, using)
        connection.check_constraints(table_names=sorted(tables))
    except _ROW_ERRORS as error:
        raise RestoreError(f"một bản ghi trong bản sao lưu không đọc được ({error}).") from None
    except DatabaseError as error:
        raise RestoreError(f"dữ liệu trong bản sao lưu không khớp với nhau hoặc với cơ sở dữ liệu ({error}).") from None


def _write(model, objects, using):
    """INSERT the new rows, UPDATE the ones migrate made already, then their many-to-many links."""
    manager = model._base_manager.using(using)
    pks = [entry.object.pk for entry in objects]
    existing = set()
    for start in range(0, len(pks), 500):
        existing.update(manager.filter(pk__in=pks[start:start + 500]).values_list("pk", flat=True))
    fields = model._meta.local_concrete_fields
    new = [entry.object for entry in objects if entry.object.pk not in existing]
    batch = max(connection.ops.bulk_batch_size(fields, new), 1) if new else 1
    for start in range(0, len(new), batch):
        # A raw insert, as Model.save_base(raw=True) makes for loaddata, minus the signals around it.
        manager._insert(new[start:start + batch], fields=fields, raw=True, using=using)
    for entry in objects:
        if entry.object.pk in existing:
            manager.filter(pk=entry.object.pk).update(
                **{field.attname: getattr(entry.object, field.attname) for field in fields if not field.primary_key})
        for field_name, targets in entry.m2m_data.items():
            _link(model._meta.get_field(field_name), entry.object.pk, targets, replace=entry.object.pk in existing)


def _link(field, pk, targets, *, replace):
    through = field.remote_field.through
    source, target = field.m2m_field_name(), field.m2m_reverse_field_name()
    if replace:
        through._base_manager.filter(**{source: pk}).delete()
    through._base_manager.bulk_create([through(**{f"{source}_id": pk, f"{target}_id": value}) for value in targets])


def _write_deferred(entry, using):
    """References to rows that came later in the archive (a cycle of natural keys), set once every row is in."""
    model = type(entry.object)
    for field, value in entry.deferred_fields.items():
        if field.many_to_many:
            _link(field, entry.object.pk, deserialize_m2m_values(field, value, using, False), replace=False)
        else:
            model._base_manager.using(using).filter(pk=entry.object.pk).update(
                **{field.attname: deserialize_fk_value(field, value, using, False)})


def _put(name, temporary):
    """Store one file under its own name (True), or keep the identical one already there (False)."""
    try:
        return _store(name, temporary)
    except SuspiciousOperation:
        raise RestoreError(f"tên tệp “{name}” trong bản sao lưu không hợp lệ.") from None


def _store(name, temporary):
    if default_storage.exists(name):
        with default_storage.open(name, "rb") as present, temporary.open("rb") as restored:
            if present.read() != restored.read():
                raise RestoreError(f"kho lưu trữ đã có tệp “{name}” khác với tệp trong bản sao lưu.")
        return False
    with temporary.open("rb") as content:
        stored = default_storage.save(name, File(content, name=name))
    if stored != name:
        default_storage.delete(stored)
        raise RestoreError(f"không ghi được tệp “{name}” vào kho lưu trữ.")
    return True


def _reset_sequences():
    """PostgreSQL's id sequences start after the restored rows, or the next insert would collide."""
    statements = connection.ops.sequence_reset_sql(no_style(), [apps.get_model(label) for label in dumped_models()])
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)
