"""Quiz banks saved per trainer and unit in the accounts database: versioned, shown under the documents' visibility
rules, and the anonymous per-item practice counts a trainer reads for their unit (the trainer-mode routes).

A caller sees a bank when its audience admits them as ``Principal.may_see`` admits a document (the owner always)
and they may see every source document as it is now; a hidden bank is reported exactly like a missing one.
"""

from __future__ import annotations

import builtins
import datetime as dt
import logging
import uuid
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any, NamedTuple

from sqlalchemy import and_, delete, func, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import CursorResult
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from assistant.accounts.db import Database
from assistant.accounts.models import utcnow
from assistant.accounts.quiz_models import QuizBankRow, QuizBankVersionRow, QuizItemResult
from assistant.errors import BankNotFound, InvalidRequest, PermissionDenied, VersionConflict
from assistant.quiz.model import BankAudience, QuizBank, QuizItem, ReviewStatus
from assistant.quiz.serialize import audience_from_dict, audience_to_dict, item_from_dict, item_to_dict
from assistant.types import DocumentMeta, Principal

logger = logging.getLogger(__name__)

DocumentLookup = Callable[[str], DocumentMeta | None]  # a document as the caller sees it; None: hidden or gone
TRAINER = "trainer"
MAX_ITEMS = 1000
MAX_TITLE = 300
MAX_ITEM_ID = 128
_REVIEW_NOTE = {ReviewStatus.ACCEPTED: "duyệt", ReviewStatus.REJECTED: "loại", ReviewStatus.PENDING: "chờ duyệt lại"}


@dataclass(frozen=True)
class BankSummary:
    """A bank as listed: its latest version and how many of its items await review, were accepted or rejected."""

    bank_id: str
    title: str
    topic: str
    owner: str
    unit: str
    version: int
    items: int
    pending: int
    accepted: int
    rejected: int
    updated_at: dt.datetime


class BankVersion(NamedTuple):
    version: int
    updated_at: dt.datetime
    editor: str
    note: str


class ItemStat(NamedTuple):
    """Practice counts of one item over the units asked for; ``wrong`` ≤ ``attempts``."""

    item_id: str
    attempts: int
    wrong: int


