"""The draft inspection plan (kế hoạch thanh tra/kiểm tra): the statutory deadlines of each step of the procedure,
read from the procedure document on the shelf (a "Quy định quy trình … thanh tra"), and the DraftRequest of the
plan. A step the shelf states no time limit for stays a visible placeholder."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass

from assistant.drafting import DraftKind, DraftRequest, Plan
from assistant.inspection.checklist import CheckItem
from assistant.quiz.facts import clauses, extract_facts
from assistant.quiz.model import FactKind
from assistant.text.normalize import fold_diacritics
from assistant.types import Chunk, DocumentMeta

__all__ = ["PROCEDURE_STEPS", "ProcedureDeadline", "plan_request", "procedure_deadlines", "is_procedure"]


@dataclass(frozen=True)
class _Step:
    label: str
    title: str  # folded pattern of the article's title
    sentence: str = ""  # folded pattern the sentence stating the limit must match ("" any)


# The steps of a cuộc thanh tra whose time limits a plan states, in procedure order.
PROCEDURE_STEPS: tuple[_Step, ...] = (
    _Step("Khảo sát, nắm tình hình", r"khao sat"),
    _Step("Ban hành quyết định thanh tra", r"^quyet dinh thanh tra"),
    _Step("Phê duyệt kế hoạch tiến hành thanh tra", r"ke hoach tien hanh"),
    _Step("Gửi đề cương yêu cầu đối tượng thanh tra báo cáo", r"de cuong"),
    _Step("Công bố quyết định thanh tra", r"cong bo quyet dinh"),
    _Step("Thời hạn thanh tra", r"^thoi han thanh tra", r"^(?!.*gia han)"),
    _Step("Đề nghị gia hạn thời hạn thanh tra", r"^thoi han thanh tra", r"gia han"),
    _Step("Báo cáo kết quả thanh tra", r"bao cao ket qua thanh tra", r"bao cao ket qua thanh tra"),
    _Step("Thẩm định dự thảo kết luận thanh tra", r"tham dinh"),
    _Step("Ban hành kết luận thanh tra", r"ban hanh ket luan"),
    _Step("Công khai kết luận thanh tra", r"cong khai ket luan"),
    _Step("Lập, bàn giao hồ sơ cuộc thanh tra", r"ho so cuoc thanh tra"),
)
_PROCEDURE_TITLE = re.compile(r"\bquy trinh\b.*\b(?:thanh tra|kiem tra)\b")


@dataclass(frozen=True)
class ProcedureDeadline:
    """One step's time limit as the procedure states it; ``statement`` empty when the shelf states none."""

    step: str
    values: tuple[str, ...] = ()  # "45 ngày", "70 ngày"
    statement: str = ""  # the sentence(s), verbatim
    path: str = ""  # "khoản 1 Điều 12"
    number: str = ""  # "115/QĐ-TTr"
    doc_label: str = ""  # "Quy định số 115/QĐ-TTr"
    chunk_id: str = ""

    @property
    def found(self) -> bool:
        return bool(self.values)

    def line(self) -> str:
        """ "Thời hạn thanh tra: … (khoản 1 Điều 12 Quy định số 115/QĐ-TTr)" or the step with a placeholder."""
        if not self.found:
            return f"{self.step}: [thời hạn — văn bản quy trình trên hệ thống chưa quy định, cần bổ sung]"
        return f"{self.step}: {self.statement.rstrip(' .;')} ({self.path} {self.doc_label})"


def is_procedure(doc: DocumentMeta) -> bool:
    """Whether ``doc`` is a procedure of inspections ("Quy định quy trình tiến hành một cuộc thanh tra …")."""
    return bool(_PROCEDURE_TITLE.search(fold_diacritics(doc.title).lower()))


