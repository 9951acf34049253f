"""The cache key of an entry page's sections, rendered: what the markup of the sheet's inputs is made of.

An unbound form (a page opened, not one posted back with errors) shows the unit's sheet, its values and
last month's, and nothing else: the key is a digest of those (the sheet by its own cache key, so a
catalog edit moves it on) and of the code that writes the markup, so a deploy never serves the markup
of the code before it. A form posted back has errors and what was typed: it is never cached.

Kept compressed: a ward's sections are some 40 KB of HTML and 4 KB compressed, and on deadline day
thousands of units open their page (one entry each, and another after each save).
"""

import hashlib
import zlib
from pathlib import Path

from django.conf import settings
from django.core.cache import cache

from reporting import stamps
from reporting.submissions import forms, selectors, sheets, widgets

# What writes the sections' markup, read once per process.
_CODE = hashlib.sha256(b"".join(Path(path).read_bytes() for path in (
    settings.BASE_DIR / "templates" / "reporting" / "_entry_sections.html",
    settings.BASE_DIR / "reporting" / "templatetags" / "entry_sheet.py", forms.__file__,
    selectors.__file__, widgets.__file__, sheets.__file__,
))).hexdigest()[:12]


def cache_key(sheet, values, previous):
    """The key of the sections of an unbound form of ``sheet`` (as ``sheets.build`` gives it); values and
    previous: key → ``store.CellValue``."""
    digest = hashlib.sha256(repr((sheet.key, sorted(values.items()), sorted(previous.items()))).encode()).hexdigest()
    return f"entry-sections:{_CODE}:{digest}"


CACHE_SECONDS = 60 * 60


def cached(key):
    """The sections' HTML kept under ``key``, or None. The key names its contents: a process keeps its own copy."""
    html = stamps.local_copy(key)
    if html is None:
        compressed = cache.get(key)
        if compressed is None:
            return None
        html = zlib.decompress(compressed).decode()
        stamps.keep_local(key, html, CACHE_SECONDS)
    return html


def keep(key, html):
    cache.set(key, zlib.compress(html.encode(), 1), CACHE_SECONDS)
    stamps.keep_local(key, html, CACHE_SECONDS)