class QuizStore:
    def __init__(self, db: Database) -> None:
        self.db = db

    def create(self, bank: QuizBank, *, principal: Principal, note: str = "") -> QuizBank:
        """Save a new bank as version 1 under its owner (default: the caller) and unit (default: the caller's
        only unit); only trainers and admins create banks, and only for themselves and their own units."""
        if not (principal.is_admin or TRAINER in principal.roles):
            raise PermissionDenied("Chỉ giảng viên (vai trò 'trainer') hoặc quản trị viên mới lưu được bộ câu hỏi.")
        owner = bank.owner or principal.user_id
        unit = bank.unit or (next(iter(principal.units)) if len(principal.units) == 1 else "")
        if not principal.is_admin and (owner != principal.user_id or (unit and unit not in principal.units)):
            raise PermissionDenied("Bạn chỉ lưu được bộ câu hỏi của chính mình, dưới đơn vị của mình.")
        _check(bank.title, bank.items)
        now = utcnow()
        saved = replace(
            bank, bank_id=bank.bank_id or uuid.uuid4().hex, owner=owner, unit=unit,
            doc_ids=_doc_ids(bank.items, bank.doc_ids), version=1, created_at=now, updated_at=now,
        )  # fmt: skip
        if len(saved.bank_id) > 64:
            raise InvalidRequest("Mã bộ câu hỏi dài quá 64 ký tự; để trống để hệ thống tự tạo.")
        try:
            with self.db.session() as session:
                if session.get(QuizBankRow, saved.bank_id) is not None:
                    raise InvalidRequest(f"Mã bộ câu hỏi '{saved.bank_id}' đã được dùng; để trống để tự tạo mã.")
                session.add(
                    QuizBankRow(id=saved.bank_id, title=saved.title, topic=saved.topic, owner=owner, unit=unit,
                                version=1, created=now, updated=now)
                )  # fmt: skip
                session.flush()
                session.add(_version_row(saved, editor=principal.user_id, note=note or "tạo bộ câu hỏi"))
        except IntegrityError as exc:
            raise InvalidRequest(f"Mã bộ câu hỏi '{saved.bank_id}' đã được dùng; để trống để tự tạo mã.") from exc
        logger.info("quiz bank %s created by %s with %d items", saved.bank_id, principal.user_id, len(saved.items))
        return saved

    def get(
        self, bank_id: str, *, principal: Principal, documents: DocumentLookup, version: int | None = None
    ) -> QuizBank:
        """The latest version of a bank, or the one asked for; BankNotFound when missing or hidden from the caller."""
        with self.db.session() as session:
            row, current = _load(session, bank_id)
            wanted = current if version in (None, row.version) else session.get(QuizBankVersionRow, (bank_id, version))
        if not _visible(principal, row, current, documents):
            raise BankNotFound(bank_id)
        if wanted is None or not _visible(principal, row, wanted, documents):
            raise BankNotFound(bank_id, version)
        return _bank_of(row, wanted)

    def list(self, *, principal: Principal, documents: DocumentLookup) -> builtins.list[BankSummary]:
        """Summaries of the banks the caller may see, most recently saved first."""
        query = (
            select(QuizBankRow, QuizBankVersionRow)
            .join(QuizBankVersionRow, and_(QuizBankVersionRow.bank_id == QuizBankRow.id,
                                           QuizBankVersionRow.version == QuizBankRow.version))
            .order_by(QuizBankRow.updated.desc(), QuizBankRow.id)
        )  # fmt: skip
        with self.db.session() as session:
            rows = session.execute(query).all()
        return [_summary(row, current) for row, current in rows if _visible(principal, row, current, documents)]

    def versions(self, bank_id: str, *, principal: Principal, documents: DocumentLookup) -> builtins.list[BankVersion]:
        """Every saved version of a visible bank, oldest first."""
        with self.db.session() as session:
            row, current = _load(session, bank_id)
            saved = session.scalars(
                select(QuizBankVersionRow)
                .where(QuizBankVersionRow.bank_id == bank_id)
                .order_by(QuizBankVersionRow.version)
            ).all()
        if not _visible(principal, row, current, documents):
            raise BankNotFound(bank_id)
        return [BankVersion(v.version, v.created, v.editor, v.note) for v in saved]

    def update_items(
        self,
        bank_id: str,
        items: Sequence[QuizItem],
        *,
        principal: Principal,
        expected_version: int,
        audience: BankAudience | None = None,
        note: str = "",
    ) -> QuizBank:
        """Save ``items`` (and ``audience`` when given) as the next version; VersionConflict when
        ``expected_version`` is not the latest, PermissionDenied unless the owner, a trainer of the bank's unit or
        an admin."""
        return self._save(
            bank_id, principal, expected_version,
            lambda bank: (tuple(items), audience or bank.audience, note or "cập nhật danh sách câu hỏi"),
        )  # fmt: skip

    def review(
        self,
        bank_id: str,
        item_id: str,
        status: ReviewStatus,
        *,
        principal: Principal,
        expected_version: int,
        edited: QuizItem | None = None,
    ) -> QuizBank:
        """Accept, reject or edit (``edited`` replaces the item, with ``status``) one item, as the next version."""

        def change(bank: QuizBank) -> tuple[tuple[QuizItem, ...], BankAudience, str]:
            index = next((i for i, item in enumerate(bank.items) if item.item_id == item_id), None)
            if index is None:
                raise InvalidRequest(f"Bộ câu hỏi không có câu '{item_id[:MAX_ITEM_ID]}'. Tải lại bộ câu hỏi.")
            reviewed = replace(edited or bank.items[index], status=ReviewStatus(status))
            items = (*bank.items[:index], reviewed, *bank.items[index + 1 :])
            verb = "sửa" if edited is not None else _REVIEW_NOTE[ReviewStatus(status)]
            return items, bank.audience, f"{verb} câu {item_id}"

        return self._save(bank_id, principal, expected_version, change)

    def delete(self, bank_id: str, *, principal: Principal) -> None:
        """Delete a bank, its versions and its practice counts (the owner or an admin)."""
        with self.db.session() as session:
            row, current = _load(session, bank_id)
            if not _admits(principal, row, current):
                raise BankNotFound(bank_id)
            if not (principal.is_admin or principal.user_id == row.owner):
                raise PermissionDenied("Chỉ người tạo bộ câu hỏi hoặc quản trị viên mới xoá được bộ câu hỏi.")
            for table in (QuizItemResult, QuizBankVersionRow):
                session.execute(delete(table).where(table.bank_id == bank_id))
            session.execute(delete(QuizBankRow).where(QuizBankRow.id == bank_id))
        logger.info("quiz bank %s deleted by %s", bank_id, principal.user_id)

    def _save(
        self,
        bank_id: str,
        principal: Principal,
        expected_version: int,
        change: Callable[[QuizBank], tuple[tuple[QuizItem, ...], BankAudience, str]],
    ) -> QuizBank:
        with self.db.session() as session:
            row, current = _load(session, bank_id)
            if not _admits(principal, row, current):
                raise BankNotFound(bank_id)
            if not (principal.is_admin or principal.user_id == row.owner or _trains(principal, row.unit)):
                raise PermissionDenied(
                    "Chỉ người tạo bộ câu hỏi, giảng viên của cùng đơn vị hoặc quản trị viên mới sửa được bộ câu hỏi."
                )
            if expected_version != row.version:
                raise VersionConflict(f"Bộ câu hỏi '{bank_id}'", expected_version, row.version)
            items, audience, note = change(_bank_of(row, current))
            _check(row.title, items)
            now = utcnow()
            bumped: CursorResult[Any] = session.execute(  # type: ignore[assignment]
                update(QuizBankRow)
                .where(QuizBankRow.id == bank_id, QuizBankRow.version == expected_version)
                .values(version=expected_version + 1, updated=now)
                .execution_options(synchronize_session=False)
            )
            if bumped.rowcount != 1:
                raise VersionConflict(f"Bộ câu hỏi '{bank_id}'", expected_version, expected_version + 1)
            doc_ids = _doc_ids(items, ()) or tuple(current.doc_ids)
            saved = replace(
                _bank_of(row, current), items=items, audience=audience, doc_ids=doc_ids, version=expected_version + 1,
                updated_at=now,
            )  # fmt: skip
            session.add(_version_row(saved, editor=principal.user_id, note=note))
        logger.info("quiz bank %s saved as version %d by %s", bank_id, saved.version, principal.user_id)
        return saved

    def record_attempt(
        self, bank_id: str, version: int, answers: Mapping[str, bool], *, principal: Principal, unit: str | None = None
    ) -> None:
        """Count one practice of ``version``: each answered item right (True) or wrong (False), under the learner's
        unit (``unit``, one of theirs; default the bank's unit when theirs, else their first) and never their name."""
        if not answers:
            raise InvalidRequest("Chưa có câu trả lời nào để ghi nhận.")
        with self.db.session() as session:
            row, current = _load(session, bank_id)
            practised = session.get(QuizBankVersionRow, (bank_id, version))
            if not _admits(principal, row, current) or practised is None or not _admits(principal, row, practised):
                raise BankNotFound(bank_id, version)
            unknown = set(answers) - {str(item["item_id"]) for item in practised.items}
            if unknown:
                raise InvalidRequest(f"Phiên bản {version} không có các câu {', '.join(sorted(unknown)[:5])}.")
            _count(session, self.db.is_sqlite, bank_id, _learner_unit(principal, row.unit, unit), answers)

    def item_stats(self, bank_id: str, *, principal: Principal, unit: str | None = None) -> builtins.list[ItemStat]:
        """Per-item counts over ``unit``, or over every unit of the caller's scope (their units and those below;
        admins: all units): the items of the latest version in order, then older items that have counts."""
        with self.db.session() as session:
            row, current = _load(session, bank_id)
            if not _admits(principal, row, current):
                raise BankNotFound(bank_id)
            if not (principal.is_admin or principal.user_id == row.owner or TRAINER in principal.roles):
                raise PermissionDenied("Chỉ giảng viên hoặc quản trị viên mới xem được kết quả luyện tập.")
            scope = None if principal.is_admin else principal.units | principal.unit_scope
            if unit is not None and scope is not None and unit not in scope:
                raise PermissionDenied(f"Bạn không xem được kết quả của đơn vị '{unit}' (ngoài phạm vi của bạn).")
            units = {unit} if unit is not None else scope
            query = (
                select(QuizItemResult.item_id, func.sum(QuizItemResult.attempts), func.sum(QuizItemResult.wrong))
                .where(QuizItemResult.bank_id == bank_id)
                .group_by(QuizItemResult.item_id)
            )
            if units is not None:
                query = query.where(QuizItemResult.unit.in_(sorted(units)))
            counts = {item_id: (int(attempts), int(wrong)) for item_id, attempts, wrong in session.execute(query)}
        order = [str(item["item_id"]) for item in current.items]
        order += sorted(set(counts) - set(order))
        return [ItemStat(item_id, *counts.get(item_id, (0, 0))) for item_id in order]


