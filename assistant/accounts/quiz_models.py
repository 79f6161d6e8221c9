"""The quiz bank tables: banks, every saved version of their items, and anonymous per-item practice counts.

Imported by ``assistant.accounts.db`` so that ``Database.create()`` makes these tables with the others.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from assistant.accounts.models import Base, UTCDateTime, utcnow


class QuizBankRow(Base):
    """A bank; ``version`` is the latest saved version (the optimistic-concurrency counter)."""

    __tablename__ = "quiz_banks"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    title: Mapped[str] = mapped_column(String(300))
    topic: Mapped[str] = mapped_column(String(300), default="")
    owner: Mapped[str] = mapped_column(String(64), index=True)
    unit: Mapped[str] = mapped_column(String(64), default="", index=True)
    version: Mapped[int] = mapped_column(Integer, default=1)
    created: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)


class QuizBankVersionRow(Base):
    """One saved version of a bank's items, with the documents they cite and who may see them."""

    __tablename__ = "quiz_bank_versions"

    bank_id: Mapped[str] = mapped_column(ForeignKey("quiz_banks.id", ondelete="CASCADE"), primary_key=True)
    version: Mapped[int] = mapped_column(Integer, primary_key=True)
    created: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow)
    editor: Mapped[str] = mapped_column(String(64))
    note: Mapped[str] = mapped_column(String(500), default="")
    items: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    doc_ids: Mapped[list[str]] = mapped_column(JSON)
    audience: Mapped[dict[str, Any]] = mapped_column(JSON)


class QuizItemResult(Base):
    """How often the learners of one unit answered one item, and how often wrongly; no learner is recorded."""

    __tablename__ = "quiz_item_results"

    bank_id: Mapped[str] = mapped_column(ForeignKey("quiz_banks.id", ondelete="CASCADE"), primary_key=True)
    item_id: Mapped[str] = mapped_column(String(128), primary_key=True)
    unit: Mapped[str] = mapped_column(String(64), primary_key=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    wrong: Mapped[int] = mapped_column(Integer, default=0)
