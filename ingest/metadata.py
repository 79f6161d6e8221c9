"""Document metadata: the ``<file>.meta.yaml`` sidecar, the formal header of the text, and their merge.

Both :func:`read_sidecar` and :func:`parse_header` return dicts in the sidecar's vocabulary (``id``,
``title``, ``number``, ``type``, ``issuer``, ``issued`` …) with validated, typed values;
:func:`build_metadata` turns them into a :class:`~assistant.types.DocumentMeta`, sidecar values first.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from dataclasses import dataclass
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
from ingest.structure import is_upper_line

logger = logging.getLogger(__name__)

SIDECAR_SUFFIX = ".meta.yaml"
HEADER_LINES = 40
_ID = re.compile(r"[a-z0-9][a-z0-9._-]{0,127}")
_STR_KEYS = ("id", "title", "number", "type", "issuer", "unit")
_DATE_KEYS = ("issued", "effective", "expires")
_LIST_KEYS = ("allowed_units", "allowed_roles")
_KEYS = (*_STR_KEYS, *_DATE_KEYS, *_LIST_KEYS, "status", "relations", "visibility", "language", "sample")

_STATUS = {
    fold_diacritics(label): validity for validity in Validity for label in (validity.value, validity.label_vi)
}
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
            raise fail(
                f"cần một chuỗi, nhận được {type(value).__name__} {value!r} — đặt giá trị trong dấu ngoặc kép"
            )
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
        raise MetadataError(
            where, f"trường '{name}.target': cần số hiệu văn bản đích, ví dụ \"30/2020/NĐ-CP\""
        )
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
    doc_id = sidecar.get("id") or slugify(path.stem)[:128].strip("-._")
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


# --- the formal header ---------------------------------------------------------------------------
# Lines are normalised (NFC, traditional tone placement); words are matched on the diacritic-folded line
# (fold_diacritics keeps one character per NFC character) and values are cut from the normalised line.

_NUMBER = r"\d{1,5}(?:/\d{4})?[/-][A-ZĐ][A-Za-zĐđ0-9]*(?:[-/][A-ZĐ0-9][A-Za-zĐđ0-9&]*)*"
_NUMBER_LINE = re.compile(rf"(?:^(?:Số|SỐ)\s*:?|\b[Ss]ố\s*:)\s*({_NUMBER})")
_NUMBER_PARTS = re.compile(r"\d+(?:/(\d{4}))?([/-])([A-ZĐ][A-Za-zĐđ0-9]*)")
_CODES = {
    "NQ": "Nghị quyết",
    "QĐ": "Quyết định",
    "CT": "Chỉ thị",
    "QC": "Quy chế",
    "QyĐ": "Quy định",
    "TB": "Thông báo",
    "HD": "Hướng dẫn",
    "CTr": "Chương trình",
    "KH": "Kế hoạch",
    "PA": "Phương án",
    "ĐA": "Đề án",
    "BC": "Báo cáo",
    "BB": "Biên bản",
    "TTr": "Tờ trình",
    "GM": "Giấy mời",
    "GUQ": "Giấy ủy quyền",
    "CĐ": "Công điện",
    "NĐ": "Nghị định",
    "TT": "Thông tư",
    "TTLT": "Thông tư liên tịch",
    "KL": "Kết luận",
    "CV": "Công văn",
}
_TYPES = {fold_diacritics(t): t for t in {*_CODES.values(), "Luật", "Bộ luật", "Pháp lệnh", "Hiến pháp"}}
_TYPE_LINE = re.compile(
    r"^(" + "|".join(sorted(map(re.escape, _TYPES), key=len, reverse=True)) + r")(?:\s+|$)"
)
_NATIONAL = re.compile(r"cong hoa xa hoi chu nghia viet nam|dang cong san viet nam|doc lap\s*[-–]\s*tu do")
_NUMBER_START = re.compile(r"(?:^|\s)(?:Số|SỐ)\s*:?\s*\d")
_DATE_LINE = re.compile(r",\s*ngay\s+(\d{1,2})\s+thang\s+(\d{1,2})\s+nam\s+(\d{4})\s*\.?$")  # ends its line
_SEPARATOR = re.compile(r"^[-_*=.…~\s]+$")
_TITLE_STOP = re.compile(
    r"^(?:can cu|thuc hien|theo de nghi|xet de nghi|kinh gui|dieu\s+\d|chuong\s|\()|:$|: |,\s*ngay\s+\d"
)
_AUTHORITY = re.compile(
    r"^(?:chu tich|bo truong|thu tuong|giam doc|tong giam doc|chanh|truong ban|ban thuong vu"
    r"|ban chap hanh|hoi dong|uy ban|chinh phu|quoc hoi|bo chinh tri)\b|^[ivx]+[.-]\s"
)
_PLACE_WORDS = {"tỉnh", "huyện", "quận", "xã", "phường"}
_PLACE_UPPER = {"TỈNH", "HUYỆN", "QUẬN", "XÃ", "PHƯỜNG", "THÀNH", "THỊ"}
_PLACE_PAIRS = {"thành phố", "thị xã", "thị trấn", "tỉnh ủy", "huyện ủy", "thành ủy", "quận ủy", "thị ủy"}
_ORG_WORDS = {"bộ", "sở", "cục", "vụ", "ban", "viện", "phòng"}
_PROPER_PAIRS = {"trung ương", "chính phủ", "quốc hội"}
_SYLLABLE = re.compile(
    r"(?:ngh|ng|gh|gi|kh|nh|ph|qu|th|tr|ch|[bcdghklmnpqrstvx])?[aeiouy]{1,3}(?:ng|nh|ch|[cmnpt])?"
)


@dataclass(frozen=True)
class _Line:
    text: str  # NFC, tidy whitespace
    folded: str  # fold_diacritics(text), same length


def parse_header(text: str) -> dict[str, Any]:
    """Best-effort ``number``, ``type``, ``issuer``, ``issued`` and ``title`` from the document's first lines.

    A field that is not found is left out; nothing is guessed from the body or from cited documents.
    """
    raw = [normalize_text(line) for line in text.split("\n") if line.strip()][:HEADER_LINES]
    lines = [_Line(t, f if len(f := fold_diacritics(t)) == len(t) else t.casefold()) for t in raw]
    lines = [line for line in lines if not line.folded.startswith("can cu")]
    found: dict[str, Any] = {}
    for line in lines:
        if (m := _NUMBER_LINE.search(line.text)) and "number" not in found:
            found["number"] = m.group(1)
        if (m := _DATE_LINE.search(line.folded)) and "issued" not in found:
            if date := parse_date(f"{m.group(1)}/{m.group(2)}/{m.group(3)}"):
                found["issued"] = date
    if issuer := _issuer(lines):
        found["issuer"] = issuer
    type_at = next(
        (
            i
            for i, line in enumerate(lines)
            if is_upper_line(line.text) and _TYPE_LINE.match(line.folded) and not line.text.endswith(":")
        ),
        None,
    )
    if type_at is not None and (m := _TYPE_LINE.match(lines[type_at].folded)):
        found["type"] = _TYPES[m.group(1)]
    elif "number" in found and (code_type := _type_from_number(found["number"])):
        found["type"] = code_type
    if title := _title(lines, type_at, found.get("type", "")):
        found["title"] = title
    return found


def _type_from_number(number: str) -> str:
    m = _NUMBER_PARTS.match(number)
    if not m:
        return ""
    year, sep, code = m.groups()
    if code.startswith("QH"):
        return "Luật"
    if code in _CODES:
        return _CODES[code]
    return "Công văn" if sep == "/" and not year and "-" in number else ""  # 123/UBND-VP has no type code


def _issuer(lines: list[_Line]) -> str:
    """The issuing body: the upper-case lines at the top, ended by the Quốc hiệu (or the number line)."""
    names: list[str] = []
    seen_national = False
    for line in lines[:12]:
        cuts = [m.start() for m in (_NATIONAL.search(line.folded), _NUMBER_START.search(line.text)) if m]
        head = line.text[: min(cuts)].strip(" -–*_=.") if cuts else line.text.strip(" -–*_=.")
        seen_national = seen_national or bool(cuts)
        if head and is_upper_line(head) and (cuts or not seen_national):
            words = head.split()
            place = words[0] in _PLACE_UPPER and words[1:2] != ["ỦY"]  # not "TỈNH ỦY"
            if names and (place or names[-1].endswith((" VÀ", "-"))):
                names[-1] = f"{names[-1]} {head}"  # "ỦY BAN NHÂN DÂN" / "TỈNH LẠNG SƠN" is one name
            else:
                names.append(head)  # "UBND TỈNH LẠNG SƠN" / "SỞ XÂY DỰNG": the lower line is the issuer
        elif seen_national or (names and head and not is_upper_line(head)):
            break  # a mixed-case line before the issuer (a "TÀI LIỆU MẪU" note) is skipped
    return _org_case(names[-1]) if names and seen_national else ""


def _is_abbreviation(token: str) -> bool:
    """UBND, HĐND, TW, KH&CN: upper-case tokens that are not one Vietnamese syllable."""
    word = token.strip(",.;:()")
    return word.isupper() and not _SYLLABLE.fullmatch(fold_diacritics(word))


def _org_case(name: str) -> str:
    """Capitalise an issuer the way Nghị định 30/2020 does.

    "ỦY BAN NHÂN DÂN TỈNH LẠNG SƠN" → "Ủy ban nhân dân tỉnh Lạng Sơn"; "SỞ KẾ HOẠCH VÀ ĐẦU TƯ" →
    "Sở Kế hoạch và Đầu tư": the first word, the field after an organ word (and after a nearby "và"),
    place names.
    """
    low = [t if _is_abbreviation(t) else t.lower() for t in name.split()]
    cap = [i == 0 for i in range(len(low))]
    last_org = -99
    for i, word in enumerate(low):
        pair = " ".join(low[i : i + 2])
        after = low[i + 1] if i + 1 < len(low) else ""
        organ = word in _ORG_WORDS and low[i - 1 : i] not in (["ủy"], ["đảng"]) and after not in _PLACE_WORDS
        last_org = i if organ else last_org
        if organ or (word in ("và", "-") and i - last_org <= 6):
            cap[i + 1 : i + 2] = [True] * len(cap[i + 1 : i + 2])
        if pair in _PROPER_PAIRS:
            cap[i] = True
        place_start = (
            i + 2 if pair in _PLACE_PAIRS else i + 1 if word in _PLACE_WORDS and pair != "xã hội" else 0
        )
        if place_start:
            cap[place_start:] = [True] * (len(cap) - place_start)
    return " ".join(w[:1].upper() + w[1:] if c else w for w, c in zip(low, cap, strict=True))


def _title(lines: list[_Line], type_at: int | None, doc_type: str) -> str:
    """The line(s) after the type line ("Về việc …"), or a công văn's "V/v …" line."""
    if type_at is None:
        start = next((i for i, line in enumerate(lines) if line.folded.startswith(("v/v", "ve viec"))), None)
        if start is None:
            return ""
        return " ".join(
            [lines[start].text] + [x.text for x in lines[start + 1 : start + 3] if x.text[:1].islower()]
        )
    first = lines[type_at]
    type_end = _TYPE_LINE.match(first.folded)
    rest = first.text[type_end.end() :].strip() if type_end else ""
    title = [rest] if rest else []
    for line in lines[type_at + 1 : type_at + 6]:
        upper = is_upper_line(line.text)
        if line.folded.startswith("cua ") and upper and not title:
            continue  # "CỦA BỘ CHÍNH TRỊ" under "NGHỊ QUYẾT"
        if (
            _SEPARATOR.match(line.text)
            or _TITLE_STOP.search(line.folded)
            or (upper and _AUTHORITY.search(line.folded))
        ):
            break
        if title and upper != all(is_upper_line(t) for t in title):
            break
        title.append(line.text)
    if not title:
        return ""
    joined = " ".join(title)
    if is_upper_line(joined):  # "LUẬT" / "VIÊN CHỨC" → "Luật Viên chức"
        return f"{doc_type} {joined[:1]}{joined[1:].lower()}".strip()
    return joined[:1].upper() + joined[1:]
