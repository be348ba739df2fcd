"""Sealing the package PDF with a firm's certificate, and `package verify` reporting the seal."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import zipfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from click.testing import CliRunner
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID
from weasyprint import HTML

from core.blobstore import LocalBlobStore
from core.settings import Settings
from narratives.models import ExportPackage
from narratives.package import BuildRequest, build_package, rerender_pdf, verify_zip
from narratives.package.bag import in_memory, write_bag
from narratives.package.seal import (
    SealCheck,
    SealingKey,
    SealingUnavailable,
    check_seals,
    configured_key,
    seal_pdf,
)
from studies.models import Role
from tests.narratives.package.small_study import build_small_study
from webapp.commands.package import verify_command

PASSPHRASE = "firm passphrase"
WHEN = dt.datetime(2026, 3, 1, 12, 0, tzinfo=dt.UTC)


def self_signed_pkcs12(common_name: str = "Example CPA Firm LLP", passphrase: str = PASSPHRASE) -> bytes:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])
    now = dt.datetime.now(dt.UTC)
    certificate = (
        x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1)).not_valid_after(now + dt.timedelta(days=365))
        .add_extension(x509.KeyUsage(digital_signature=True, content_commitment=True, key_encipherment=False,
                                     data_encipherment=False, key_agreement=False, key_cert_sign=False,
                                     crl_sign=False, encipher_only=False, decipher_only=False), critical=True)
        .sign(key, hashes.SHA256()))
    return pkcs12.serialize_key_and_certificates(
        b"firm", key, certificate, None, serialization.BestAvailableEncryption(passphrase.encode()))


@pytest.fixture(scope="module")
def firm_key() -> SealingKey:
    return SealingKey(self_signed_pkcs12(), PASSPHRASE.encode())


@pytest.fixture(scope="module")
def plain_pdf() -> bytes:
    return HTML(string="<h1>Audit-defense file</h1><p>Credit claimed: $1,234.</p>").write_pdf()


def test_a_sealed_pdf_is_the_original_plus_a_valid_signature(firm_key: SealingKey, plain_pdf: bytes) -> None:
    sealed = seal_pdf(plain_pdf, firm_key, reason="test seal")
    assert sealed.startswith(plain_pdf) and len(sealed) > len(plain_pdf)
    [seal] = check_seals(sealed)
    assert seal.valid and not seal.trusted  # self-signed: intact, but no trusted root vouches for it
    assert "Example CPA Firm LLP" in seal.signer and "VALID" in str(seal)
    assert check_seals(plain_pdf) == [] and check_seals(b"%PDF-1.7 not really") == []


def test_sealing_and_checking_work_inside_a_running_event_loop(firm_key: SealingKey,
                                                               plain_pdf: bytes) -> None:
    """A web server or a browser driver may already run a loop in this thread (CI found it)."""
    async def inside_a_loop() -> list[SealCheck]:
        return check_seals(seal_pdf(plain_pdf, firm_key, reason="test seal"))

    # a thread of its own: this one may already run a loop (Playwright's, in the same test process)
    with ThreadPoolExecutor(max_workers=1) as pool:
        found = pool.submit(lambda: asyncio.run(inside_a_loop())).result()
    [seal] = found
    assert seal.valid


def test_a_changed_byte_under_the_seal_makes_it_invalid(firm_key: SealingKey, plain_pdf: bytes) -> None:
    sealed = bytearray(seal_pdf(plain_pdf, firm_key, reason="test seal"))
    position = sealed.index(b"/MediaBox")
    sealed[position + 1:position + 2] = b"m"  # a signed byte, same length: the signature no longer matches
    [seal] = check_seals(bytes(sealed))
    assert not seal.valid and "INVALID" in str(seal)


def test_a_wrong_passphrase_or_a_missing_file_refuses_to_seal(tmp_path: Path, plain_pdf: bytes) -> None:
    with pytest.raises(SealingUnavailable, match="cannot be opened"):
        seal_pdf(plain_pdf, SealingKey(self_signed_pkcs12(), b"not the passphrase"), reason="x")
    with pytest.raises(SealingUnavailable, match="cannot be read"):
        configured_key(Settings(signing_pkcs12=tmp_path / "absent.p12", database_url="sqlite://",
                                storage_url=str(tmp_path), secret_key="x"))


def test_the_key_comes_from_the_settings(tmp_path: Path) -> None:
    path = tmp_path / "firm.p12"
    path.write_bytes(self_signed_pkcs12())
    common = {"database_url": "sqlite://", "storage_url": str(tmp_path), "secret_key": "x"}
    assert configured_key(Settings(**common)) is None
    key = configured_key(Settings(signing_pkcs12=path, signing_passphrase=PASSPHRASE, **common))
    assert key is not None and key.passphrase == PASSPHRASE.encode()


def _bag_with_pdf(path: Path, pdf: bytes) -> Path:
    manifest = json.dumps({"exhibits": []}).encode()
    payload = [in_memory("package.pdf", pdf), in_memory("manifest.json", manifest)]
    with path.open("wb") as out:
        write_bag(out, bag_name="bag", payload=payload, bag_info={}, readme="read me\n", when=WHEN)
    return path


def test_verify_reports_a_valid_seal_and_fails_on_a_broken_one(tmp_path: Path, firm_key: SealingKey,
                                                                plain_pdf: bytes) -> None:
    sealed = seal_pdf(plain_pdf, firm_key, reason="test seal")
    good = _bag_with_pdf(tmp_path / "good.zip", sealed)
    result = verify_zip(good)
    assert result.ok and [(pdf, seal.valid) for pdf, seal in result.seals] == [("data/package.pdf", True)]
    run = CliRunner().invoke(verify_command, [str(good)])
    assert run.exit_code == 0 and "signature FourpartSeal: VALID" in run.output
    broken = bytearray(sealed)
    position = broken.index(b"/MediaBox")
    broken[position + 1:position + 2] = b"m"
    bad = _bag_with_pdf(tmp_path / "bad.zip", bytes(broken))  # the bag's hashes match the broken file
    assert [p.kind for p in verify_zip(bad).problems] == ["signature"]
    run = CliRunner().invoke(verify_command, [str(bad)])
    assert run.exit_code == 1 and "INVALID" in run.output


@pytest.mark.slow
def test_a_sealed_package_verifies_and_its_rerender_is_the_signed_revision(
        session, db, client, sign_in, make_user, make_study, tmp_path: Path, firm_key: SealingKey) -> None:
    store = LocalBlobStore(tmp_path / "blobs")
    cpa = make_user()
    study = make_study(members={cpa: Role.CPA})
    small = build_small_study(session, db, store, study, make_user(), make_user())
    built = build_package(db, store, small.study.id, BuildRequest(), sealing=firm_key)
    assert built.sealed and built.as_json()["sealed"] is True
    assert session.get_one(ExportPackage, built.package_id).sealed_by == "Common Name: Example CPA Firm LLP"
    sign_in(cpa)
    listed = client.get(f"/studies/{small.study.slug}/packages").get_data(as_text=True)
    assert 'data-testid="package-sealed"' in listed and "by Common Name: Example CPA Firm LLP" in listed
    zip_path = tmp_path / built.zip_name
    zip_path.write_bytes(store.read_bytes(built.zip_sha256))
    result = verify_zip(zip_path)
    assert result.ok and [seal.valid for _pdf, seal in result.seals] == [True]
    with zipfile.ZipFile(zip_path) as archive:
        assert f"{built.zip_name[:-4]}/data/schedules/gl-lines.csv" in archive.namelist()
    pdf = store.read_bytes(built.pdf_sha256)
    assert pdf.startswith(rerender_pdf(db, store, built.package_id))
