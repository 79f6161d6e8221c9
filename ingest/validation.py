"""One validation of a document and its metadata, used by every entry that creates or changes a document.

The CLI ingest (through :class:`~ingest.pipeline.IngestPipeline`), the admin upload route, a re-upload keeping the
stored metadata, and the upload worker all call these functions, so a file is refused for the same reason with the
same words whichever way it came in. Every refusal names the field (or the check) and what to do, in Vietnamese;
the caller names the file (``<file>: <reason>``), and the reason is what tests compare across entries.

- :func:`file_problem` — bytes only: type, emptiness, size, programs and scripts, content against extension, DOCX
  zip bombs. Returned as a value so the HTTP edge can pick its status code (413, 415, 422).
- :func:`validate_fields` — the sidecar vocabulary (``id``, ``unit``, ``visibility``, dates …) field by field.
- :func:`check_document_fields` — what fields mean together: known units and roles, an audience for ``unit`` and
  ``restricted`` documents, ``effective`` not after ``expires``.
- :func:`relation_warnings` — relation targets not on the shelf: a warning, never a refusal.
- :func:`check_language` and :func:`check_chunk_budget` — text that is not language, and documents past the chunk
  budget, refused before anything is embedded.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from assistant.errors import MetadataError, UnsupportedDocument
from assistant.text.normalize import fold_diacritics, normalize_text
from assistant.text.numbers import number_key
from assistant.types import Language, Relation, RelationKind, Validity, Visibility
from ingest.loaders.docx import check_archive
from ingest.loaders.sniff import SUFFIX_FORMATS, describe_binary, executable_kind, sniff

__all__ = [
    "AccessVocabulary",
    "FileProblem",
    "check_chunk_budget",
    "check_document_fields",
    "check_file",
    "check_language",
    "file_problem",
    "human_size",
    "relation_warnings",
    "validate_fields",
    "validate_id",
]

SUPPORTED_SUFFIXES: frozenset[str] = frozenset(SUFFIX_FORMATS)
_SUPPORTED_LIST = ", ".join(sorted(SUPPORTED_SUFFIXES))

# -- the sidecar vocabulary --------------------------------------------------------------------------------------

_ID = re.compile(r"[a-z0-9][a-z0-9._-]{0,127}")
_STR_KEYS = ("id", "title", "number", "type", "issuer", "unit")
_DATE_KEYS = ("issued", "effective", "expires")
_LIST_KEYS = ("allowed_units", "allowed_roles")
FIELD_KEYS = (*_STR_KEYS, *_DATE_KEYS, *_LIST_KEYS, "status", "relations", "visibility", "language", "sample")

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
VISIBILITIES: tuple[Visibility, ...] = ("public", "unit", "restricted")
_LANGUAGES: tuple[Language, ...] = ("vi", "en")

# -- text that is not language (measured on the sample shelf and the alqac-dev laws, see tests) ----------------

MIN_LETTER_SHARE = 0.3  # letters among non-space characters; the shelf's lowest is far above
LONG_TOKEN_CHARS = 40  # a "word" longer than this has no word boundary (Vietnamese syllables are short)
MAX_LONG_TOKEN_SHARE = 0.5  # share of the text in such tokens
MAX_TOP_TOKEN_SHARE = 0.5  # one token repeated: its share of all tokens
MIN_DISTINCT_TOKENS = 4  # …or fewer distinct tokens than this
REPEAT_CHECK_TOKENS = 50  # the repetition checks need at least this many tokens
SAMPLE_CHARS = 500_000  # the shares are measured on this many characters at most…
SAMPLE_WINDOWS = 10  # …taken as this many windows spread across the text
_WORD = re.compile(r"[^\W_]+")


@dataclass(frozen=True)
class AccessVocabulary:
    """The unit codes and roles that a document's ``unit``, ``allowed_units`` and ``allowed_roles`` may name.

    Built by the edge from the unit tree and the account roles (ingest never imports the accounts package).
    """

    units: frozenset[str]
    roles: frozenset[str]

    def __post_init__(self) -> None:
        if not self.roles:
            raise ValueError("an access vocabulary needs at least one role")


@dataclass(frozen=True)
class FileProblem:
    """Why a file's bytes are refused: ``kind`` lets the HTTP edge choose 413/415/422; ``reason`` is the message."""

    kind: Literal["type", "empty", "size", "content", "archive"]
    reason: str


