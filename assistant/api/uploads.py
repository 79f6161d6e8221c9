"""Admin uploads: safe file names, checks made before anything is ingested, and the sidecar of form metadata.

The checks are :mod:`ingest.validation`'s, the same the CLI ingest and the upload worker make, so a refusal reads
the same whichever way the file came: a file passes only if its name has a supported extension, it is not empty,
not over ``max_file_mb``, not a program or script whatever its name, its bytes agree with its extension for
PDF/DOCX, and a DOCX is not a zip bomb; the form's metadata passes the field checks and the unit tree and roles.
The job then checks the content (text that is not language, the chunk budget) before anything is embedded.
"""

from __future__ import annotations

import dataclasses
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from assistant.accounts.models import ROLES
from assistant.accounts.units import UnitTree
from assistant.api.errors import PayloadTooLarge, UnsupportedUpload
from assistant.errors import InvalidRequest, MetadataError, UnsupportedDocument
from assistant.types import DocumentMeta, Validity
from ingest.metadata import read_sidecar
from ingest.validation import AccessVocabulary, check_document_fields, file_problem, human_size, validate_fields

__all__ = ["UploadMetadata", "access_vocabulary", "check_upload", "human_size", "sanitize_filename", "store_upload"]

MAX_NAME_CHARS = 120
_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f\x7f]')


def sanitize_filename(raw: str) -> str:
    """A safe single path component from a client-supplied name: directories, control and reserved characters,
    leading dots and Windows device names removed; NFC; at most 120 characters with the extension kept."""
    name = unicodedata.normalize("NFC", raw or "")
    name = re.split(r"[\\/]", name)[-1]  # drop any directory part, whichever separator the client used
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C")  # control, format, unassigned
    name = _UNSAFE.sub("_", name).strip().lstrip(".").strip()
    stem, dot, suffix = name.rpartition(".")
    if not dot:
        stem, suffix = name, ""
    suffix = suffix.lower()[:10]
    stem = re.sub(r"\s+", " ", stem).strip(" .") or "tai-lieu"
    if stem.upper().split(".")[0] in {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(10))}:
        stem = f"_{stem}"
    stem = stem[: MAX_NAME_CHARS - len(suffix) - 1]
    return f"{stem}.{suffix}" if suffix else stem


def access_vocabulary(tree: UnitTree) -> AccessVocabulary:
    """The unit codes and roles a document may name: the unit tree's and the accounts'."""
    return AccessVocabulary(units=frozenset(tree.codes), roles=frozenset(ROLES))


def check_upload(name: str, data: bytes, *, max_bytes: int, size: int | None = None) -> None:
    """Refuse a file before ingest by :func:`ingest.validation.file_problem` (``data`` may be cut at
    ``max_bytes + 1``; ``size`` is the full size if known), as the edge's errors: PayloadTooLarge (over the
    limit), UnsupportedUpload (type, program, content against extension), InvalidRequest (empty) or
    UnsupportedDocument (a DOCX zip bomb or broken archive). The message is ``<name>: <reason>``."""
    problem = file_problem(name, data, max_bytes=max_bytes, size=size)
    if problem is None:
        return
    message = f"{name}: {problem.reason}"
    if problem.kind == "size":
        raise PayloadTooLarge(message)
    if problem.kind in ("type", "content"):
        raise UnsupportedUpload(message)
    if problem.kind == "empty":
        raise InvalidRequest(message)
    raise UnsupportedDocument(name, problem.reason)


@dataclass(frozen=True)
class UploadMetadata:
    """Optional form fields of an upload, written as the file's ``.meta.yaml`` sidecar."""

    doc_id: str = ""
    title: str = ""
    number: str = ""
    doc_type: str = ""
    status: str = ""
    unit: str = ""
    visibility: str = ""
    allowed_units: tuple[str, ...] = ()
    allowed_roles: tuple[str, ...] = ()
    issued: str = ""
    effective: str = ""
    expires: str = ""
    kept: dict[str, Any] = field(default_factory=dict)  # validity and relations of the version it replaces

    def keeping(self, stored: DocumentMeta) -> UploadMetadata:
        """This upload as a new version of ``stored``: fields left empty keep the stored document's access rules
        (a restricted document re-uploaded without them must not turn public), validity and relations. Fields the
        file's own header can give (title, số hiệu, type, issuer, dates of issue) are left to the new file."""
        visibility_given = bool(self.visibility)
        return dataclasses.replace(
            self,
            status=self.status or (stored.status.value if stored.status != Validity.UNKNOWN else ""),
            unit=self.unit or stored.unit,
            visibility=self.visibility or stored.visibility,
            allowed_units=self.allowed_units or (() if visibility_given else stored.allowed_units),
            allowed_roles=self.allowed_roles or (() if visibility_given else stored.allowed_roles),
            kept={
                k: v
                for k, v in {
                    "effective": stored.effective_date,
                    "expires": stored.expiry_date,
                    "relations": [{"type": r.kind.value, "target": r.target} for r in stored.relations],
                    "language": stored.language,
                }.items()
                if v
            },
        )

    def validate(self, name: str, vocabulary: AccessVocabulary) -> None:
        """The metadata checks of every ingest (:mod:`ingest.validation`): each field, units in the unit tree,
        known roles, an audience for unit/restricted documents, dates in order. InvalidRequest ``<name>: <reason>``
        otherwise, with the reason the CLI would give for the same values in a ``.meta.yaml``."""
        try:
            values = validate_fields(name, self.sidecar())
            check_document_fields(name, values, vocabulary)
        except MetadataError as exc:
            raise InvalidRequest(str(exc)) from exc

    def sidecar(self) -> dict[str, Any]:
        values: dict[str, Any] = {
            "id": self.doc_id, "title": self.title, "number": self.number, "type": self.doc_type,
            "status": self.status, "unit": self.unit, "visibility": self.visibility,
            "allowed_units": list(self.allowed_units), "allowed_roles": list(self.allowed_roles),
            "issued": self.issued, "effective": self.effective, "expires": self.expires,
        }  # fmt: skip
        return {**self.kept, **{k: v for k, v in values.items() if v}}


def store_upload(folder: Path, name: str, data: bytes, meta: UploadMetadata) -> Path:
    """Write the file (and its sidecar, validated by the ingest metadata reader) into ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    if path.resolve().parent != folder.resolve():  # belt and braces after sanitize_filename
        raise InvalidRequest("Tên tệp không hợp lệ.")
    path.write_bytes(data)
    values = meta.sidecar()
    if values:
        sidecar = folder / f"{name}.meta.yaml"
        sidecar.write_text(yaml.safe_dump(values, allow_unicode=True, sort_keys=False), encoding="utf-8")
        try:
            read_sidecar(path)
        except UnsupportedDocument as exc:
            raise InvalidRequest(f"{name}: {exc.reason}") from exc
    return path
