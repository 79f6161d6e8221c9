"""Reading JSONL and qrels TSV files with errors that name the file, the line and the field."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NoReturn

from assistant.errors import AssistantError


def read_jsonl(file: Path, error: type[AssistantError]) -> Iterator[tuple[int, dict[str, Any]]]:
    """(1-based line number, object) per non-blank line; ``error`` on bad UTF-8, bad JSON or a non-object."""
    try:
        text = file.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise error(f"{file}: file not found") from None
    except UnicodeDecodeError as exc:
        raise error(f"{file}: not UTF-8 text ({exc.reason} at byte {exc.start}); save it as UTF-8") from exc
    for line_no, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            raise error(
                f"{file} line {line_no}: invalid JSON ({exc.msg} at column {exc.colno}); "
                "each line must be one complete JSON object"
            ) from None
        if not isinstance(obj, dict):
            raise error(
                f"{file} line {line_no}: expected a JSON object {{...}}, got {_kind(obj)}; "
                "each line must be one JSON object"
            )
        yield line_no, obj


def read_qrels(file: Path, error: type[AssistantError]) -> Iterator[tuple[int, tuple[str, str, float]]]:
    """(line number, (query id, corpus id, score)); a first line whose score is not a number is the header."""
    try:
        lines = file.read_text(encoding="utf-8").splitlines()
    except UnicodeDecodeError as exc:
        raise error(f"{file}: not UTF-8 text ({exc.reason}); save it as UTF-8") from exc
    for line_no, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        cols = line.rstrip("\r\n").split("\t")
        if len(cols) < 3:
            raise error(
                f"{file} line {line_no}: expected 3 tab-separated columns "
                f"(query-id, corpus-id, score), got {len(cols)}; fix the line"
            )
        try:
            score = float(cols[2])
        except ValueError:
            if line_no == 1:
                continue  # header
            raise error(
                f"{file} line {line_no}: field 'score' must be a number, got '{cols[2]}'; fix the line"
            ) from None
        yield line_no, (cols[0].strip(), cols[1].strip(), score)


@dataclass(frozen=True)
class Where:
    """A position in a JSONL file; its accessors validate one field and fail with a precise message."""

    file: Path
    line: int
    error: type[AssistantError]

    def fail(self, name: str, problem: str) -> NoReturn:
        raise self.error(f"{self.file} line {self.line}: field '{name}' {problem}")

    def string(
        self,
        obj: dict[str, Any],
        name: str,
        *,
        required: bool = True,
        non_empty: bool = False,
        allow_int: bool = False,
    ) -> str:
        """A string field (ints accepted and converted when ``allow_int``); "" when optional and absent."""
        if name not in obj or obj[name] is None:
            if required:
                self.fail(name, "is missing; add it to the line")
            return ""
        value = obj[name]
        if allow_int and isinstance(value, int) and not isinstance(value, bool):
            value = str(value)
        if not isinstance(value, str):
            self.fail(name, f"must be a string, got {_kind(value)}; fix the line")
        if non_empty and not value.strip():
            self.fail(name, "is empty; give it a value")
        return value

    def string_list(self, obj: dict[str, Any], name: str, *, required: bool = True) -> tuple[str, ...]:
        """A list of strings (may be empty); absent optional fields give ()."""
        if name not in obj or obj[name] is None:
            if required:
                self.fail(name, "is missing; add it as a list of ids (use [] for none)")
            return ()
        value = obj[name]
        if not isinstance(value, list) or not all(isinstance(v, str | int) and not isinstance(v, bool) for v in value):
            self.fail(name, f"must be a list of ids (strings), got {_kind(value)}; fix the line")
        return tuple(str(v) for v in value)

    def string_dict(self, obj: dict[str, Any], name: str) -> dict[str, str]:
        """An optional mapping of strings to strings (e.g. multiple-choice options); absent gives {}."""
        value = obj.get(name)
        if value is None:
            return {}
        if not isinstance(value, dict) or not all(isinstance(v, str) for v in value.values()):
            self.fail(name, f"must be an object of label → text strings, got {_kind(value)}; fix the line")
        return {str(k): v for k, v in value.items()}


def _kind(value: Any) -> str:
    if isinstance(value, list):
        inner = sorted({type(v).__name__ for v in value})
        return f"list of {'/'.join(inner)}" if inner else "list"
    return type(value).__name__
