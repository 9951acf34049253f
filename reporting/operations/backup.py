"""Everything needed to bring the service back: the database's rows and the uploaded files, in one archive.

``manage.py backup FILE`` writes a .tar.gz holding ``data.json`` (every
application's rows, as Django's dumpdata writes them) and ``media/`` (every file
of the storage backend, local or a bucket: the units' evidence, the issued
reports' PDF, DOCX and signed PDF).
``manage.py restore FILE`` loads it into an empty, migrated database and puts
the files back: one transaction for the rows, so a broken archive leaves the
database empty rather than half-filled. Tables that migrate fills by itself
(content types, permissions) and the throw-away ones (sessions, login
attempts) are left out.
"""

import io
import json
import tarfile
import tempfile
from pathlib import Path

from django.apps import apps
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.db import transaction

DATA = "data.json"
MEDIA = "media/"
MANIFEST = "manifest.json"
SKIPPED = {"contenttypes", "sessions", "axes", "auth.permission"}


class RestoreError(Exception):
    """Why an archive cannot be restored, in Vietnamese."""


def _dumped_models():
    labels = []
    for model in apps.get_models():
        if model._meta.app_label in SKIPPED or model._meta.label_lower in SKIPPED or model._meta.proxy:
            continue
        labels.append(model._meta.label)
    return labels


def backup(path):
    """Write the archive; returns (rows, files) counted."""
    data = io.StringIO()
    call_command("dumpdata", *_dumped_models(), natural_foreign=True, indent=None, stdout=data)
    content = data.getvalue().encode("utf-8")
    files = list(_media_files())
    manifest = json.dumps({"format": 1, "rows": content.count(b'"model": '), "files": len(files)}).encode()
    with tarfile.open(path, "w:gz") as archive:
        _add(archive, MANIFEST, manifest)
        _add(archive, DATA, content)
        for name in files:
            with default_storage.open(name, "rb") as handle:
                _add(archive, MEDIA + name, handle.read())
    return json.loads(manifest)["rows"], len(files)


def _add(archive, name, content):
    info = tarfile.TarInfo(name)
    info.size = len(content)
    archive.addfile(info, io.BytesIO(content))


def _media_files(folder=""):
    directories, files = default_storage.listdir(folder)
    for name in files:
        yield f"{folder}{name}"
    for directory in directories:
        yield from _media_files(f"{folder}{directory}/")


def restore(path):
    """Load the archive into this (empty) database and storage; returns (rows, files) restored."""
    from reporting.models import Agency

    if Agency.objects.exists():
        raise RestoreError("Cơ sở dữ liệu đích không trống: chỉ phục hồi vào một cơ sở dữ liệu mới (đã migrate).")
    with tarfile.open(path, "r:gz") as archive:
        members = {member.name: member for member in archive.getmembers()}
        if DATA not in members or MANIFEST not in members:
            raise RestoreError(f"Tệp “{Path(path).name}” không phải bản sao lưu của hệ thống.")
        manifest = json.loads(archive.extractfile(members[MANIFEST]).read())
        with tempfile.NamedTemporaryFile(suffix=".json") as data:
            data.write(archive.extractfile(members[DATA]).read())
            data.flush()
            with transaction.atomic():
                call_command("loaddata", data.name, verbosity=0)
        files = 0
        for name, member in members.items():
            if name.startswith(MEDIA) and member.isfile():
                default_storage.save(name.removeprefix(MEDIA), archive.extractfile(member))
                files += 1
    _reset_sequences()
    return manifest["rows"], files


def _reset_sequences():
    """PostgreSQL's id sequences start after the restored rows, or the next insert would collide."""
    from django.core.management.color import no_style
    from django.db import connection

    statements = connection.ops.sequence_reset_sql(no_style(), [apps.get_model(label) for label in _dumped_models()])
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)
