"""The original of a repository: ``git bundle create --all``, run beside the history read."""

from __future__ import annotations

import subprocess
import tempfile
from pathlib import Path

from evidence.parsers import EvidenceParseError
from evidence.parsers.gitlog import git_command, git_environment


class BundleBuilder:
    """Starts ``git bundle create <destination> --all`` at once; :meth:`wait` returns the file."""

    def __init__(self, git_dir: Path, destination: Path) -> None:
        self.source, self.destination = str(git_dir), destination
        self._errors = tempfile.TemporaryFile()  # noqa: SIM115 - closed by cancel()
        command = git_command("bundle", "create", "--quiet", str(destination), "--all", git_dir=git_dir)
        try:
            self._process = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                             stderr=self._errors, env=git_environment())
        except OSError as exc:
            self._errors.close()
            raise EvidenceParseError(self.source, f"cannot run git: {exc}") from exc

    def wait(self) -> Path:
        if self._process.wait() != 0:
            self._errors.seek(0)
            message = self._errors.read().decode("utf-8", "replace").strip()[:2000]
            raise EvidenceParseError(self.source, f"git bundle create failed: {message or 'no message'}")
        return self.destination

    def cancel(self) -> None:
        """Stop git if it still runs (the read failed); always reap it."""
        if self._process.poll() is None:
            self._process.kill()
        self._process.wait()
        self._errors.close()
