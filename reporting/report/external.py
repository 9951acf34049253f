"""The signer signs a finalised version with their own tool; the server never holds their key.

``prepare`` keeps the version's PDF with an empty signature and shows the digest; the signer's tool (the
VGCA plugin of their USB token, a CA's remote-signing app, or ``scripts/sign_digest.py``) signs that digest
and returns a CMS; ``complete`` embeds it, checks it and records the signature as ``issue.sign_as_signer``
does for a key the server holds. See docs/signing.md.
"""

from django.core.files.base import ContentFile
from django.db import transaction

from reporting.models import PendingSignature
from reporting.report import external_signing, issue, signers, signing


def prepare(version, user, *, certificate=b"", mismatch_reason=""):
    """The pending signature of ``version``, replacing an earlier one; WorkflowError/SigningError when refused.

    A certificate given now (exported from the token) is checked against the block's signer before anyone
    signs; the CMS that comes back is checked again, whatever was given.
    """
    issue.ensure_awaits_signature(version, user)
    if certificate:
        holder = signers.certificate_holder(external_signing.certificate_from(certificate))
        mismatch_reason = issue.accepted_mismatch(version, holder, mismatch_reason)
    with version.pdf.open("rb") as stored:
        content = stored.read()
    prepared = external_signing.prepare(content, field_name=signing.PERSON_FIELD, certificate=certificate or None,
                                        **issue.person_signature(version))
    with transaction.atomic():
        earlier = PendingSignature.objects.filter(version=version).first()
        if earlier:
            earlier.prepared_pdf.delete(save=False)
            earlier.delete()
        pending = PendingSignature(
            version=version, field_name=prepared.field_name, digest=prepared.digest,
            contents_start=prepared.contents_start, contents_end=prepared.contents_end,
            certificate=prepared.certificate, mismatch_reason=" ".join(mismatch_reason.split()), requested_by=user)
        pending.prepared_pdf.save("bao-cao-cho-ky.pdf", ContentFile(prepared.pdf), save=False)
        pending.save()
    return pending


def to_sign(pending):
    """What the signer's tool needs: the algorithm, the digest in hex and in base64."""
    return external_signing.digest_to_sign(_prepared(pending))


def complete(pending, user, cms_bytes):
    """Embed the signer's CMS: the version is then signed by the person the certificate names."""
    version = pending.version
    issue.ensure_awaits_signature(version, user)
    signed = external_signing.embed(_prepared(pending), cms_bytes)
    reason = issue.accepted_mismatch(version, signed.signer_name, pending.mismatch_reason)
    issue.record_person_signature(version, user, signed.pdf, signer_name=signed.signer_name, mismatch_reason=reason)
    pending.prepared_pdf.delete(save=False)
    pending.delete()
    return version


def _prepared(pending):
    with pending.prepared_pdf.open("rb") as stored:
        content = stored.read()
    return external_signing.PreparedSignature(
        pdf=content, field_name=pending.field_name, digest=bytes(pending.digest),
        contents_start=pending.contents_start, contents_end=pending.contents_end,
        certificate=bytes(pending.certificate))