# -- files -------------------------------------------------------------------------------------------------------


def human_size(size: int) -> str:
    """``22 KB``, ``5.0 MB``."""
    return f"{size / 1048576:.1f} MB" if size >= 1048576 else f"{max(1, round(size / 1024))} KB"


def file_problem(name: str, data: bytes, *, max_bytes: int, size: int | None = None) -> FileProblem | None:
    """What is wrong with a file judged by its name and bytes, or None. ``data`` may be cut at ``max_bytes + 1``;
    ``size`` is the full size when known."""
    suffix = Path(name).suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        return FileProblem(
            "type",
            f"loại tệp '{suffix or '(không có đuôi)'}' không được hỗ trợ — hãy chuyển tài liệu sang một trong các "
            f"loại: {_SUPPORTED_LIST}",
        )
    if len(data) == 0:
        return FileProblem("empty", "tệp rỗng (0 byte) — hãy chọn đúng tệp tài liệu rồi nạp lại")
    full = max(size or 0, len(data))
    if full > max_bytes:
        return FileProblem(
            "size",
            f"tệp lớn {human_size(full)}, vượt giới hạn {human_size(max_bytes)} — hãy chia nhỏ tệp hoặc đề nghị "
            "quản trị tăng ASSISTANT_MAX_FILE_MB",
        )
    if program := executable_kind(data):
        return FileProblem(
            "content",
            f"tệp thực chất là {program}, không phải tài liệu, nên bị từ chối — hãy nạp tài liệu gốc "
            f"({_SUPPORTED_LIST})",
        )
    claimed = SUFFIX_FORMATS[suffix]
    actual = sniff(data)
    binary = {"pdf", "docx"}
    if (claimed in binary or actual in binary) and actual != claimed:
        if not (claimed == "docx" and data.startswith(b"PK\x03\x04")):
            what = _FORMAT_NAMES[actual] if actual else describe_binary(data)
            return FileProblem(
                "content",
                f"nội dung tệp không khớp với đuôi '{suffix}' (nội dung thực là {what}) — hãy nạp tài liệu gốc đúng "
                "loại, hoặc đổi đuôi tệp cho đúng nội dung",
            )
    if claimed == "docx":
        try:
            check_archive(Path(name), data)
        except UnsupportedDocument as exc:
            return FileProblem("archive", exc.reason)
    return None


_FORMAT_NAMES = {
    "pdf": "tệp PDF",
    "docx": "tệp Word .docx",
    "html": "trang web HTML",
    "md": "văn bản thuần",
    "txt": "văn bản thuần",
}


def check_file(where: str, data: bytes, *, max_bytes: int, size: int | None = None) -> None:
    """:func:`file_problem` as an :class:`UnsupportedDocument` naming ``where``."""
    if problem := file_problem(where, data, max_bytes=max_bytes, size=size):
        raise UnsupportedDocument(where, problem.reason)


# -- fields --------------------------------------------------------------------------------------------------------


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


def validate_fields(where: str, raw: Mapping[Any, Any]) -> dict[str, Any]:
    """Typed values of metadata in the sidecar vocabulary (a ``.meta.yaml`` file or the upload form).

    Dates become ``datetime.date``, ``status`` a :class:`Validity`, ``relations`` a tuple of :class:`Relation`,
    lists tuples; empty values are left out. Any problem raises MetadataError naming ``where`` and the field.
    """
    values = {key: _field(where, key, value) for key, value in raw.items()}
    return {key: value for key, value in values.items() if value not in (None, "", ())}