def procedure_deadlines(doc: DocumentMeta | None, chunks: Sequence[Chunk]) -> tuple[ProcedureDeadline, ...]:
    """The time limit of each step of :data:`PROCEDURE_STEPS` that ``doc`` states (from its facts), the first
    clause that states one; a step it does not state (or no procedure at all) has an empty deadline."""
    found: list[ProcedureDeadline] = []
    label = f"{doc.doc_type} số {doc.number}" if doc is not None and doc.number else ""
    stated: list[tuple[str, str, str, str, tuple[str, ...]]] = []  # title, path, chunk_id, statement, values
    if doc is not None:
        for chunk in chunks:
            titles = {c.source.path: c.title for c in clauses(chunk, doc)}
            by_path: dict[str, list[tuple[str, str]]] = {}
            for fact in extract_facts(chunk, doc):
                if fact.kind is FactKind.DURATION:
                    by_path.setdefault(fact.source.path, []).append((fact.sentence, fact.value))
            for path, facts in by_path.items():
                sentences = list(dict.fromkeys(s for s, _ in facts))
                values = tuple(dict.fromkeys(v for _, v in facts))
                stated.append((titles.get(path, ""), path, chunk.chunk_id, " ".join(sentences), values))
    for step in PROCEDURE_STEPS:
        match = next(
            (
                s
                for s in stated
                if re.search(step.title, fold_diacritics(s[0]).lower())
                and re.search(step.sentence, fold_diacritics(s[3]).lower())
            ),
            None,
        )
        if match is None or doc is None:
            found.append(ProcedureDeadline(step.label))
            continue
        _, path, chunk_id, statement, values = match
        found.append(ProcedureDeadline(step.label, values, statement, path, doc.number, label, chunk_id))
    return tuple(found)


def _headings(items: Sequence[CheckItem]) -> list[str]:
    """One content line per article checked: "Điều 7 (Phân phối, xử lý văn bản đến) Quy chế số …: 2 nội dung"."""
    groups: dict[tuple[str, str], list[CheckItem]] = {}
    for item in items:
        words = item.path.split(" ")
        article = " ".join(words[-2:]) if words[-2:-1] == ["Điều"] else item.path
        groups.setdefault((item.doc_label, article), []).append(item)
    lines = []
    for (label, article), members in groups.items():
        title = f" ({members[0].heading})" if members[0].heading else ""
        lines.append(f"Việc thực hiện {article}{title} {label}: {len(members)} nội dung kiểm tra")
    return lines


def plan_request(
    topic: str,
    object_name: str,
    bases: Sequence[str],
    items: Sequence[CheckItem],
    deadlines: Sequence[ProcedureDeadline],
    *,
    date: dt.date | None = None,
) -> DraftRequest:
    """The kế hoạch thanh tra as a DraftRequest: căn cứ ``bases`` (whole "Căn cứ …" lines), purpose and
    requirements, the content (one line per article of the checklist) and the procedure's time limits; what is not
    known (issuing body, number, signer, the inspection's period) stays a placeholder of the draft."""
    purpose = (
        f"Xem xét, đánh giá việc chấp hành quy định về {topic} của {object_name}; phát hiện hạn chế, vi phạm (nếu có)"
        " và kiến nghị biện pháp khắc phục.",
        "Việc thanh tra bảo đảm đúng quy định của pháp luật, chính xác, khách quan, trung thực, công khai, kịp thời;"
        f" không làm cản trở hoạt động bình thường của {object_name}.",
    )
    tasks = (
        f"Đối tượng thanh tra: {object_name}.",
        *(_headings(items) or ["[nội dung thanh tra — không tìm thấy nghĩa vụ nào trong các văn bản căn cứ]"]),
    )
    organisation = ("Thời hạn các bước theo quy trình thanh tra:", *(d.line() for d in deadlines))
    return DraftRequest(
        kind=DraftKind.KE_HOACH,
        date=date,
        subject=f"Thanh tra việc chấp hành quy định về {topic} tại {object_name}",
        bases=tuple(bases),
        details=Plan(purpose=purpose, tasks=tasks, organisation=organisation),
    )
