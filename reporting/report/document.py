"""The report as data: what the composer builds and every renderer reads.

Both files of a version (PDF through HTML, DOCX) are rendered from the same
``Document``, so they carry the same words and numbers; ``plain_text`` is that
content as text, for tests and for the content hash of a finalised version.
The layout follows Decree 30/2020/NĐ-CP (header block, numbered sections,
"Nơi nhận:" beside the signature), but nothing here knows about a city: the
issuer, the place, the signer and the recipients are data.
"""

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Footnote:
    text: str


@dataclass(frozen=True)
class Run:
    """A piece of a paragraph; figures are bold in Vietnamese reports ("**3.600/3.832** hồ sơ")."""

    text: str
    bold: bool = False
    italic: bool = False
    footnote: Footnote | None = None   # referenced right after this run


class Style:
    TITLE = "title"            # BÁO CÁO
    SUBTITLE = "subtitle"      # the summary line under the title, bold, centred
    CENTERED = "centered"      # e.g. the data window, italic, centred
    HEADING = "heading"        # I., II., … bold
    SUBHEADING = "subheading"  # 1., 2., … bold
    BODY = "body"              # justified, first-line indent


@dataclass
class Paragraph:
    runs: list
    style: str = Style.BODY
    # Where the text came from, so PC06 can edit it: a note's key, ``cells.DIRECTION.key`` (None for generated text).
    source: str | None = None

    @property
    def text(self):
        return "".join(run.text for run in self.runs)


@dataclass
class Table:
    header: list
    rows: list                 # lists of str, already formatted ("3.832", "93,95%")
    numeric: set = field(default_factory=set)   # indexes of right-aligned columns
    widths: list | None = None                  # relative column widths


@dataclass
class HeaderBlock:
    issuer: list               # left, upper case: ["BAN CHỈ ĐẠO ĐỀ ÁN 06", "THÀNH PHỐ HỒ CHÍ MINH"]
    number: str                # "Số: 125/BC-BCĐ" (dots while a draft)
    place_date: str            # "Thành phố Hồ Chí Minh, ngày 19 tháng 4 năm 2024"
    motto: tuple = ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc")
    # Finalised, to be numbered and dated by the records office (văn thư) after the signer has signed:
    # the PDF leaves a form field for each, filled in when the office issues it (Decree 30, Phụ lục I).
    awaiting_issue: bool = False
    place: str = ""            # the settings' place ("<địa danh>"): the part of place_date before the date
    number_suffix: str = ""    # "/BC-BCĐ": printed after the number the office gives


@dataclass
class SignatureBlock:
    recipients: list           # lines after "Nơi nhận:", e.g. "- Bộ Công an (C06);"
    above: list                # over the signature: ["KT. TRƯỞNG BAN", "PHÓ TRƯỞNG BAN THƯỜNG TRỰC"]
    below: list                # under it, the signer: ["GIÁM ĐỐC CÔNG AN", "THÀNH PHỐ …", "Trung tướng …"]


@dataclass
class Document:
    header: HeaderBlock
    blocks: list               # Paragraph | Table, in order
    signature: SignatureBlock
    draft_notice: str = ""     # printed on a draft, e.g. that unapproved figures are included
    # After the signature, from a new page: e.g. a unit's "Phụ lục" table of its services (seed 004).
    appendix: list = field(default_factory=list)
    issuing_body: str = ""     # who issues it, as a file's properties name its author: "Ban Chỉ đạo Đề án 06 …"

    @property
    def footnotes(self):
        """Footnotes in the order they are referenced: their numbers in every renderer."""
        return [run.footnote for block in [*self.blocks, *self.appendix] if isinstance(block, Paragraph)
                for run in block.runs if run.footnote]


def runs(*parts):
    """Runs from str (plain) and Run parts: ``runs("(1) Đăng ký ", bold("3.600/3.832"), " hồ sơ")``."""
    return [part if isinstance(part, Run) else Run(part) for part in parts if part != ""]


def bold(text):
    return Run(text, bold=True)


def italic(text):
    return Run(text, italic=True)


def plain_text(document):
    """The document's words in reading order, one block per line; footnotes at the end."""
    lines = [*document.header.issuer, *document.header.motto, document.header.number, document.header.place_date]
    if document.draft_notice:
        lines.append(document.draft_notice)
    lines += _block_lines(document.blocks)
    signature = document.signature
    lines += ["Nơi nhận:", *signature.recipients, *signature.above, *signature.below]
    lines += _block_lines(document.appendix)
    lines += [f"{number}. {footnote.text}" for number, footnote in enumerate(document.footnotes, start=1)]
    return "\n".join(line for line in lines if line)


def _block_lines(blocks):
    lines = []
    for block in blocks:
        if isinstance(block, Paragraph):
            lines.append(block.text)
        else:
            lines.append(" | ".join(block.header))
            lines += [" | ".join(row) for row in block.rows]
    return lines


# --- stored form -----------------------------------------------------------------
# A finalised version keeps its document as data, so re-rendering it years later
# gives the same words whatever the data or the code have become since.


def to_data(document):
    return {
        "header": {"issuer": document.header.issuer, "number": document.header.number,
                   "place_date": document.header.place_date, "motto": list(document.header.motto),
                   "awaiting_issue": document.header.awaiting_issue, "place": document.header.place,
                   "number_suffix": document.header.number_suffix},
        "blocks": [block_data(block) for block in document.blocks],
        "signature": {"recipients": document.signature.recipients, "above": document.signature.above,
                      "below": document.signature.below},
        "draft_notice": document.draft_notice,
        "appendix": [block_data(block) for block in document.appendix],
        "issuing_body": document.issuing_body,
    }


def from_data(data):
    header = dict(data["header"], motto=tuple(data["header"]["motto"]))
    return Document(HeaderBlock(**header), [_block(block) for block in data["blocks"]],
                    _signature(data["signature"]), data["draft_notice"],
                    [_block(block) for block in data.get("appendix", [])], data.get("issuing_body", ""))


def _signature(data):
    if "above" not in data:     # versions issued before the block had any number of lines: authority, title, name
        return SignatureBlock(data["recipients"], [line for line in (data["authority"], data["title"]) if line],
                              [data["name"]] if data["name"] else [])
    return SignatureBlock(**data)


def block_data(block):
    """A paragraph or table as the stored form holds it (and the PDF's template reads it)."""
    if isinstance(block, Table):
        return {"table": {"header": block.header, "rows": block.rows, "numeric": sorted(block.numeric),
                          "widths": block.widths}}
    return {"style": block.style, "source": block.source, "runs": [
        {"text": run.text, "bold": run.bold, "italic": run.italic,
         "footnote": run.footnote.text if run.footnote else None} for run in block.runs]}


def _block(data):
    if "table" in data:
        table = data["table"]
        return Table(table["header"], table["rows"], set(table["numeric"]), table["widths"])
    return Paragraph([Run(run["text"], run["bold"], run["italic"], Footnote(run["footnote"]) if run["footnote"] else None)
                      for run in data["runs"]], data["style"], data["source"])
