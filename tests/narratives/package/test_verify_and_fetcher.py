"""The bag check on intact and tampered ZIPs, and the renderer's refusal to load anything outside."""

from __future__ import annotations

import datetime as dt
import json
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from narratives.package.bag import in_memory, write_bag
from narratives.package.document import render_pdf
from narratives.package.fetcher import ASSET_BASE, PackageFetcher, RefusedURL
from narratives.package.verify import verify_zip
from webapp.commands.package import verify_command

WHEN = dt.datetime(2026, 3, 1, 12, 0, tzinfo=dt.UTC)


def _bag(path: Path) -> Path:
    manifest = {"exhibits": [{"number": 1, "file": "data/exhibits/EX-0001-notes.md",
                              "sha256": in_memory("x", b"# notes\n").sha256}]}
    payload = [in_memory("exhibits/EX-0001-notes.md", b"# notes\n"),
               in_memory("package.pdf", b"%PDF-1.7 fake"),
               in_memory("manifest.json", json.dumps(manifest).encode())]
    with path.open("wb") as out:
        write_bag(out, bag_name="bag", payload=payload, bag_info={"Source-Organization": "Client, Inc."},
                  readme="read me\n", when=WHEN)
    return path


def _rewrite(source: Path, target: Path, change) -> Path:
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w") as new:
        for info in old.infolist():
            data = change(info.filename, old.read(info))
            if data is not None:
                new.writestr(info, data)
    return target


def test_an_intact_bag_verifies_and_is_byte_for_byte_reproducible(tmp_path: Path) -> None:
    first, second = _bag(tmp_path / "a.zip"), _bag(tmp_path / "b.zip")
    result = verify_zip(first)
    assert result.ok and result.checked == 7  # 3 payload files + 4 tag files
    assert first.read_bytes() == second.read_bytes()
    assert CliRunner().invoke(verify_command, [str(first)]).exit_code == 0


def test_a_changed_byte_is_a_mismatch(tmp_path: Path) -> None:
    bad = _rewrite(_bag(tmp_path / "a.zip"), tmp_path / "bad.zip",
                   lambda name, data: data.replace(b"notes", b"notez") if name.endswith("notes.md") else data)
    result = verify_zip(bad)
    assert [(p.kind, p.path) for p in result.problems] == [("mismatch", "data/exhibits/EX-0001-notes.md")]
    run = CliRunner().invoke(verify_command, [str(bad)])
    assert run.exit_code == 1 and "MISMATCH" in run.output


def test_a_missing_and_an_extra_file_are_reported(tmp_path: Path) -> None:
    source = _bag(tmp_path / "a.zip")
    missing = _rewrite(source, tmp_path / "missing.zip",
                       lambda name, data: None if name.endswith("package.pdf") else data)
    kinds = {(p.kind, p.path) for p in verify_zip(missing).problems}
    assert ("missing", "data/package.pdf") in kinds
    extra = tmp_path / "extra.zip"
    extra.write_bytes(source.read_bytes())
    with zipfile.ZipFile(extra, "a") as archive:
        archive.writestr("bag/data/exhibits/EX-0002-smuggled.txt", b"not in any manifest")
    problems = verify_zip(extra).problems
    assert [(p.kind, p.path) for p in problems] == [("extra", "data/exhibits/EX-0002-smuggled.txt")]
    assert CliRunner().invoke(verify_command, [str(extra)]).exit_code == 1


def test_a_file_that_is_no_zip_is_invalid(tmp_path: Path) -> None:
    path = tmp_path / "no.zip"
    path.write_bytes(b"hello")
    assert [p.kind for p in verify_zip(path).problems] == ["invalid"]


@pytest.mark.parametrize("url", ["https://example.com/logo.png", "http://169.254.169.254/latest/meta-data",
                                 "file:///etc/passwd", "data:text/css,body{}", f"{ASSET_BASE}../secrets.css",
                                 f"{ASSET_BASE}missing.css"])
def test_the_fetcher_refuses_everything_but_its_own_assets(url: str) -> None:
    fetcher = PackageFetcher({"package.css": b"body {}"})
    with pytest.raises(RefusedURL):
        fetcher.fetch(url)
    assert fetcher.refused == [url]
    assert fetcher.fetch(f"{ASSET_BASE}package.css").read() == b"body {}"


def test_a_document_that_points_outside_renders_without_loading_it(tmp_path: Path) -> None:
    secret = tmp_path / "secret.css"
    secret.write_text("body { background: red }")
    fetcher = PackageFetcher({"package.css": b"p { color: black }"})
    html = (f'<html><head><link rel="stylesheet" href="{secret.as_uri()}">'
            f'<link rel="stylesheet" href="{ASSET_BASE}package.css"></head>'
            '<body><p>Hello</p><img src="https://example.com/pixel.png"></body></html>')
    pdf = render_pdf(html, pdf_variant=None, fetcher=fetcher)
    assert pdf.startswith(b"%PDF")
    assert set(fetcher.refused) == {secret.as_uri(), "https://example.com/pixel.png"}


def test_bag_entries_carry_the_package_date_and_the_bagit_tag_files(tmp_path: Path) -> None:
    path = _bag(tmp_path / "a.zip")
    with zipfile.ZipFile(path) as archive:
        assert all(info.date_time == (2026, 3, 1, 12, 0, 0) for info in archive.infolist())
        assert archive.read("bag/bagit.txt") == b"BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n"
        assert b"Payload-Oxum: " in archive.read("bag/bag-info.txt")