def _field(where: str, key: object, value: object) -> object:
    def fail(problem: str) -> MetadataError:
        return MetadataError(where, f"trường '{key}': {problem}")

    if key not in FIELD_KEYS:
        raise fail(f"không được hỗ trợ — các trường hợp lệ: {', '.join(FIELD_KEYS)}")
    if value is None or value == "":
        return None
    if key in _DATE_KEYS:
        date = value if isinstance(value, dt.date) else parse_date(str(value))
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
        allowed: tuple[str, ...] = VISIBILITIES if key == "visibility" else _LANGUAGES
        if value not in allowed:
            raise fail(f"giá trị không hợp lệ '{value}' — dùng một trong: {', '.join(allowed)}")
        return value
    if key == "sample":
        if not isinstance(value, bool):
            raise fail(f"cần true hoặc false, nhận được {value!r}")
        return value
    if key in _LIST_KEYS:
        if not isinstance(value, list | tuple) or not all(isinstance(v, str) for v in value):
            raise fail(f"cần một danh sách chuỗi, ví dụ [STTTT, SXD], nhận được {value!r}")
        return tuple(dict.fromkeys(v.strip() for v in value if v.strip()))
    if key == "relations":
        if not isinstance(value, list | tuple):
            raise fail('cần một danh sách, ví dụ - {type: "thay thế", target: "12/2019/QĐ-UBND"}')
        return tuple(_relation(where, i, item) for i, item in enumerate(value))
    return value


def _relation(where: str, index: int, item: object) -> Relation:
    name = f"relations[{index}]"
    if isinstance(item, Relation):
        return item
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


def check_document_fields(where: str, values: Mapping[str, Any], vocabulary: AccessVocabulary | None) -> None:
    """Refuse metadata whose fields do not fit together (``values`` as :func:`validate_fields` returns them, with
    the defaults of the entry applied): unknown units or roles (when a vocabulary is given), a ``unit`` document
    without its unit, a ``restricted`` one without an audience, ``effective`` after ``expires``."""
    unit = str(values.get("unit") or "")
    visibility = values.get("visibility") or "public"
    allowed_units: Collection[str] = values.get("allowed_units") or ()
    allowed_roles: Collection[str] = values.get("allowed_roles") or ()
    if vocabulary is not None:
        if unit and unit not in vocabulary.units:
            raise MetadataError(where, f"trường 'unit': {_unknown_units([unit], vocabulary)}")
        if unknown := [u for u in allowed_units if u not in vocabulary.units]:
            raise MetadataError(where, f"trường 'allowed_units': {_unknown_units(unknown, vocabulary)}")
        if unknown := [r for r in allowed_roles if r not in vocabulary.roles]:
            raise MetadataError(
                where,
                f"trường 'allowed_roles': vai trò không hợp lệ {', '.join(repr(r) for r in unknown)} — dùng các "
                f"vai trò: {', '.join(sorted(vocabulary.roles))}",
            )
    if visibility == "unit" and not unit:
        raise MetadataError(
            where,
            "trường 'unit': văn bản nội bộ đơn vị (visibility: unit) cần mã đơn vị sở hữu — ghi 'unit', hoặc đổi "
            "'visibility'",
        )
    if visibility == "restricted" and not (allowed_units or allowed_roles):
        raise MetadataError(
            where,
            "trường 'visibility': văn bản hạn chế (restricted) cần 'allowed_units' hoặc 'allowed_roles' — ghi các "
            "đơn vị hoặc vai trò được xem, hoặc đổi 'visibility'",
        )
    effective, expires = values.get("effective"), values.get("expires")
    if isinstance(effective, dt.date) and isinstance(expires, dt.date) and expires < effective:
        raise MetadataError(
            where,
            f"trường 'expires': ngày hết hiệu lực {expires:%d/%m/%Y} trước ngày có hiệu lực {effective:%d/%m/%Y} "
            "(trường 'effective') — sửa lại một trong hai ngày",
        )


def _unknown_units(codes: Iterable[str], vocabulary: AccessVocabulary) -> str:
    known = sorted(vocabulary.units)
    sample = ", ".join(known[:8]) + (", …" if len(known) > 8 else "")
    return (
        f"đơn vị {', '.join(repr(c) for c in codes)} không có trong cây đơn vị — dùng mã có trong tệp đơn vị "
        f"(ASSISTANT_UNITS_FILE, ví dụ: {sample}) hoặc thêm đơn vị vào tệp đó"
    )


