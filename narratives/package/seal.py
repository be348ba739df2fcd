"""Sealing the package PDF with the firm's certificate (PAdES, pyHanko), and checking a seal.

The seal is an incremental update appended to the rendered PDF, so the bytes before it are exactly
the unsealed document: a re-render of a version matches the revision the seal covers. Checking
needs nothing but the PDF: whether the signature matches the signed bytes, whether anything was
added after it, and who signed. Whether the signer's certificate chains to a trusted root is
reported apart, checked offline against the roots given (none by default: a firm's own
certificate is usually not in any public trust store).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import io
import logging
from collections.abc import Callable, Coroutine
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from asn1crypto import x509
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.misc import PdfError
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import signers
from pyhanko.sign.general import SigningError
from pyhanko.sign.validation import async_validate_pdf_signature
from pyhanko.sign.validation.pdf_embedded import EmbeddedPdfSignature
from pyhanko.sign.validation.status import SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext

from core.settings import Settings

FIELD_NAME = "FourpartSeal"
T = TypeVar("T")
# pyHanko logs every untrusted chain and unreachable revocation source at WARNING; the check
# below reports trust in its own words, so that noise stays out of the CLI's output.
for _name in ("pyhanko", "pyhanko_certvalidator"):
    logging.getLogger(_name).setLevel(logging.ERROR)


class SealingUnavailable(RuntimeError):
    """The configured certificate cannot be used to seal (missing file, wrong passphrase, no key)."""


@dataclass(frozen=True)
class SealingKey:
    """The firm's PKCS#12 bundle (certificate and private key) and its passphrase."""

    pkcs12: bytes = field(repr=False)
    passphrase: bytes | None = field(default=None, repr=False)  # never in logs or tracebacks

    @classmethod
    def from_file(cls, path: Path, passphrase: str | None) -> SealingKey:
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise SealingUnavailable(f"the signing certificate {path} cannot be read ({exc.strerror})") \
                from exc
        return cls(data, passphrase.encode() if passphrase else None)

    def signer(self) -> signers.SimpleSigner:
        try:
            signer = signers.SimpleSigner.load_pkcs12_data(self.pkcs12, (), passphrase=self.passphrase)
        except (ValueError, TypeError) as exc:
            raise SealingUnavailable(f"the signing certificate cannot be opened ({exc})") from exc
        if signer is None or signer.signing_cert is None:
            raise SealingUnavailable("the PKCS#12 file holds no certificate with a private key")
        return signer

    def subject(self) -> str:
        """Whom the certificate names (``Common Name: Example CPA Firm LLP``), as the package page says."""
        certificate = self.signer().signing_cert
        assert certificate is not None  # signer() refuses a bundle without one
        return str(certificate.subject.human_friendly)


def configured_key(settings: Settings) -> SealingKey | None:
    """The firm's sealing key when ``FOURPART_SIGNING_PKCS12`` names one; None leaves PDFs unsealed."""
    if settings.signing_pkcs12 is None:
        return None
    return SealingKey.from_file(settings.signing_pkcs12, settings.signing_passphrase)


def seal_pdf(pdf: bytes, key: SealingKey, *, reason: str, signer_name: str | None = None) -> bytes:
    """The PDF with the firm's signature over every byte of it, appended as an incremental update."""
    meta = signers.PdfSignatureMetadata(field_name=FIELD_NAME, reason=reason, name=signer_name,
                                        md_algorithm="sha256")
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False)
    try:
        out = _run(lambda: signers.async_sign_pdf(writer, meta, signer=key.signer()))
    except (SigningError, PdfError) as exc:
        raise SealingUnavailable(f"the PDF could not be sealed ({exc})") from exc
    return bytes(out.getbuffer())


@dataclass(frozen=True)
class SealCheck:
    """One signature found in a PDF and what checking it showed."""

    name: str  # the signature field's name
    signer: str
    signed_at: dt.datetime | None
    valid: bool  # the signature matches the signed bytes and nothing was changed after it
    trusted: bool  # the certificate chains to one of the trust roots given
    detail: str

    def __str__(self) -> str:
        when = self.signed_at.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M UTC") if self.signed_at else "?"
        verdict = "VALID" if self.valid else "INVALID"
        trust = "certificate trusted" if self.trusted else "certificate not checked against a trusted root"
        return f"signature {self.name}: {verdict}, signed by {self.signer} at {when}; {trust}. {self.detail}"


def check_seals(pdf: bytes, trust_roots: tuple[x509.Certificate, ...] = ()) -> list[SealCheck]:
    """Every signature embedded in the PDF, each checked; an empty list when it is not sealed.

    A file that cannot be parsed is only a broken seal when it carries a signature's byte range;
    otherwise it holds no seal to check (the bag's hashes say whether it is the file packaged).
    """
    try:
        reader = PdfFileReader(io.BytesIO(pdf), strict=False)
        embedded = list(reader.embedded_signatures)
    except (PdfError, ValueError, KeyError) as exc:
        if b"/ByteRange" not in pdf:
            return []
        return [SealCheck("?", "?", None, False, False, f"the PDF's signatures cannot be read ({exc})")]
    return [_check(signature, trust_roots) for signature in embedded]


def _check(signature: EmbeddedPdfSignature, trust_roots: tuple[x509.Certificate, ...]) -> SealCheck:
    context = ValidationContext(trust_roots=list(trust_roots), allow_fetching=False)
    try:
        status = _run(lambda: async_validate_pdf_signature(signature, context))
    except (PdfError, ValueError, KeyError, SigningError) as exc:
        return SealCheck(signature.field_name, "?", None, False, False, f"cannot be checked ({exc})")
    whole = status.coverage == SignatureCoverageLevel.ENTIRE_FILE
    modified = status.modification_level is not None and status.modification_level.value > 0
    valid = bool(status.intact and status.valid and (whole or not modified))
    if not (status.intact and status.valid):
        detail = "The signed bytes were changed after signing, or the signature does not match them."
    elif not whole and modified:
        detail = "The PDF was changed after it was sealed."
    elif whole:
        detail = "It covers the whole file."
    else:
        detail = "It covers the signed revision; later additions change nothing shown."
    return SealCheck(signature.field_name, status.signing_cert.subject.human_friendly,
                     status.signer_reported_dt, valid, bool(status.trusted), detail)


def _run(make: Callable[[], Coroutine[Any, Any, T]]) -> T:
    """Run one of pyHanko's coroutines to its end. Its blocking wrappers call ``asyncio.run``, which
    fails in a thread whose event loop is already running (an async server, Playwright's sync API);
    there the coroutine runs in a thread of its own."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(make())
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(lambda: asyncio.run(make())).result()