def _load(session: Session, bank_id: str) -> tuple[QuizBankRow, QuizBankVersionRow]:
    row = session.get(QuizBankRow, bank_id)
    current = None if row is None else session.get(QuizBankVersionRow, (bank_id, row.version))
    if row is None or current is None:
        raise BankNotFound(bank_id)
    return row, current


def _admits(principal: Principal, row: QuizBankRow, saved: QuizBankVersionRow) -> bool:
    """The bank's audience admits the caller, by the documents' rule; the owner always."""
    if principal.user_id == row.owner:
        return True
    audience = audience_from_dict(saved.audience)
    as_document = DocumentMeta(
        doc_id=f"quiz-bank:{row.id}", title=row.title, unit=audience.unit, visibility=audience.visibility,
        allowed_units=audience.allowed_units, allowed_roles=audience.allowed_roles,
    )  # fmt: skip
    return principal.may_see(as_document)


def _visible(principal: Principal, row: QuizBankRow, saved: QuizBankVersionRow, documents: DocumentLookup) -> bool:
    """Admitted, and every source document is one the caller may see now."""
    if not _admits(principal, row, saved):
        return False
    for doc_id in saved.doc_ids:
        meta = documents(doc_id)
        if meta is None or not principal.may_see(meta):
            return False
    return True


