"""Reads every file of a folder as the upload points do; prints each file's time and the process's peak memory.

Each file's time is measured with Python's allocations traced (tracemalloc: the
most the readers held at once, ``allocated_mb``), which slows them somewhat.

``python -m tests.excel.read_corpus FOLDER`` (test_workbook_memory.py runs it in a
process of its own, so that the peak is the readers' and not the test suite's):
FOLDER holds the files and ``manifest.json``, a list of {"file", "name", "point"}
where point is "workbook" (opened and read row by row, each value that is not a
text cleaned as a count) or "evidence" (``evidence.check_upload``). Prints one
JSON object.
"""

import json
import resource
import sys
import time
import tracemalloc
from pathlib import Path


MB = 1024 * 1024


def peak_mb():
    """The process's peak resident memory so far.

    Linux's VmHWM, of this program only: getrusage's ru_maxrss would also count
    the parent's memory at the time it forked this process (the test suite's).
    """
    try:
        status = Path("/proc/self/status").read_text()
    except OSError:
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024   # kilobytes on Linux, bytes on macOS
    kilobytes = next(line.split()[1] for line in status.splitlines() if line.startswith("VmHWM:"))
    return int(kilobytes) / 1024


def main(folder):
    import django

    django.setup()
    from django.core.exceptions import ValidationError
    from django.core.files.uploadedfile import SimpleUploadedFile

    from reporting.submissions import evidence

    baseline, results = peak_mb(), []
    tracemalloc.start()
    for entry in json.loads((folder / "manifest.json").read_text()):
        content = (folder / entry["file"]).read_bytes()
        upload = SimpleUploadedFile(entry["file"], content)
        tracemalloc.reset_peak()
        started = time.perf_counter()
        try:
            evidence.check_upload(upload) if entry["point"] == "evidence" else read_workbook(upload)
            outcome = "accepted"
        except ValidationError as error:
            outcome = "refused: " + " ".join(error.messages)[:120]
        results.append({"name": entry["name"], "point": entry["point"], "seconds": time.perf_counter() - started,
                        "outcome": outcome, "peak_mb": peak_mb(), "allocated_mb": tracemalloc.get_traced_memory()[1] / MB})
        del content, upload
    print(json.dumps({"baseline_mb": baseline, "peak_mb": peak_mb(), "cases": results}, ensure_ascii=False))


def read_workbook(upload):
    from django.core.exceptions import ValidationError

    from reporting.excel import workbooks
    from reporting.submissions import rules

    book = workbooks.open_workbook(upload)
    for sheet in book.worksheets:
        for _, values in workbooks.rows_of(sheet, first_row=1, columns=sheet.max_column):
            for value in values:
                if workbooks.formula_text(value):
                    raise ValidationError("công thức")
                if value is not None and not isinstance(value, str):   # a number, a date…: read as a count
                    rules.parse_count(value)


if __name__ == "__main__":
    main(Path(sys.argv[1]))
