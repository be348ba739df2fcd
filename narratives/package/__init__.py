"""The audit-defense package: the PDF (WeasyPrint), the exhibits ZIP as a BagIt bag, and its verification."""

from narratives.package.build import (
    BuildRequest,
    BuiltPackage,
    build_package,
    find_package,
    rerender_pdf,
    study_packages,
)
from narratives.package.rules import PackageRefused
from narratives.package.verify import Problem, Verification, verify_zip
from narratives.package.versions import VersionTaken

__all__ = ["BuildRequest", "BuiltPackage", "PackageRefused", "Problem", "Verification", "VersionTaken",
           "build_package", "find_package", "rerender_pdf", "study_packages", "verify_zip"]
