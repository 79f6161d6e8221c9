"""Admin uploads: safe file names, checks made before anything is ingested, and the sidecar of form metadata.

A file passes only if its name has a supported extension, it is not empty, not over ``max_file_mb``, not an
executable whatever its name, its bytes agree with its extension for PDF/DOCX, and a DOCX is not a zip bomb.
The ingest loaders check the content again in full when the job runs.
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
from assistant.errors import InvalidRequest, UnsupportedDocument
from assistant.types import DocumentMeta, Validity
from ingest.loaders import SUPPORTED_SUFFIXES
from ingest.loaders.docx import check_archive
from ingest.loaders.sniff import SUFFIX_FORMATS, executable_kind, sniff
from ingest.metadata import read_sidecar

MAX_NAME_CHARS = 120
_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f\x7f]')
_SUPPORTED = ", ".join(sorted(SUPPORTED_SUFFIXES))


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


def human_size(size: int) -> str:
    return f"{size / 1048576:.1f} MB" if size >= 1048576 else f"{max(1, round(size / 1024))} KB"


def check_upload(name: str, data: bytes, *, max_bytes: int, size: int | None = None) -> None:
    """Refuse a file before ingest (``data`` may be cut at ``max_bytes + 1``; ``size`` is the full size if known);
    raises PayloadTooLarge, InvalidRequest (empty), UnsupportedUpload or
    UnsupportedDocument (a DOCX zip bomb or broken archive)."""
    suffix = Path(name).suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise UnsupportedUpload(
            f"Loại tệp '{suffix or '(không có đuôi)'}' không được hỗ trợ. Các loại được hỗ trợ: {_SUPPORTED}."
        )
    if len(data) == 0:
        raise InvalidRequest(f"Tệp '{name}' rỗng (0 byte). Hãy chọn đúng tệp tài liệu rồi tải lên lại.")
    if len(data) > max_bytes or (size or 0) > max_bytes:
        raise PayloadTooLarge(
            f"Tệp '{name}' lớn {human_size(max(size or 0, len(data)))}, vượt giới hạn {human_size(max_bytes)}. "
            "Hãy chia nhỏ tệp hoặc đề nghị quản trị tăng ASSISTANT_MAX_FILE_MB."
        )
    if program := executable_kind(data):
        raise UnsupportedUpload(f"Tệp '{name}' thực chất là {program}, không phải tài liệu; tệp bị từ chối.")
    claimed = SUFFIX_FORMATS[suffix]
    actual = sniff(data)
    binary = {"pdf", "docx"}
    if (claimed in binary or actual in binary) and actual != claimed:
        if not (claimed == "docx" and data.startswith(b"PK\x03\x04")):
            raise UnsupportedUpload(
                f"Nội dung tệp '{name}' không khớp với đuôi '{suffix}'. Hãy tải lên tài liệu gốc đúng loại."
            )
    if claimed == "docx":
        check_archive(Path(name), data)


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

    def validate(self, tree: UnitTree) -> None:
        """Units must exist in the unit tree, roles be known, and a unit/restricted document name its audience."""
        tree.check([self.unit, *self.allowed_units])
        unknown = [r for r in self.allowed_roles if r not in ROLES]
        if unknown:
            raise InvalidRequest(f"Trường 'allowed_roles': vai trò không hợp lệ {unknown}; dùng {', '.join(ROLES)}.")
        if self.visibility == "unit" and not self.unit:
            raise InvalidRequest("Trường 'unit': văn bản nội bộ đơn vị (visibility=unit) cần mã đơn vị sở hữu.")
        if self.visibility == "restricted" and not (self.allowed_units or self.allowed_roles):
            raise InvalidRequest(
                "Văn bản hạn chế (visibility=restricted) cần 'allowed_units' hoặc 'allowed_roles' được xem."
            )

    def sidecar(self) -> dict[str, Any]:
        values: dict[str, Any] = {
            "id": self.doc_id, "title": self.title, "number": self.number, "type": self.doc_type,
            "status": self.status, "unit": self.unit, "visibility": self.visibility,
            "allowed_units": list(self.allowed_units), "allowed_roles": list(self.allowed_roles),
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
            raise InvalidRequest(f"Thông tin văn bản không hợp lệ: {exc.reason}") from exc
    return path
