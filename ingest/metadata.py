"""Document metadata: the ``<file>.meta.yaml`` sidecar, the formal header of the text, and their merge.

Both :func:`read_sidecar` and :func:`~ingest.header.parse_header` (re-exported here) return dicts in the
sidecar's vocabulary (``id``, ``title``, ``number``, ``type``, ``issuer``, ``issued`` …) with validated, typed
values; :func:`build_metadata` turns them into a :class:`~assistant.types.DocumentMeta`, sidecar values first.
The checks themselves live in :mod:`ingest.validation`, shared with the upload route.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import yaml

from assistant.errors import MetadataError
from assistant.text.normalize import slugify
from assistant.types import DocumentMeta, LoadedDocument, Validity, Visibility
from ingest.header import HEADER_LINES, parse_header
from ingest.validation import AccessVocabulary, check_document_fields, parse_date, validate_fields, validate_id

__all__ = [
    "HEADER_LINES",
    "SIDECAR_SUFFIX",
    "build_metadata",
    "parse_date",
    "parse_header",
    "read_sidecar",
    "validate_id",
]

logger = logging.getLogger(__name__)

SIDECAR_SUFFIX = ".meta.yaml"


class _SidecarLoader(yaml.SafeLoader):
    """Safe loader that leaves dates as strings, so a bad date is reported with its field name."""


_SidecarLoader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def default_doc_id(file_name: str) -> str:
    """The id of a document whose sidecar names none: its file name, slugified."""
    return slugify(Path(file_name).stem)[:128].strip("-._")


def read_sidecar(path: Path) -> dict[str, Any] | None:
    """Validated values of ``<path>.meta.yaml`` (e.g. ``qd-12.pdf.meta.yaml``); None when there is no sidecar.

    Dates become ``datetime.date``, ``status`` a :class:`Validity`, ``relations`` a tuple of
    :class:`Relation`, lists tuples; empty values are left out. Any problem raises MetadataError naming the
    file and the field.
    """
    sidecar = path.with_name(path.name + SIDECAR_SUFFIX)
    if not sidecar.is_file():
        return None
    where = str(sidecar)
    try:
        raw = yaml.load(sidecar.read_text(encoding="utf-8"), Loader=_SidecarLoader)  # a SafeLoader subclass
    except UnicodeDecodeError as exc:
        raise MetadataError(where, "tệp không phải UTF-8 — lưu lại với mã hóa UTF-8") from exc
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f" ở dòng {mark.line + 1}" if mark is not None else ""
        problem = getattr(exc, "problem", None) or str(exc)
        raise MetadataError(where, f"YAML không hợp lệ{line}: {problem} — sửa cú pháp YAML của tệp") from exc
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        raise MetadataError(where, "nội dung phải là các cặp 'khóa: giá trị' (YAML mapping)")
    return validate_fields(where, raw)


def build_metadata(
    path: Path,
    loaded: LoadedDocument,
    *,
    content_hash: str,
    default_unit: str = "",
    default_visibility: Visibility = "public",
    vocabulary: AccessVocabulary | None = None,
) -> DocumentMeta:
    """DocumentMeta of one file: sidecar values override the parsed header.

    ``default_unit``/``default_visibility`` (from the CLI) apply only where the sidecar says nothing. The result
    passes :func:`~ingest.validation.check_document_fields` (units and roles checked against ``vocabulary`` when
    given), or MetadataError names the file and the field.
    """
    sidecar = read_sidecar(path) or {}
    header = parse_header("\n".join(block.text for block in loaded.blocks[:HEADER_LINES]))
    values = {**header, **sidecar}
    values.setdefault("unit", default_unit)
    values.setdefault("visibility", default_visibility)
    check_document_fields(str(path), values, vocabulary)
    doc_id = sidecar.get("id") or default_doc_id(path.name)
    if not doc_id:
        raise MetadataError(
            str(path), f"không tạo được mã văn bản từ tên tệp — thêm 'id' vào tệp {path.name}{SIDECAR_SUFFIX}"
        )
    validate_id(doc_id, source=str(path))
    title = values.get("title") or _first_line(loaded) or path.name
    effective, expires = values.get("effective"), values.get("expires")
    return DocumentMeta(
        doc_id=doc_id,
        title=title,
        number=values.get("number", ""),
        doc_type=values.get("type", ""),
        issuer=values.get("issuer", ""),
        issued_date=values.get("issued"),
        effective_date=effective,
        expiry_date=expires,
        status=values.get("status", Validity.UNKNOWN),
        relations=values.get("relations", ()),
        unit=values["unit"],
        visibility=values["visibility"],
        allowed_units=values.get("allowed_units", ()),
        allowed_roles=values.get("allowed_roles", ()),
        language=values.get("language", "vi"),
        source_format=loaded.source_format,
        content_hash=content_hash,
        sample=values.get("sample", False),
    )


def _first_line(loaded: LoadedDocument) -> str:
    blocks = [b for b in loaded.blocks if b.text.strip()]
    first = next((b for b in blocks if b.kind == "heading"), blocks[0] if blocks else None)
    return first.text.strip().split("\n")[0][:200] if first else ""
