"""Document metadata: the ``<file>.meta.yaml`` sidecar, the formal header of the text, and their merge.

Both :func:`read_sidecar` and :func:`~ingest.header.parse_header` (re-exported here) return dicts in the
sidecar's vocabulary (``id``, ``title``, ``number``, ``type``, ``issuer``, ``issued`` …) with validated, typed
values; :func:`build_metadata` turns them into a :class:`~assistant.types.DocumentMeta`, sidecar values first.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from pathlib import Path
from typing import Any

import yaml

from assistant.errors import MetadataError
from assistant.text.normalize import fold_diacritics, normalize_text, slugify
from assistant.types import (
    DocumentMeta,
    Language,
    LoadedDocument,
    Relation,
    RelationKind,
    Validity,
    Visibility,
)
from ingest.header import HEADER_LINES, parse_header

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
_ID = re.compile(r"[a-z0-9][a-z0-9._-]{0,127}")
_STR_KEYS = ("id", "title", "number", "type", "issuer", "unit")
_DATE_KEYS = ("issued", "effective", "expires")
_LIST_KEYS = ("allowed_units", "allowed_roles")
_KEYS = (*_STR_KEYS, *_DATE_KEYS, *_LIST_KEYS, "status", "relations", "visibility", "language", "sample")

_STATUS = {fold_diacritics(label): validity for validity in Validity for label in (validity.value, validity.label_vi)}
_RELATIONS = {
    "thay the": RelationKind.REPLACES,
    "replaces": RelationKind.REPLACES,
    "sua doi bo sung": RelationKind.AMENDS,
    "sua doi": RelationKind.AMENDS,
    "amends": RelationKind.AMENDS,
    "bai bo": RelationKind.REPEALS,
    "repeals": RelationKind.REPEALS,
    "huong dan": RelationKind.GUIDES,
    "guides": RelationKind.GUIDES,
}
_VISIBILITY: tuple[Visibility, ...] = ("public", "unit", "restricted")
_LANGUAGES: tuple[Language, ...] = ("vi", "en")


class _SidecarLoader(yaml.SafeLoader):
    """Safe loader that leaves dates as strings, so a bad date is reported with its field name."""


_SidecarLoader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def default_doc_id(file_name: str) -> str:
    """The id of a document whose sidecar names none: its file name, slugified."""
    return slugify(Path(file_name).stem)[:128].strip("-._")


def validate_id(doc_id: str, *, source: str = "") -> str:
    """Return ``doc_id`` if it matches ``[a-z0-9][a-z0-9._-]{0,127}``; raise MetadataError otherwise."""
    if not isinstance(doc_id, str) or not _ID.fullmatch(doc_id):
        raise MetadataError(
            source or str(doc_id),
            (
                f"trường 'id': mã văn bản không hợp lệ '{doc_id}' — chỉ dùng chữ thường không dấu, số, "
                "'.', '_', '-', bắt đầu bằng chữ hoặc số, tối đa 128 ký tự (ví dụ: nq-57-tw)"
            ),
        )
    return doc_id


def parse_date(value: str) -> dt.date | None:
    """A date written YYYY-MM-DD or DD/MM/YYYY; None when it is not a valid date."""
    value = value.strip()
    m = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", value)
    parts = (m.group(1), m.group(2), m.group(3)) if m else None
    m = re.fullmatch(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})", value)
    parts = (m.group(3), m.group(2), m.group(1)) if m else parts
    try:
        return dt.date(int(parts[0]), int(parts[1]), int(parts[2])) if parts else None
    except ValueError:
        return None


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
    values = {key: _field(where, key, value) for key, value in raw.items()}
    return {key: value for key, value in values.items() if value not in (None, "", ())}


def _field(where: str, key: object, value: object) -> object:
    def fail(problem: str) -> MetadataError:
        return MetadataError(where, f"trường '{key}': {problem}")

    if key not in _KEYS:
        raise fail(f"không được hỗ trợ — các trường hợp lệ: {', '.join(_KEYS)}")
    if value is None or value == "":
        return None
    if key in _DATE_KEYS:
        date = parse_date(str(value))
        if date is None:
            raise fail(f"ngày không hợp lệ '{value}' — dùng dạng YYYY-MM-DD hoặc DD/MM/YYYY")
        return date
    if key in _STR_KEYS or key in ("status", "visibility", "language"):
        if not isinstance(value, str):
            raise fail(f"cần một chuỗi, nhận được {type(value).__name__} {value!r} — đặt giá trị trong dấu ngoặc kép")
        value = normalize_text(value)
        if not value:
            return None
    if key == "id":
        return validate_id(str(value), source=where)
    if key == "status":
        if (status := _STATUS.get(fold_diacritics(str(value)))) is None:
            raise fail(
                f"tình trạng không hợp lệ '{value}' — dùng: còn hiệu lực, hết hiệu lực một phần, "
                "hết hiệu lực toàn bộ, chưa có hiệu lực (hoặc in_force, partly_expired, expired, "
                "not_yet_in_force)"
            )
        return status
    if key in ("visibility", "language"):
        allowed: tuple[str, ...] = _VISIBILITY if key == "visibility" else _LANGUAGES
        if value not in allowed:
            raise fail(f"giá trị không hợp lệ '{value}' — dùng một trong: {', '.join(allowed)}")
        return value
    if key == "sample":
        if not isinstance(value, bool):
            raise fail(f"cần true hoặc false, nhận được {value!r}")
        return value
    if key in _LIST_KEYS:
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise fail(f"cần một danh sách chuỗi, ví dụ [STTTT, SXD], nhận được {value!r}")
        return tuple(v.strip() for v in value if v.strip())
    if key == "relations":
        if not isinstance(value, list):
            raise fail('cần một danh sách, ví dụ - {type: "thay thế", target: "12/2019/QĐ-UBND"}')
        return tuple(_relation(where, i, item) for i, item in enumerate(value))
    return value


def _relation(where: str, index: int, item: object) -> Relation:
    name = f"relations[{index}]"
    if not isinstance(item, dict) or set(item) - {"type", "target"}:
        raise MetadataError(
            where,
            f'trường \'{name}\': cần dạng {{type: "thay thế", target: "<số hiệu>"}}, nhận được {item!r}',
        )
    kind, target = item.get("type"), item.get("target")
    if not isinstance(target, str) or not target.strip():
        raise MetadataError(where, f"trường '{name}.target': cần số hiệu văn bản đích, ví dụ \"30/2020/NĐ-CP\"")
    folded = re.sub(r"[\s,]+", " ", fold_diacritics(kind)).strip() if isinstance(kind, str) else ""
    if folded not in _RELATIONS:
        raise MetadataError(
            where,
            f"trường '{name}.type': quan hệ không hợp lệ {kind!r} — dùng: thay thế, "
            "sửa đổi bổ sung, bãi bỏ, hướng dẫn (hoặc replaces, amends, repeals, guides)",
        )
    return Relation(_RELATIONS[folded], normalize_text(target))


def build_metadata(
    path: Path,
    loaded: LoadedDocument,
    *,
    content_hash: str,
    default_unit: str = "",
    default_visibility: Visibility = "public",
) -> DocumentMeta:
    """DocumentMeta of one file: sidecar values override the parsed header.

    ``default_unit``/``default_visibility`` (from the CLI) apply only where the sidecar says nothing.
    """
    sidecar = read_sidecar(path) or {}
    header = parse_header("\n".join(block.text for block in loaded.blocks[:HEADER_LINES]))
    values = {**header, **sidecar}
    doc_id = sidecar.get("id") or default_doc_id(path.name)
    if not doc_id:
        raise MetadataError(
            str(path), f"không tạo được mã văn bản từ tên tệp — thêm 'id' vào tệp {path.name}{SIDECAR_SUFFIX}"
        )
    validate_id(doc_id, source=str(path))
    title = values.get("title") or _first_line(loaded) or path.name
    effective, expires = values.get("effective"), values.get("expires")
    if effective and expires and expires < effective:
        logger.warning("%s: expires %s is before effective %s", path, expires, effective)
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
        unit=values.get("unit", default_unit),
        visibility=values.get("visibility", default_visibility),
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
