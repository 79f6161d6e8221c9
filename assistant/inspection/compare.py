"""What changed between a document and the one that amends or replaces it, article by article.

Two documents are compared by aligning their articles (Điều N, or the numbered sections of a plan or guide) by
number and by heading and text similarity, so a renumbered or moved article still finds its counterpart; each pair is
then compared clause by clause with a word-level diff. An amending decision (sửa đổi, bổ sung) is read instead as a
list of instructions, each shown as the old provision against the new one.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import Literal

from assistant.errors import InvalidRequest
from assistant.service import AssistantService
from assistant.text.amendments import AmendmentText, Instruction, Target, parse_amendments
from assistant.text.legal_grammar import CLAUSE, OUTLINE_ITEM, POINT, match_article, number_key
from assistant.text.normalize import fold_diacritics
from assistant.types import Chunk, DocumentMeta, Principal, RelationKind, outline_label

__all__ = [
    "ArticleChange",
    "ChangeKind",
    "ClauseChange",
    "Comparison",
    "DiffOp",
    "NoRelatedDocument",
    "SameDocument",
    "Unit",
    "compare_documents",
    "compare_units",
    "compare_with_related",
    "document_units",
    "word_diff",
]

logger = logging.getLogger(__name__)

ChangeKind = Literal["added", "removed", "changed", "unchanged"]
DiffOp = Literal["equal", "insert", "delete"]
Segment = tuple[DiffOp, str]

ARTICLE_MIN_SCORE = 0.45  # alignment: a pair below this (number bonus included) is an addition plus a removal
CLAUSE_MIN_SCORE = 0.4
SAME_NUMBER_BONUS = 0.15
_TOKEN = re.compile(r"\s+|\w+|[^\w\s]")
_WORD = re.compile(r"\w+")
_SKIPPED_PATHS = {("Phần mở đầu",), ("Phần cuối",)}
_SUB_UNIT = re.compile(r"^(?:Khoản|Điểm) ")
_ACTION_KIND: dict[str, ChangeKind] = {"repeal": "removed", "add": "added"}


class NoRelatedDocument(InvalidRequest):
    """The document neither replaces or amends, nor is replaced or amended by, a document the caller may see."""

    def __init__(self, doc_id: str) -> None:
        super().__init__(
            f"Văn bản '{doc_id}' không thay thế hay sửa đổi văn bản nào, và cũng chưa có văn bản nào thay thế hay "
            "sửa đổi nó trong kho: hãy chọn cả hai văn bản cần so sánh."
        )
        self.doc_id = doc_id


class SameDocument(InvalidRequest):
    def __init__(self, doc_id: str) -> None:
        super().__init__(f"Hai văn bản cần so sánh đều là '{doc_id}': hãy chọn hai văn bản khác nhau.")
        self.doc_id = doc_id


@dataclass(frozen=True)
class ClauseChange:
    """One clause (khoản, or the lead text of an article; a paragraph of an unnumbered section) of a changed
    article: ``segments`` is its word-level diff, whose equal+delete runs spell the old text and equal+insert runs
    the new one."""

    kind: ChangeKind
    old_label: str
    new_label: str
    old_text: str
    new_text: str
    segments: tuple[Segment, ...]


@dataclass(frozen=True)
class ArticleChange:
    """One article of the comparison (or, for an amending document, one provision an instruction touches)."""

    kind: ChangeKind
    old_label: str  # "Điều 7", "khoản 1 Điều 6"; "" when added
    new_label: str  # "" when removed
    old_text: str
    new_text: str
    segments: tuple[Segment, ...]  # the whole article's word-level diff
    old_title: str = ""  # the article's heading without its number
    new_title: str = ""
    clauses: tuple[ClauseChange, ...] = ()
    similarity: float = 1.0
    instruction: str = ""  # amending document: the instruction as written ("Sửa đổi khoản 1 Điều 6 như sau")
    source: str = ""  # amending document: where the instruction is ("khoản 1 Điều 1")
    note: str = ""  # what could not be done ("không tìm thấy khoản 4 Điều 9 trong văn bản được sửa đổi")

    @property
    def renumbered(self) -> bool:
        return bool(self.old_label and self.new_label and self.old_label != self.new_label)


@dataclass(frozen=True)
class Comparison:
    """The comparison of an older document with a newer one that replaces or amends it (or any two documents)."""

    old_id: str
    new_id: str
    old_number: str
    new_number: str
    old_title: str
    new_title: str
    relation: RelationKind | None  # how the newer document relates to the older one (None: not recorded)
    mode: Literal["articles", "amendment"]
    changes: tuple[ArticleChange, ...]
    unparsed: tuple[str, ...] = ()  # amendment mode: sentences that look like instructions but could not be read

    def count(self, kind: ChangeKind) -> int:
        return sum(1 for c in self.changes if c.kind == kind)

    @property
    def differences(self) -> tuple[ArticleChange, ...]:
        """The changes that are not ``unchanged`` (a renumbered but otherwise unchanged article included)."""
        return tuple(c for c in self.changes if c.kind != "unchanged" or c.renumbered)


@dataclass(frozen=True)
class Unit:
    """An article (or numbered section) of a document rebuilt from its chunks."""

    label: str  # "Điều 7", "khoản 3 mục II — …"
    number: str  # what the alignment compares: "7", "II.3"
    title: str  # "Phân phối, xử lý văn bản đến"
    heading: str  # the heading line as written: "Điều 7. Phân phối, xử lý văn bản đến"
    body: str

    @property
    def text(self) -> str:
        return f"{self.heading}\n{self.body}".strip() if self.heading else self.body


# --- documents as units -----


def _unit_key(chunk: Chunk) -> tuple[str, ...]:
    if chunk.article:
        return ("điều", chunk.article, chunk.heading)
    return tuple(p for p in chunk.heading_path if not _SUB_UNIT.match(p))


def _join(pieces: Sequence[str]) -> str:
    """Pieces of one unit in order, the overlap the text splitter repeats at a cut removed."""
    text = ""
    for piece in pieces:
        if not text:
            text = piece
            continue
        overlap = next((n for n in range(min(len(text), len(piece), 400), 19, -1) if text.endswith(piece[:n])), 0)
        text = text + piece[overlap:] if overlap else f"{text}\n{piece}"
    return text


def _body(chunk: Chunk) -> str:
    lines = chunk.text.split("\n")
    if lines and lines[0].strip() in {chunk.heading, *chunk.heading_path}:
        lines = lines[1:]
    return "\n".join(lines).strip()


def _make_unit(chunks: Sequence[Chunk]) -> Unit:
    first = chunks[0]
    body = _join([_body(c) for c in chunks])
    if first.article:
        matched = match_article(first.heading)
        title = matched[1] if matched else first.heading
        return Unit(f"Điều {first.article}", first.article, title, first.heading, body)
    path = _unit_key(first)
    numbers = []
    for part in path:
        m = OUTLINE_ITEM.match(part.strip())
        numbers.append(m.group(2) if m else "")
    title = path[-1] if path else ""
    m = OUTLINE_ITEM.match(title.strip())
    label = outline_label(path) or " › ".join(path)
    if len(path) >= 2 and body.startswith(title.rstrip("…")):  # an item's heading is its body's first line
        body_lines = body.split("\n")
        title, body = body_lines[0], "\n".join(body_lines[1:]).strip()
    heading = title
    if m:
        title = m.group(3)
    return Unit(label, ".".join(n for n in numbers if n), title, heading, body)


def document_units(chunks: Sequence[Chunk]) -> list[Unit]:
    """The articles (or numbered sections) of a document, rebuilt from its chunks in order; the header and
    signature are left out."""
    groups: list[list[Chunk]] = []
    last: tuple[str, ...] | None = None
    for chunk in sorted(chunks, key=lambda c: c.ordinal):
        if chunk.heading_path in _SKIPPED_PATHS and not chunk.article:
            last = None
            continue
        key = _unit_key(chunk)
        if groups and key == last:
            groups[-1].append(chunk)
        else:
            groups.append([chunk])
        last = key
    return [_make_unit(group) for group in groups]


def _parts(unit: Unit, legal: bool) -> list[tuple[str, str, str]]:
    """(label, number, text) of each clause of an article (the lead text labelled "phần mở đầu"), or of each
    paragraph of a section."""
    lines = [line for line in unit.body.split("\n") if line.strip()]
    if not legal:
        return [(f"đoạn {i}", str(i), line) for i, line in enumerate(lines, 1)]
    parts: list[tuple[str, str, str]] = []
    for line in lines:
        m = CLAUSE.match(line)
        if m:
            parts.append((f"khoản {m.group(1)}", m.group(1), line))
        elif parts:
            label, number, text = parts[-1]
            parts[-1] = (label, number, f"{text}\n{line}")
        else:
            parts.append(("phần mở đầu", "", line))
    if len(parts) == 1 and not parts[0][1]:
        return [("nội dung", "", parts[0][2])]  # an article without clauses
    return parts


# --- diff and alignment -----


def word_diff(old: str, new: str) -> tuple[Segment, ...]:
    """Word-level diff of two texts: runs of ("equal" | "delete" | "insert", text), a deletion before the insertion
    that replaces it; the equal and deleted runs spell ``old``, the equal and inserted runs spell ``new``."""
    a, b = _TOKEN.findall(old), _TOKEN.findall(new)
    codes = SequenceMatcher(None, a, b, autojunk=False).get_opcodes()
    # A run of spaces alone between two changes joins them: "07 ngày" → "05 tuần" reads as one replacement.
    merged: list[tuple[str, int, int, int, int]] = []
    for index, (code, i1, i2, j1, j2) in enumerate(codes):
        lone_space = code == "equal" and 0 < index < len(codes) - 1 and "".join(a[i1:i2]).isspace()
        tag = "replace" if lone_space else str(code)
        if merged and tag != "equal" and merged[-1][0] != "equal":
            merged[-1] = (merged[-1][0], merged[-1][1], i2, merged[-1][3], j2)
        else:
            merged.append((tag, i1, i2, j1, j2))
    out: list[Segment] = []

    def emit(op: DiffOp, text: str) -> None:
        if not text:
            return
        if out and out[-1][0] == op:
            out[-1] = (op, out[-1][1] + text)
        else:
            out.append((op, text))

    for tag, i1, i2, j1, j2 in merged:
        if tag == "equal":
            emit("equal", "".join(a[i1:i2]))
        else:
            emit("delete", "".join(a[i1:i2]))
            emit("insert", "".join(b[j1:j2]))
    return tuple(out)


def _words(text: str) -> list[str]:
    return _WORD.findall(fold_diacritics(text))


def _similarity(a: list[str], b: list[str]) -> float:
    if not a and not b:
        return 1.0
    return SequenceMatcher(None, a, b, autojunk=False).ratio()


def _align(
    old: Sequence[tuple[str, list[str]]],
    new: Sequence[tuple[str, list[str]]],
    score: Callable[[int, int, float], float],
    min_score: float,
) -> list[tuple[int | None, int | None, float]]:
    """Pairs (old index, new index, similarity) in the new document's order, each unmatched old item placed after
    the items that precede it; greedy on the best score (similarity plus a bonus for the same number)."""
    candidates = []
    for i, (number_a, words_a) in enumerate(old):
        for j, (number_b, words_b) in enumerate(new):
            bonus = SAME_NUMBER_BONUS if number_a and number_a == number_b else 0.0
            matcher = SequenceMatcher(None, words_a, words_b, autojunk=False)
            if (words_a or words_b) and matcher.quick_ratio() + bonus < min_score:
                continue
            value = score(i, j, bonus)
            if value >= min_score:
                candidates.append((value, -abs(i - j), i, j))
    candidates.sort(reverse=True)
    match_of_new: dict[int, tuple[int, float]] = {}
    used_old: set[int] = set()
    for value, _, i, j in candidates:
        if i not in used_old and j not in match_of_new:
            used_old.add(i)
            match_of_new[j] = (i, value)
    out: list[tuple[int | None, int | None, float]] = []
    emitted: set[int] = set()
    for j in range(len(new)):
        if j in match_of_new:
            i, value = match_of_new[j]
            for k in range(i):
                if k not in used_old and k not in emitted:
                    out.append((k, None, 0.0))
                    emitted.add(k)
            out.append((i, j, value))
            k = i + 1
            while k < len(old) and k not in used_old and k not in emitted:  # removed right after its predecessor
                out.append((k, None, 0.0))
                emitted.add(k)
                k += 1
        else:
            out.append((None, j, 0.0))
    out.extend((k, None, 0.0) for k in range(len(old)) if k not in used_old and k not in emitted)
    return out


def _same(a: str, b: str) -> bool:
    return " ".join(a.split()) == " ".join(b.split())


def _clause_changes(old: Unit, new: Unit, legal: bool) -> tuple[ClauseChange, ...]:
    old_parts, new_parts = _parts(old, legal), _parts(new, legal)
    old_words = [(n, _words(t)) for _, n, t in old_parts]
    new_words = [(n, _words(t)) for _, n, t in new_parts]

    def score(i: int, j: int, bonus: float) -> float:
        return _similarity(old_words[i][1], new_words[j][1]) + bonus

    out = []
    for i, j, _ in _align(old_words, new_words, score, CLAUSE_MIN_SCORE):
        if i is None and j is not None:
            label, _, text = new_parts[j]
            out.append(ClauseChange("added", "", label, "", text, (("insert", text),)))
        elif j is None and i is not None:
            label, _, text = old_parts[i]
            out.append(ClauseChange("removed", label, "", text, "", (("delete", text),)))
        elif i is not None and j is not None:
            (old_label, _, a), (new_label, _, b) = old_parts[i], new_parts[j]
            kind: ChangeKind = "unchanged" if _same(_drop_label(a), _drop_label(b)) else "changed"
            out.append(ClauseChange(kind, old_label, new_label, a, b, word_diff(a, b)))
    return tuple(out)


def _drop_label(text: str) -> str:
    return CLAUSE.sub("", text, count=1)


def _article_change(old: Unit, new: Unit, similarity: float, legal: bool) -> ArticleChange:
    unchanged = _same(old.title, new.title) and _same(old.body, new.body)
    clauses = _clause_changes(old, new, legal)
    segments: list[Segment] = list(word_diff(old.title, new.title))
    for clause in clauses:
        segments.append(("equal", "\n"))
        segments.extend(clause.segments)
    return ArticleChange(
        "unchanged" if unchanged else "changed",
        old.label,
        new.label,
        old.text,
        new.text,
        _merge(segments),
        old.title,
        new.title,
        clauses,
        round(similarity, 3),
    )


def _merge(segments: Sequence[Segment]) -> tuple[Segment, ...]:
    out: list[Segment] = []
    for op, text in segments:
        if out and out[-1][0] == op:
            out[-1] = (op, out[-1][1] + text)
        elif text:
            out.append((op, text))
    return tuple(out)


def compare_units(old: Sequence[Unit], new: Sequence[Unit]) -> tuple[ArticleChange, ...]:
    """Article-by-article changes from ``old`` to ``new``, in the new document's order (removed articles where
    they stood)."""
    legal = any(u.label.startswith("Điều ") for u in (*old, *new))
    old_title = [_words(u.title) for u in old]
    new_title = [_words(u.title) for u in new]
    old_words = [(u.number, _words(u.text)) for u in old]
    new_words = [(u.number, _words(u.text)) for u in new]

    def score(i: int, j: int, bonus: float) -> float:
        body = _similarity(old_words[i][1], new_words[j][1])
        title = _similarity(old_title[i], new_title[j])
        return 0.25 * title + 0.75 * body + bonus

    out: list[ArticleChange] = []
    for i, j, value in _align(old_words, new_words, score, ARTICLE_MIN_SCORE):
        if i is None and j is not None:
            u = new[j]
            out.append(ArticleChange("added", "", u.label, "", u.text, (("insert", u.text),), new_title=u.title))
        elif j is None and i is not None:
            u = old[i]
            out.append(ArticleChange("removed", u.label, "", u.text, "", (("delete", u.text),), old_title=u.title))
        elif i is not None and j is not None:
            bonus = SAME_NUMBER_BONUS if old[i].number and old[i].number == new[j].number else 0.0
            out.append(_article_change(old[i], new[j], value - bonus, legal))
    return tuple(out)


# --- amending documents -----


def _provision(units: Sequence[Unit], target: Target) -> str | None:
    """The text of a provision of the amended document (None when it has no such provision)."""
    unit = next((u for u in units if u.label == f"Điều {target.article}"), None)
    if unit is None:
        return None
    if not target.clause:
        return unit.text
    clause = next((t for _, n, t in _parts(unit, True) if n == target.clause), None)
    if clause is None or not target.point:
        return clause
    points: dict[str, list[str]] = {}
    current = ""
    for line in clause.split("\n"):
        m = POINT.match(line)
        current = m.group(1) if m else current
        if current:
            points.setdefault(current, []).append(line)
    return "\n".join(points[target.point]) if target.point in points else None


def _strip_own_label(text: str, target: Target) -> str:
    """The provision's text without its own number ("2. …", "a) …", "Điều 5. …" heading kept as a title)."""
    if target.point:
        return POINT.sub("", text, count=1).strip()
    if target.clause:
        return CLAUSE.sub("", text, count=1).strip()
    return re.sub(rf"^Điều\s+{re.escape(target.article)}\s*[.:]\s*", "", text, count=1).strip()


