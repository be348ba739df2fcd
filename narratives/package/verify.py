"""Checking a package ZIP: every file against the bag's SHA-256 manifests, nothing missing, nothing extra.

Reads the ZIP only (no database, no blob store), so anyone holding the file can run it: each
payload file is hashed as it streams out of the archive, the tag files against the tag manifest,
the Payload-Oxum against the sizes, and manifest.json's exhibit hashes against the bag manifest.
"""

from __future__ import annotations

import hashlib
import json
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from core.blobstore import CHUNK_SIZE
from narratives.package.bag import BAGIT_TXT, MANIFEST, TAG_MANIFEST, decode_path
from narratives.package.seal import SealCheck, check_seals


@dataclass(frozen=True)
class Problem:
    kind: str  # "mismatch", "missing", "extra", "invalid" or "signature"
    path: str
    detail: str

    def __str__(self) -> str:
        return f"{self.kind.upper():8} {self.path}: {self.detail}"


@dataclass
class Verification:
    bag: str
    checked: int = 0
    problems: list[Problem] = field(default_factory=list)
    seals: list[tuple[str, SealCheck]] = field(default_factory=list)  # (PDF path, its signature checked)

    @property
    def ok(self) -> bool:
        return not self.problems


def verify_zip(path: Path) -> Verification:
    try:
        with zipfile.ZipFile(path) as archive:
            return _verify(archive)
    except (zipfile.BadZipFile, OSError) as exc:
        return Verification(str(path), 0, [Problem("invalid", str(path), f"not a readable ZIP file ({exc})")])


def _verify(archive: zipfile.ZipFile) -> Verification:
    files = {info.filename: info for info in archive.infolist() if not info.is_dir()}
    roots = {name.split("/", 1)[0] for name in files}
    if len(roots) != 1 or any("/" not in name for name in files):
        return Verification("?", 0, [Problem("invalid", "/", "a bag ZIP holds exactly one top-level folder; "
                                                            f"found {sorted(roots)}")])
    root = roots.pop()
    result = Verification(root)
    inside = {name[len(root) + 1:]: info for name, info in files.items()}
    if inside.get("bagit.txt") is None or archive.read(inside["bagit.txt"]) != BAGIT_TXT:
        result.problems.append(Problem("invalid", "bagit.txt", "missing or not a BagIt 1.0 declaration"))
    payload = _read_manifest(archive, inside, MANIFEST, result)
    tags = _read_manifest(archive, inside, TAG_MANIFEST, result)
    for listed in (payload, tags):
        for name, expected in sorted(listed.items()):
            _check_file(archive, inside.get(name), name, expected, result)
    known = set(payload) | set(tags) | {TAG_MANIFEST}
    for name in sorted(set(inside) - known):
        result.problems.append(Problem("extra", name, "in the ZIP but in neither manifest"))
    _check_oxum(archive, inside, payload, result)
    _check_exhibit_list(archive, inside, payload, result)
    _check_seals(archive, inside, payload, result)
    return result


def _check_seals(archive: zipfile.ZipFile, inside: dict[str, zipfile.ZipInfo], payload: dict[str, str],
                 result: Verification) -> None:
    """The package PDF's signatures, when it is sealed: each must match the bytes it signs."""
    for name in sorted(n for n in payload if n.count("/") == 1 and n.endswith(".pdf") and n in inside):
        for seal in check_seals(archive.read(inside[name])):
            result.seals.append((name, seal))
            if not seal.valid:
                result.problems.append(Problem("signature", name, str(seal)))


def _read_manifest(archive: zipfile.ZipFile, inside: dict[str, zipfile.ZipInfo], name: str,
                   result: Verification) -> dict[str, str]:
    if name not in inside:
        result.problems.append(Problem("missing", name, "the bag's manifest is missing"))
        return {}
    listed: dict[str, str] = {}
    text = archive.read(inside[name]).decode("utf-8", "replace")
    for number, line in enumerate(text.splitlines(), start=1):
        sha256, _, file_path = line.partition(" ")
        file_path = file_path.lstrip(" *")
        if len(sha256) != 64 or not file_path:
            result.problems.append(Problem("invalid", name, f"line {number} is not '<sha256>  <path>'"))
            continue
        listed[decode_path(file_path)] = sha256.lower()
    return listed


def _check_file(archive: zipfile.ZipFile, info: zipfile.ZipInfo | None, name: str, expected: str,
                result: Verification) -> None:
    if info is None:
        result.problems.append(Problem("missing", name, f"listed with SHA-256 {expected} but not in the ZIP"))
        return
    digest = hashlib.sha256()
    try:
        with archive.open(info) as stream:
            while chunk := stream.read(CHUNK_SIZE):
                digest.update(chunk)
    except (zipfile.BadZipFile, OSError, EOFError) as exc:
        result.problems.append(Problem("invalid", name, f"cannot be read from the ZIP ({exc})"))
        return
    result.checked += 1
    if digest.hexdigest() != expected:
        result.problems.append(Problem("mismatch", name, f"SHA-256 is {digest.hexdigest()}, "
                                                         f"the manifest says {expected}"))


def _check_oxum(archive: zipfile.ZipFile, inside: dict[str, zipfile.ZipInfo], payload: dict[str, str],
                result: Verification) -> None:
    if "bag-info.txt" not in inside:
        return
    for line in archive.read(inside["bag-info.txt"]).decode("utf-8", "replace").splitlines():
        key, _, value = line.partition(":")
        if key.strip() != "Payload-Oxum":
            continue
        actual = f"{sum(inside[n].file_size for n in payload if n in inside)}.{len(payload)}"
        if value.strip() != actual:
            result.problems.append(Problem("mismatch", "bag-info.txt",
                                           f"Payload-Oxum says {value.strip()}, the payload is {actual}"))


def _check_exhibit_list(archive: zipfile.ZipFile, inside: dict[str, zipfile.ZipInfo], payload: dict[str, str],
                        result: Verification) -> None:
    """manifest.json must name the same hash for each exhibit as the bag manifest does."""
    if "data/manifest.json" not in inside:
        result.problems.append(Problem("missing", "data/manifest.json", "the package manifest is missing"))
        return
    try:
        exhibits = json.loads(archive.read(inside["data/manifest.json"]))["exhibits"]
    except (ValueError, KeyError, TypeError) as exc:
        result.problems.append(Problem("invalid", "data/manifest.json", f"cannot be read ({exc})"))
        return
    for exhibit in exhibits:
        path, sha256 = exhibit.get("file", ""), exhibit.get("sha256", "")
        if path not in payload:
            result.problems.append(Problem("missing", path,
                                           f"exhibit {exhibit.get('number')} is not in the bag"))
        elif payload[path] != sha256:
            result.problems.append(Problem("mismatch", path, f"manifest.json says {sha256}, "
                                                             f"manifest-sha256.txt {payload[path]}"))
