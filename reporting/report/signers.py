"""Whether a certificate belongs to the person the signature block names.

The block's last line under the signature is the signer, often after a rank ("Trung tướng Lê Hồng Nam");
a certificate names its holder in its common name, in capitals or not, and some certification
authorities drop the diacritics ("LE HONG NAM"). Names are compared on their letters alone.
"""

import unicodedata

# The ranks of the People's Public Security and the army that may precede a signer's name (Luật CAND 2018,
# Luật Sĩ quan QĐND): the demo's certificate names the person without them.
RANKS = ("Đại tướng", "Thượng tướng", "Trung tướng", "Thiếu tướng", "Đại tá", "Thượng tá", "Trung tá", "Thiếu tá",
         "Đại úy", "Thượng úy", "Trung úy", "Thiếu úy")


def block_signer(document_data):
    """The line naming the signer in a stored document (``ReportVersion.document``), or ""."""
    below = document_data.get("signature", {}).get("below") or []
    return below[-1] if below else ""


def holder_name(signer_line):
    """The person's name in a signer line: "Trung tướng Lê Hồng Nam" → "Lê Hồng Nam"."""
    line = " ".join(signer_line.split())
    for rank in RANKS:
        if _letters(line).startswith(_letters(rank) + " "):
            return line[len(rank):].strip()
    return line


def certificate_holder(certificate):
    """The common name of an asn1crypto certificate (pyHanko's), or ""."""
    return certificate.subject.native.get("common_name", "") if certificate is not None else ""


def names_signer(certificate_name, signer_line):
    """True when the certificate's name is the name at the end of the block's signer line."""
    name, line = _letters(certificate_name), _letters(signer_line)
    return bool(name) and (line == name or line.endswith(" " + name))


def _letters(text):
    """Lower case, no diacritics, "đ" as "d", single spaces."""
    decomposed = unicodedata.normalize("NFD", text.casefold().replace("đ", "d"))
    return " ".join("".join(char for char in decomposed if not unicodedata.combining(char)).split())