def _instruction_changes(units: Sequence[Unit], instruction: Instruction) -> list[ArticleChange]:
    out = []
    for target in instruction.targets:
        found = _provision(units, target)
        old = _strip_own_label(found, target) if found is not None else ""
        missing = found is None and instruction.action != "add"
        note = f"Không tìm thấy {target.label} trong văn bản được sửa đổi." if missing else ""
        kind: ChangeKind = _ACTION_KIND.get(instruction.action, "changed")
        new = ""
        if instruction.action in ("amend", "add"):
            new = _strip_own_label(instruction.new_text, target)
            if instruction.action == "add" and found is not None:
                kind = "changed"  # "Bổ sung khoản 3 Điều 5 như sau" on an existing clause supplements it
            elif instruction.action == "amend" and found is None:
                kind = "added"
        elif instruction.action in ("replace_phrase", "remove_phrase"):
            new = old.replace(instruction.old_phrase, instruction.new_phrase)
            if instruction.action == "remove_phrase":  # "tỉnh; UBND các huyện; UBND các xã" → "tỉnh; UBND các xã"
                new = re.sub(r"\s+([,;.])", r"\1", re.sub(r"[ \t]{2,}", " ", new))
                new = re.sub(r"([,;])(?:\s*[,;])+", r"\1", new)
            if found is not None and instruction.old_phrase not in old:
                note = f'Không thấy cụm từ "{instruction.old_phrase}" trong {target.label}.'
        if instruction.action == "add" and instruction.after is not None and not note:
            note = f"Bổ sung vào sau {instruction.after.label}."
        segments = word_diff(old, new) if kind == "changed" else ((("delete", old),) if old else ())
        if kind == "added":
            segments = (("insert", new),)
        out.append(
            ArticleChange(
                kind,
                target.label if found is not None or kind == "removed" else "",
                "" if kind == "removed" else target.label,
                old,
                new,
                segments,
                instruction=instruction.text,
                source=instruction.source,
                note=note,
            )
        )
    return out


