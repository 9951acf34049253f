"""The two signature fields of an issued report, in signing order, and the error signing raises.

Their own module so that the modules drawing the signatures (``pdf_marks``, ``issuance_fields``) and the one
applying them (``signing``) share them without importing each other.
"""

# Vietnamese practice (Decree 30/2020): the competent person signs first, then the organisation's signature
# (in place of the seal) is appended over it.
PERSON_FIELD = "ChuKyNguoiKy"
ORGANISATION_FIELD = "ChuKyCoQuan"


class SigningError(Exception):
    """The signer's key cannot be used (file, token, PIN, key label) or the PDF cannot take the signature;
    the message is Vietnamese."""
