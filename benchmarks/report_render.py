"""A 15-page BÁO CÁO rendered to PDF (WeasyPrint) and DOCX (python-docx), and LibreOffice's PDF for scale.

PC06 renders the report again after every edit before signing, so both files
must come back while the person waits: ≤ 2 s for the PDF, ≤ 0.5 s for the DOCX
(medians of 5). The comparison, when LibreOffice is installed, converts the
same DOCX to PDF the way a server without WeasyPrint would (a fresh headless
process each time, as a web request would start it).
"""

import shutil
import statistics
import subprocess
import tempfile
import time
from pathlib import Path

from weasyprint import HTML

from reporting.formatting import format_number
from reporting.report.document import Table
from reporting.report.render_docx import to_docx
from reporting.report.render_html import to_html
from reporting.report.render_pdf import to_pdf
from tests.report.samples import sample_document

PAGES = 15
REPEATS = 5
LIBREOFFICE_REPEATS = 3     # each run starts LibreOffice (≈ 2 s): three are enough for a median
GOAL_PDF_SECONDS = 2.0
GOAL_DOCX_SECONDS = 0.5


def median_seconds(function, repeats=REPEATS):
    timings = []
    for _ in range(repeats):
        started = time.perf_counter()
        result = function()
        timings.append(time.perf_counter() - started)
    return statistics.median(timings), result


def pdf_pages(document):
    # The PDF's page objects are compressed; WeasyPrint's own layout says how many there are.
    return len(HTML(string=to_html(document)).render().pages)


def libreoffice_seconds(docx_content):
    """Median seconds of ``libreoffice --headless --convert-to pdf``; None without LibreOffice."""
    program = shutil.which("libreoffice") or shutil.which("soffice")
    if not program:
        return None
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "bao-cao.docx"
        source.write_bytes(docx_content)
        # Its own profile: a LibreOffice the user has open would otherwise take the job and skew the time.
        command = [program, f"-env:UserInstallation=file://{folder}/profile", "--headless",
                   "--convert-to", "pdf", "--outdir", folder, str(source)]

        def convert():
            subprocess.run(command, check=True, capture_output=True, timeout=120)

        convert()   # the first start creates the profile: not part of a conversion
        seconds, _ = median_seconds(convert, LIBREOFFICE_REPEATS)
        return seconds


def run():
    document = sample_document(pages=PAGES)
    # Warm both up (fonts, templates, imports) on a one-page report, so that neither pays for starting.
    to_pdf(sample_document(pages=1))
    to_docx(sample_document(pages=1))
    pdf_seconds, pdf = median_seconds(lambda: to_pdf(document))
    docx_seconds, docx = median_seconds(lambda: to_docx(document))
    tables = sum(isinstance(block, Table) for block in document.blocks)
    print(f"Kết xuất báo cáo {pdf_pages(document)} trang ({format_number(len(document.blocks))} khối, "
          f"{tables} bảng, {len(document.footnotes)} chú thích; trung vị {REPEATS} lần)")
    print(f"  PDF  (HTML → WeasyPrint)       : {pdf_seconds:6.2f} s   (mục tiêu ≤ {GOAL_PDF_SECONDS:.0f} s), "
          f"{format_number(len(pdf) / 1024)} KB")
    print(f"  DOCX (python-docx)             : {docx_seconds:6.2f} s   (mục tiêu ≤ "
          f"{format_number(GOAL_DOCX_SECONDS, 1)} s), {format_number(len(docx) / 1024)} KB")
    office_seconds = libreoffice_seconds(docx)
    if office_seconds is None:
        print("  LibreOffice DOCX → PDF         : bỏ qua (không có lệnh libreoffice trên máy này)")
    else:
        print(f"  LibreOffice DOCX → PDF         : {office_seconds:6.2f} s   "
              f"(gấp {office_seconds / pdf_seconds:.1f}× WeasyPrint; trung vị {LIBREOFFICE_REPEATS} lần)")
    return pdf_seconds <= GOAL_PDF_SECONDS and docx_seconds <= GOAL_DOCX_SECONDS
