"""Settings: environment over the instance file over the embedded defaults."""

import stat
from pathlib import Path

import pytest

from core.jobs import JobQueue
from core.settings import Settings


@pytest.fixture
def instance(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    for name in ("FOURPART_DATABASE_URL", "FOURPART_STORAGE_URL", "FOURPART_QUEUE_URL",
                 "FOURPART_SECRET_KEY", "FOURPART_CONFIG", "FOURPART_MAX_UPLOAD_MB"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("FOURPART_INSTANCE_PATH", str(tmp_path))
    return tmp_path


def test_embedded_defaults_live_in_the_instance_folder(instance: Path) -> None:
    settings = Settings()
    assert settings.database_url == f"sqlite:///{instance / 'fourpart.db'}"
    assert settings.storage_url == str(instance / "evidence")
    assert settings.queue_url == "embedded"
    assert settings.is_sqlite


def test_secret_key_is_made_once_and_kept_private(instance: Path) -> None:
    first, second = Settings().secret_key, Settings().secret_key
    assert first == second and len(first) >= 48
    mode = stat.S_IMODE((instance / "secret_key").stat().st_mode)
    assert mode == 0o600
    assert first not in repr(Settings())


def test_environment_wins_over_the_instance_file(instance: Path, monkeypatch) -> None:
    (instance / "fourpart.toml").write_text(
        'queue_url = "redis://127.0.0.1:6379/3"\nmax_upload_mb = 64\nstorage_url = "s3://b/p"\n')
    monkeypatch.setenv("FOURPART_MAX_UPLOAD_MB", "8")
    settings = Settings()
    assert settings.queue_url == "redis://127.0.0.1:6379/3"
    assert settings.storage_url == "s3://b/p"
    assert settings.max_upload_bytes == 8 * 1024 * 1024


def test_unknown_keys_in_the_file_are_an_error(instance: Path) -> None:
    (instance / "fourpart.toml").write_text('databse_url = "typo"\n')
    with pytest.raises(ValueError, match="databse_url"):
        Settings()


def test_unknown_queue_url_names_the_setting(instance: Path) -> None:
    with pytest.raises(ValueError, match="FOURPART_QUEUE_URL 'amqp://x'"):
        JobQueue(None, None, "amqp://x", instance)  # type: ignore[arg-type]