def relation_warnings(relations: Iterable[Relation], known_numbers: Collection[str]) -> tuple[str, ...]:
    """A warning per relation whose target số hiệu is on no document (``known_numbers`` are :func:`number_key`s)."""
    return tuple(
        f"trường 'relations': không có văn bản số hiệu '{r.target}' trong kho — quan hệ vẫn được lưu và có tác dụng "
        "khi văn bản đó được nạp; kiểm tra lại số hiệu nếu gõ nhầm"
        for r in relations
        if number_key(r.target) not in known_numbers
    )


# -- content -------------------------------------------------------------------------------------------------------


def language_problem(text: str) -> str | None:
    """Why ``text`` is not language (no word boundaries, too few letters, one token repeated), or None.

    Shares are measured on at most :data:`SAMPLE_CHARS` characters taken evenly across the text, so a 50 MB file
    is judged in a fraction of a second.
    """
    sample = _sample(text)
    tokens = sample.split()
    nonspace = sum(map(len, tokens))
    if nonspace == 0:
        return None  # empty documents are refused by the loaders with their own message
    long_chars = sum(len(t) for t in tokens if len(t) > LONG_TOKEN_CHARS)
    if long_chars / nonspace > MAX_LONG_TOKEN_SHARE:
        return (
            f"nội dung không phải văn bản: {long_chars / nonspace:.0%} ký tự nằm trong các chuỗi dài hơn "
            f"{LONG_TOKEN_CHARS} ký tự không có dấu cách (không có ranh giới từ, giới hạn "
            f"{MAX_LONG_TOKEN_SHARE:.0%}) — kiểm tra tệp gốc: có thể là dữ liệu mã hóa, base64 hoặc tệp hỏng"
        )
    letters = sum(map(str.isalpha, sample))
    if letters / nonspace < MIN_LETTER_SHARE:
        return (
            f"nội dung không phải văn bản: chỉ {letters / nonspace:.0%} ký tự là chữ cái (cần ít nhất "
            f"{MIN_LETTER_SHARE:.0%}) — kiểm tra tệp gốc có phải tài liệu chữ, không phải bảng số hay dữ liệu"
        )
    words = Counter(_WORD.findall(sample.casefold()))
    total = sum(words.values())
    if total >= REPEAT_CHECK_TOKENS:
        top, count = words.most_common(1)[0]
        if count / total > MAX_TOP_TOKEN_SHARE or len(words) < MIN_DISTINCT_TOKENS:
            shown = top if len(top) <= 20 else top[:20] + "…"
            return (
                f"nội dung không phải văn bản: từ '{shown}' chiếm {count / total:.0%} số từ ({len(words)} từ khác "
                f"nhau; giới hạn {MAX_TOP_TOKEN_SHARE:.0%}) — kiểm tra tệp gốc"
            )
    return None


def _sample(text: str) -> str:
    if len(text) <= SAMPLE_CHARS:
        return text
    window = SAMPLE_CHARS // SAMPLE_WINDOWS
    step = (len(text) - window) // (SAMPLE_WINDOWS - 1)
    return "\n".join(text[i * step : i * step + window] for i in range(SAMPLE_WINDOWS))


def check_language(where: str, text: str) -> None:
    """Refuse text that is not language (:func:`language_problem`) as an UnsupportedDocument naming ``where``."""
    if problem := language_problem(text):
        raise UnsupportedDocument(where, problem)


def check_chunk_budget(where: str, chunks: int, limit: int, *, at_least: bool = False) -> None:
    """Refuse a document of more than ``limit`` chunks (``at_least``: ``chunks`` is a lower bound, before chunking)."""
    if chunks > limit:
        raise UnsupportedDocument(
            where,
            f"tài liệu quá dài: {'ít nhất ' if at_least else ''}{chunks} đoạn, vượt giới hạn {limit} đoạn mỗi văn bản "
            "(max_chunks_per_document) — hãy chia thành nhiều tệp nhỏ hơn, hoặc đề nghị quản trị tăng "
            "ASSISTANT_MAX_CHUNKS_PER_DOCUMENT",
        )
