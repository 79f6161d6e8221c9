"""The one builder for prompt and answer-framing templates stored as files in ``prompts/``."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import yaml

from assistant.errors import ConfigurationError
from assistant.types import Language

DEFAULT_PROMPTS_DIR = Path(__file__).resolve().parents[2] / "prompts"


class PromptLibrary:
    """Loads ``<name>.<lang>.yaml`` files (falling back to Vietnamese) and renders their templates."""

    def __init__(self, directory: Path = DEFAULT_PROMPTS_DIR) -> None:
        if not directory.is_dir():
            raise ConfigurationError(f"prompt folder {directory} does not exist (set ASSISTANT_PROMPTS_DIR)")
        self.directory = directory

    def templates(self, name: str, language: Language) -> dict[str, str]:
        return _load(self.directory, name, language)

    def render(self, name: str, language: Language, key: str, **values: Any) -> str:
        templates = self.templates(name, language)
        if key not in templates:
            raise ConfigurationError(f"{self.directory}/{name}.{language}.yaml has no template '{key}'")
        try:
            return templates[key].format(**values)
        except KeyError as exc:
            raise ConfigurationError(f"template {name}.{language}:{key} needs value {exc}") from exc


@cache
def _load(directory: Path, name: str, language: str) -> dict[str, str]:
    for lang in (language, "vi"):
        path = directory / f"{name}.{lang}.yaml"
        if path.exists():
            data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
            if not isinstance(data, dict):
                raise ConfigurationError(f"{path} must be a mapping of template names to text")
            return {str(k): str(v) for k, v in data.items()}
    raise ConfigurationError(f"no prompt file {name}.{language}.yaml or {name}.vi.yaml in {directory}")
