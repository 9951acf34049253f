#!/usr/bin/env python3
"""Sign a report's digest on the signer's own machine: reads the SHA-256 digest the server handed out (hex or
base64, on stdin or --digest) and writes the CMS signature (.p7s, DER) to send back. The PDF never comes here,
and the private key never leaves this machine: it stays in the PKCS#12 file or on the USB token.

Standalone on purpose (needs only `pip install "pyHanko[pkcs11]"`), so a signer runs it without the project:

    sign_digest.py --pkcs12 ca-nhan.p12 --out chu-ky.p7s < digest.txt    # password: SIGN_DIGEST_PASSWORD or asked
    sign_digest.py --pkcs11-module /path/vendor.so --token-label T --key-label K --digest HEX   # PIN: SIGN_DIGEST_PIN
    sign_digest.py --pkcs12 ca-nhan.p12 --certificate                       # the certificate (PEM) to upload first
"""

import argparse
import asyncio
import base64
import binascii
import contextlib
import getpass
import os
import re
import sys

from asn1crypto import pem
from pyhanko.sign import signers


def main(argv=None):
    args = _parser().parse_args(argv)
    # The digest first: a wrong one is refused before the password or the PIN is asked for.
    digest = None if args.certificate else _digest(args.digest if args.digest is not None else sys.stdin.read())
    with _signer(args) as signer:
        if args.certificate:
            sys.stdout.write(pem.armor("CERTIFICATE", signer.signing_cert.dump()).decode("ascii"))
            return 0
        # use_pades: the signed attributes PAdES asks for (signing-certificate-v2, no signing-time: the PDF
        # carries the time), over the digest as a precomputed hash, never hashed again.
        signature = asyncio.run(signer.async_sign(digest, "sha256", use_pades=True)).dump()
    if args.base64:
        signature = base64.b64encode(signature) + b"\n"
    if args.out:
        with open(args.out, "wb") as out:
            out.write(signature)
    else:
        sys.stdout.buffer.write(signature)
    return 0


def _parser():
    parser = argparse.ArgumentParser(description="Ký giá trị băm SHA-256 của báo cáo, xuất chữ ký CMS (.p7s).")
    parser.add_argument("--digest", help="giá trị băm (hex hoặc base64); mặc định đọc từ đầu vào chuẩn")
    parser.add_argument("--pkcs12", help="tệp chứng thư số .p12/.pfx của người ký")
    parser.add_argument("--pkcs11-module", help="thư viện PKCS#11 (.so/.dll) của thiết bị ký số")
    parser.add_argument("--token-label", help="nhãn thiết bị ký số")
    parser.add_argument("--key-label", help="nhãn khóa ký (và chứng thư) trên thiết bị")
    parser.add_argument("--out", help="ghi chữ ký vào tệp này; mặc định ra đầu ra chuẩn")
    parser.add_argument("--base64", action="store_true", help="xuất chữ ký dạng base64 thay vì DER")
    parser.add_argument("--certificate", action="store_true", help="chỉ in chứng thư số của người ký (PEM)")
    return parser


@contextlib.contextmanager
def _signer(args):
    if args.pkcs12:
        password = os.environ.get("SIGN_DIGEST_PASSWORD")
        if password is None:
            password = getpass.getpass("Mật khẩu tệp chứng thư số: ")
        try:
            with open(args.pkcs12, "rb") as file:
                signer = signers.SimpleSigner.load_pkcs12_data(file.read(), other_certs=(),
                                                               passphrase=password.encode() or None)
        except OSError as error:
            sys.exit(f"Không mở được tệp chứng thư số “{args.pkcs12}” ({error.strerror}).")
        except ValueError:
            sys.exit(f"Không đọc được tệp chứng thư số “{args.pkcs12}”: sai mật khẩu hoặc tệp không phải PKCS#12.")
        yield signer
    elif args.pkcs11_module and args.key_label:
        from pkcs11.exceptions import PKCS11Error
        from pyhanko.config.pkcs11 import TokenCriteria
        from pyhanko.sign.pkcs11 import PKCS11Signer, open_pkcs11_session

        pin = os.environ.get("SIGN_DIGEST_PIN") or getpass.getpass("Mã PIN thiết bị ký số: ")
        criteria = TokenCriteria(label=args.token_label) if args.token_label else None
        try:
            session = open_pkcs11_session(args.pkcs11_module, token_criteria=criteria, user_pin=pin)
        except PKCS11Error as error:  # a wrong PIN among others: tokens lock after a few, so say it plainly
            sys.exit(f"Không mở được thiết bị ký số ({type(error).__name__}): kiểm tra thiết bị, nhãn và mã PIN "
                     "trước khi thử lại; nhập sai PIN nhiều lần sẽ khóa thiết bị.")
        try:
            # other_certs_to_pull=None: the CA certificates on the token travel with the signature.
            yield PKCS11Signer(session, key_label=args.key_label, cert_label=args.key_label, other_certs_to_pull=None)
        finally:
            session.close()
    else:
        sys.exit("Cần --pkcs12 TỆP, hoặc --pkcs11-module THƯ_VIỆN và --key-label NHÃN.")


def _digest(text):
    text = text.strip()
    try:
        is_hex = re.fullmatch(r"[0-9A-Fa-f]{64}", text)
        digest = bytes.fromhex(text) if is_hex else base64.b64decode(text, validate=True)
    except (ValueError, binascii.Error):
        digest = b""
    if len(digest) != 32:
        sys.exit("Giá trị băm không hợp lệ: cần giá trị băm SHA-256 (64 ký tự hex hoặc base64) do hệ thống cấp.")
    return digest


if __name__ == "__main__":
    sys.exit(main())
