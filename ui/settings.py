"""The UI's settings: the only place in ``ui`` that reads environment variables (prefix ``ASSISTANT_UI_``)."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


class UiSettings(BaseSettings):
    """Where the API is and where the UI listens; every field can be set as ``ASSISTANT_UI_<FIELD>``."""

    model_config = SettingsConfigDict(env_prefix="ASSISTANT_UI_", env_file=".env", extra="ignore")

    api_url: str = Field(default="http://127.0.0.1:8000", description="Base URL of the assistant's HTTP API.")
    host: str = "127.0.0.1"
    port: int = 7860
    language: Literal["vi", "en"] = Field(default="vi", description="Language of the interface when a page opens.")
    request_timeout_seconds: float = 60.0
    job_poll_seconds: float = 1.0
    job_timeout_seconds: float = 900.0
    eval_timeout_seconds: float = Field(
        default=1800.0, description="How long the page follows an evaluation run (it goes on in the API after)."
    )
    source_link_minutes: float = Field(
        default=60.0,
        description="Lifetime of a source link (a ticket that lets the UI fetch the file with the session token).",
    )

    @field_validator("api_url")
    @classmethod
    def _strip_slash(cls, value: str) -> str:
        value = value.strip().rstrip("/")
        if not value.startswith(("http://", "https://")):
            raise ValueError(f"api_url must start with http:// or https://, got {value!r}")
        return value

    @field_validator(
        "request_timeout_seconds", "job_poll_seconds", "job_timeout_seconds", "eval_timeout_seconds",
        "source_link_minutes",
    )  # fmt: skip
    @classmethod
    def _positive(cls, value: float) -> float:
        if value <= 0:
            raise ValueError(f"must be > 0, got {value}")
        return value