def _trains(principal: Principal, unit: str) -> bool:
    return TRAINER in principal.roles and bool(unit) and unit in principal.units


def _learner_unit(principal: Principal, bank_unit: str, unit: str | None) -> str:
    if unit is not None:
        if unit not in principal.units:
            raise InvalidRequest(f"Bạn không thuộc đơn vị '{unit}'; chọn một đơn vị của bạn.")
        return unit
    if bank_unit in principal.units:
        return bank_unit
    return min(principal.units, default="")


def _count(session: Session, is_sqlite: bool, bank_id: str, unit: str, answers: Mapping[str, bool]) -> None:
    """Add one attempt (and one wrong answer when wrong) to each answered item's counts of ``unit``, atomically."""
    values = [
        {"bank_id": bank_id, "item_id": item_id, "unit": unit, "attempts": 1, "wrong": 0 if right else 1}
        for item_id, right in answers.items()
    ]
    keys = [QuizItemResult.bank_id, QuizItemResult.item_id, QuizItemResult.unit]
    if is_sqlite:
        lite = sqlite_insert(QuizItemResult).values(values)
        session.execute(lite.on_conflict_do_update(index_elements=keys, set_=_added(lite.excluded)))
    else:
        pg = pg_insert(QuizItemResult).values(values)
        session.execute(pg.on_conflict_do_update(index_elements=keys, set_=_added(pg.excluded)))


def _added(excluded: Any) -> dict[str, Any]:
    return {
        "attempts": QuizItemResult.attempts + excluded.attempts,
        "wrong": QuizItemResult.wrong + excluded.wrong,
    }


def _check(title: str, items: Sequence[QuizItem]) -> None:
    if not title.strip() or len(title) > MAX_TITLE:
        raise InvalidRequest(f"Tên bộ câu hỏi phải có từ 1 đến {MAX_TITLE} ký tự.")
    if len(items) > MAX_ITEMS:
        raise InvalidRequest(f"Bộ câu hỏi có {len(items)} câu, nhiều hơn mức {MAX_ITEMS}; hãy chia thành nhiều bộ.")
    seen: set[str] = set()
    for item in items:
        if not item.item_id or len(item.item_id) > MAX_ITEM_ID or item.item_id in seen:
            raise InvalidRequest(f"Mã câu hỏi '{item.item_id[:MAX_ITEM_ID]}' trống, quá dài hoặc bị trùng trong bộ.")
        seen.add(item.item_id)


def _doc_ids(items: Iterable[QuizItem], declared: Iterable[str]) -> tuple[str, ...]:
    """The declared documents, then every other document an item or matching pair cites, without repeats."""
    cited = (s.doc_id for item in items for s in (*item.sources, *(pair.source for pair in item.pairs)))
    return tuple(dict.fromkeys((*declared, *cited)))


def _version_row(bank: QuizBank, *, editor: str, note: str) -> QuizBankVersionRow:
    return QuizBankVersionRow(
        bank_id=bank.bank_id, version=bank.version, created=bank.updated_at, editor=editor, note=note[:500],
        items=[item_to_dict(item) for item in bank.items], doc_ids=list(bank.doc_ids),
        audience=audience_to_dict(bank.audience),
    )  # fmt: skip


def _bank_of(row: QuizBankRow, saved: QuizBankVersionRow) -> QuizBank:
    return QuizBank(
        bank_id=row.id, title=row.title, topic=row.topic, owner=row.owner, unit=row.unit,
        items=tuple(item_from_dict(item) for item in saved.items), doc_ids=tuple(saved.doc_ids),
        audience=audience_from_dict(saved.audience), version=saved.version, created_at=row.created,
        updated_at=saved.created,
    )  # fmt: skip


def _summary(row: QuizBankRow, current: QuizBankVersionRow) -> BankSummary:
    counts = Counter(str(item.get("status", ReviewStatus.PENDING.value)) for item in current.items)
    return BankSummary(
        bank_id=row.id, title=row.title, topic=row.topic, owner=row.owner, unit=row.unit, version=row.version,
        items=len(current.items), pending=counts[ReviewStatus.PENDING.value],
        accepted=counts[ReviewStatus.ACCEPTED.value], rejected=counts[ReviewStatus.REJECTED.value],
        updated_at=row.updated,
    )  # fmt: skip