def compare_amendment(old: Sequence[Unit], amending: Sequence[Unit]) -> tuple[tuple[ArticleChange, ...], AmendmentText]:
    """The old provision against the new one for each instruction of the amending document's articles."""
    parsed = parse_amendments([(u.label, u.title, u.body) for u in amending])
    changes = [change for ins in parsed.instructions for change in _instruction_changes(old, ins)]
    return tuple(changes), parsed


# --- use cases -----


def _relation(newer: DocumentMeta, older: DocumentMeta) -> RelationKind | None:
    if not older.number:
        return None
    key = number_key(older.number)
    return next((r.kind for r in newer.relations if number_key(r.target) == key), None)


def compare_documents(service: AssistantService, old_id: str, new_id: str, *, principal: Principal) -> Comparison:
    """Compare the document ``old_id`` with ``new_id``, both as ``principal`` may see them (a hidden one is
    reported as missing: DocumentNotFound). Given in the wrong order (the first names the second in its relations),
    they are swapped. A newer document that amends the older one is read as amending instructions."""
    if old_id == new_id:
        raise SameDocument(old_id)
    old_meta, old_chunks = service.document(old_id, principal=principal)
    new_meta, new_chunks = service.document(new_id, principal=principal)
    relation = _relation(new_meta, old_meta)
    if relation is None and (reverse := _relation(old_meta, new_meta)) is not None:
        relation = reverse
        (old_meta, old_chunks), (new_meta, new_chunks) = (new_meta, new_chunks), (old_meta, old_chunks)
    old_units, new_units = document_units(old_chunks), document_units(new_chunks)
    mode: Literal["articles", "amendment"] = "articles"
    unparsed: tuple[str, ...] = ()
    if relation == RelationKind.AMENDS:
        mode = "amendment"
        changes, parsed = compare_amendment(old_units, new_units)
        unparsed = parsed.unparsed
    else:
        changes = compare_units(old_units, new_units)
    logger.info("compared %s with %s (%s): %d changes", old_meta.doc_id, new_meta.doc_id, mode, len(changes))
    return Comparison(
        old_meta.doc_id,
        new_meta.doc_id,
        old_meta.number,
        new_meta.number,
        old_meta.title,
        new_meta.title,
        relation,
        mode,
        changes,
        unparsed,
    )


