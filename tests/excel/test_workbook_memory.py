"""The hostile corpus read in a process of its own: every file refused, and the process's peak memory ≤ 200 MB.

The readers are called as the upload points call them (tests/excel/read_corpus.py);
each file's time and the peak are printed with ``pytest -s``.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

from . import hostile

PEAK_MB = 200
ROOT = Path(__file__).resolve().parents[2]


def corpus():
    base = hostile.small_workbook()
    workbook_cases = (hostile.file_cases() + hostile.archive_cases(base, "xl/worksheets/sheet1.xml")
                      + hostile.cell_cases(base, "xl/worksheets/sheet1.xml", "B2"))
    evidence_cases = ([case for case in hostile.file_cases() if case.name not in hostile.IMPORT_ONLY]
                      + hostile.archive_cases(hostile.word(), "word/document.xml") + hostile.evidence_cases())
    return [("workbook", case) for case in workbook_cases] + [("evidence", case) for case in evidence_cases]


def test_the_corpus_is_refused_within_200_mb_of_memory(tmp_path):
    manifest = []
    for number, (point, case) in enumerate(corpus()):
        name = f"{number:03d}{Path(case.file_name).suffix}"
        (tmp_path / name).write_bytes(case.content)
        manifest.append({"file": name, "name": case.name, "point": point})
    (tmp_path / "manifest.json").write_text(json.dumps(manifest))
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": os.environ.get("DJANGO_SETTINGS_MODULE", "tests.settings")}
    done = subprocess.run([sys.executable, "-m", "tests.excel.read_corpus", str(tmp_path)], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    report = json.loads(done.stdout.strip().splitlines()[-1])
    print(f"\npeak {report['peak_mb']:.0f} MB (after Django started: {report['baseline_mb']:.0f} MB); "
          f"most held by a reader at once {max(case['allocated_mb'] for case in report['cases']):.1f} MB")
    for case in report["cases"]:
        print(f"  {case['point']:9} {case['name']:40} {case['seconds']:6.3f} s  {case['allocated_mb']:6.1f} MB  "
              f"{case['outcome'][:70]}")
    assert [case["name"] for case in report["cases"] if not case["outcome"].startswith("refused")] == []
    assert report["peak_mb"] <= PEAK_MB