def _issued(doc: DocumentMeta) -> dt.date:
    return doc.issued_date or dt.date.min


def related_pair(service: AssistantService, doc_id: str, *, principal: Principal) -> tuple[str, str]:
    """(older id, newer id): the document ``doc_id`` replaces or amends, else the latest one replacing or amending
    it, among those ``principal`` may see; NoRelatedDocument when there is none."""
    doc, _ = service.document(doc_id, principal=principal)
    visible = [d for d in service.documents(principal=principal) if d.doc_id != doc_id]
    by_key: dict[str, list[DocumentMeta]] = {}
    for d in visible:
        if d.number:
            by_key.setdefault(number_key(d.number), []).append(d)
    for kind in (RelationKind.REPLACES, RelationKind.AMENDS):
        for relation in doc.relations:
            if relation.kind == kind and (older := by_key.get(number_key(relation.target))):
                return older[0].doc_id, doc_id
    newer = [d for d in visible if _relation(d, doc) in (RelationKind.REPLACES, RelationKind.AMENDS)]
    if not newer:
        raise NoRelatedDocument(doc_id)
    newer.sort(key=lambda d: (_relation(d, doc) != RelationKind.REPLACES, -_issued(d).toordinal()))
    return doc_id, newer[0].doc_id


def compare_with_related(service: AssistantService, doc_id: str, *, principal: Principal) -> Comparison:
    """Compare ``doc_id`` with the document it replaces or amends, or with the one replacing or amending it."""
    old_id, new_id = related_pair(service, doc_id, principal=principal)
    return compare_documents(service, old_id, new_id, principal=principal)
