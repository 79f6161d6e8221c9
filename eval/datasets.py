"""Evaluation datasets: the project's own question sets, BEIR-style JSONL and the ALQAC layout, loaded alike.

Three layouts are recognised by the files a folder holds:

- project: ``shelf/`` (documents with ``.meta.yaml`` sidecars, ingested like any upload) and
  ``questions/*.jsonl`` (``id``, ``question``, ``gold_doc_ids`` and optional ``gold_chunk_ids``, ``answer``,
  ``language``, ``categories``, ``asker_unit``, ``split``, ``question_type``, ``choices``, ``history`` — the
  earlier questions of a conversation, oldest first, for a follow-up turn);
- beir: ``corpus.jsonl`` (``_id``, ``title``, ``text``), ``queries.jsonl`` (``_id``, ``text``) and
  ``qrels/<split>.tsv`` (``query-id``, ``corpus-id``, ``score``; a header line; only score > 0 is relevant);
- alqac: ``corpus.jsonl`` (``id``, ``title``, ``text``) and ``questions.jsonl`` (``id``, ``question``,
  ``relevant_ids``, ``answer``, ``question_type``, ``choices``). A relevant id ``MISSING:<id>`` names an
  article absent from the corpus; it stays in the gold set and so counts as a miss.
"""

from __future__ import annotations

import hashlib
import json
import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from assistant.errors import AssistantError
from eval import _files as fr

logger = logging.getLogger(__name__)

DatasetKind = Literal["project", "beir", "alqac"]
LAYOUTS = (
    "project: shelf/ + questions/*.jsonl",
    "beir: corpus.jsonl + queries.jsonl + qrels/<split>.tsv",
    "alqac: corpus.jsonl + questions.jsonl",
)


class DatasetError(AssistantError):
    """A dataset is missing or malformed; the message names the file, line and field and what to do."""


@dataclass(frozen=True)
class EvalQuestion:
    """One question with its gold documents/chunks (both empty: the assistant should abstain)."""

    qid: str
    question: str
    gold_doc_ids: tuple[str, ...]
    gold_chunk_ids: tuple[str, ...]
    answer: str = ""
    categories: tuple[str, ...] = ()
    language: str = "vi"
    asker_unit: str = ""
    question_type: str = ""
    choices: dict[str, str] = field(default_factory=dict, hash=False)
    split: str = ""
    history: tuple[str, ...] = ()  # earlier questions of the conversation, oldest first
    excluded_doc_ids: tuple[str, ...] = ()  # answered as if these documents were not on the shelf

    @property
    def answerable(self) -> bool:
        """True when the question has gold evidence; unanswerable questions test abstention."""
        return bool(self.gold_doc_ids or self.gold_chunk_ids)

    @property
    def asked(self) -> str:
        """The question as its asker puts it to the assistant: a multiple-choice question with its options
        ("… bao nhiêu ngày?\\nA. 45 ngày …\\nB. 30 ngày …"), whose words the stem often leaves out."""
        if not self.choices:
            return self.question
        return "\n".join([self.question, *(f"{key}. {text}" for key, text in sorted(self.choices.items()))])


@dataclass(frozen=True)
class CorpusRecord:
    """One document of a JSONL corpus (BEIR or ALQAC); extra fields go to ``metadata``."""

    doc_id: str
    title: str
    text: str
    metadata: dict[str, Any] = field(default_factory=dict, hash=False)


@dataclass(frozen=True)
class Dataset:
    """Questions plus the corpus to index: ``records`` (JSONL corpora) or ``files_dir`` (the project shelf)."""

    name: str
    root: Path
    kind: DatasetKind
    questions: tuple[EvalQuestion, ...]
    records: tuple[CorpusRecord, ...] | None = None
    files_dir: Path | None = None


def load_dataset(path: Path, *, split: str | None = None, limit: int | None = None) -> Dataset:
    """Load the dataset in folder ``path`` (layout detected); keep the first ``limit`` questions in file order.

    ``split`` chooses the qrels file of a BEIR dataset and filters project/ALQAC questions on their ``split``
    field. Raises :class:`DatasetError` for a missing folder, an unknown layout or a malformed file.
    """
    if limit is not None and limit <= 0:
        raise DatasetError(f"--limit must be a positive number of questions, got {limit}")
    path = Path(path)
    if not path.is_dir():
        raise DatasetError(f"{path}: not a folder; give the folder that holds the dataset ({'; '.join(LAYOUTS)})")
    kind = detect_layout(path)
    if kind == "project":
        dataset = _load_project(path, split)
    elif kind == "beir":
        dataset = _load_beir(path, split)
    else:
        dataset = _load_alqac(path, split)
    if limit is not None:
        dataset = Dataset(
            dataset.name,
            dataset.root,
            dataset.kind,
            dataset.questions[:limit],
            dataset.records,
            dataset.files_dir,
        )
    logger.info("Loaded %s dataset %s: %d questions", kind, path, len(dataset.questions))
    return dataset


def detect_layout(path: Path) -> DatasetKind:
    """The layout of folder ``path``, or :class:`DatasetError` listing the three known layouts."""
    if (path / "shelf").is_dir() and (path / "questions").is_dir():
        return "project"
    if (path / "corpus.jsonl").is_file() and (path / "queries.jsonl").is_file() and (path / "qrels").is_dir():
        return "beir"
    if (path / "corpus.jsonl").is_file() and (path / "questions.jsonl").is_file():
        return "alqac"
    raise DatasetError(
        f"{path}: unknown dataset layout. Expected one of — {'; '.join(LAYOUTS)}. "
        "Put the files in one of these layouts and run again."
    )


def content_hash(dataset: Dataset) -> str:
    """sha256 of the corpus content (records, or the shelf files' paths and bytes in sorted order).

    Questions are not part of the hash: it identifies what is indexed, so a throw-away index can be reused.
    """
    digest = hashlib.sha256(dataset.kind.encode())
    if dataset.records is not None:
        for record in sorted(dataset.records, key=lambda r: r.doc_id):
            for part in (
                record.doc_id,
                record.title,
                record.text,
                json.dumps(record.metadata, sort_keys=True, ensure_ascii=False, default=str),
            ):
                digest.update(part.encode("utf-8"))
                digest.update(b"\x00")
    if dataset.files_dir is not None:
        files = sorted(p for p in dataset.files_dir.rglob("*") if p.is_file())
        for file in files:
            digest.update(file.relative_to(dataset.files_dir).as_posix().encode("utf-8"))
            digest.update(b"\x00")
            with file.open("rb") as handle:
                for block in iter(lambda: handle.read(1 << 20), b""):
                    digest.update(block)
            digest.update(b"\x00")
    return digest.hexdigest()


# --- layouts ----------------------------------------------------------------------------------------------


def read_question_file(file: Path, seen: dict[str, str] | None = None) -> list[EvalQuestion]:
    """The questions of one project-format JSONL file; an error names the file, line and field. ``seen`` (id →
    where) carries ids across files, so that an id given twice is refused."""
    seen = {} if seen is None else seen
    questions: list[EvalQuestion] = []
    for line_no, obj in fr.read_jsonl(file, DatasetError):
        where = fr.Where(file, line_no, DatasetError)
        _claim_id(seen, where.string(obj, "id", allow_int=True), where)
        questions.append(
            EvalQuestion(
                qid=where.string(obj, "id", allow_int=True),
                question=where.string(obj, "question", non_empty=True),
                gold_doc_ids=where.string_list(obj, "gold_doc_ids"),
                gold_chunk_ids=where.string_list(obj, "gold_chunk_ids", required=False),
                answer=where.string(obj, "answer", required=False),
                categories=where.string_list(obj, "categories", required=False),
                language=where.string(obj, "language", required=False) or "vi",
                asker_unit=where.string(obj, "asker_unit", required=False),
                question_type=where.string(obj, "question_type", required=False),
                choices=where.string_dict(obj, "choices"),
                split=where.string(obj, "split", required=False),
                history=where.string_list(obj, "history", required=False),
            )
        )
    return questions


def select_split(questions: list[EvalQuestion], split: str | None, where: Path) -> tuple[EvalQuestion, ...]:
    """The questions of ``split`` (all when None); DatasetError naming the splits there are when none match."""
    if split is None:
        return tuple(questions)
    kept = tuple(q for q in questions if q.split == split)
    if not kept:
        splits = ", ".join(sorted({q.split for q in questions if q.split})) or "none (no 'split' field)"
        raise DatasetError(f"{where}: no question has split '{split}'; available splits: {splits}")
    return kept


def _load_project(root: Path, split: str | None) -> Dataset:
    files = sorted((root / "questions").glob("*.jsonl"))
    if not files:
        raise DatasetError(f"{root / 'questions'}: no *.jsonl question files; add at least one")
    seen: dict[str, str] = {}
    questions = [q for file in files for q in read_question_file(file, seen)]
    return Dataset(
        root.name,
        root,
        "project",
        select_split(questions, split, root / "questions"),
        records=None,
        files_dir=root / "shelf",
    )


def _load_beir(root: Path, split: str | None) -> Dataset:
    records = _load_records(root / "corpus.jsonl", id_field="_id")
    queries: dict[str, str] = {}
    languages: dict[str, str] = {}
    queries_file = root / "queries.jsonl"
    for line_no, obj in fr.read_jsonl(queries_file, DatasetError):
        where = fr.Where(queries_file, line_no, DatasetError)
        qid = where.string(obj, "_id", allow_int=True)
        if qid in queries:
            where.fail("_id", f"duplicate query id '{qid}'; every query needs its own id")
        queries[qid] = where.string(obj, "text", non_empty=True)
        languages[qid] = where.string(obj, "language", required=False) or "vi"
    qrels_file = _choose_qrels(root / "qrels", split)
    gold: dict[str, list[str]] = {}
    for line_no, (qid, doc_id, score) in fr.read_qrels(qrels_file, DatasetError):
        if qid not in queries:
            raise DatasetError(
                f"{qrels_file} line {line_no}: field 'query-id' = '{qid}' is not in "
                f"{queries_file}; add the query or remove the line"
            )
        relevant = gold.setdefault(qid, [])
        if score > 0 and doc_id not in relevant:
            relevant.append(doc_id)
    questions = [
        EvalQuestion(qid, text, tuple(gold[qid]), (), language=languages[qid], split=qrels_file.stem)
        for qid, text in queries.items()
        if gold.get(qid)
    ]
    if not questions:
        raise DatasetError(f"{qrels_file}: no query has a relevant document (score > 0); check the qrels file")
    _warn_unknown_gold(questions, records, qrels_file)
    return Dataset(root.name, root, "beir", tuple(questions), records=records, files_dir=None)


def _load_alqac(root: Path, split: str | None) -> Dataset:
    records = _load_records(root / "corpus.jsonl", id_field="id")
    file = root / "questions.jsonl"
    questions: list[EvalQuestion] = []
    seen: dict[str, str] = {}
    for line_no, obj in fr.read_jsonl(file, DatasetError):
        where = fr.Where(file, line_no, DatasetError)
        _claim_id(seen, where.string(obj, "id", allow_int=True), where)
        question_type = where.string(obj, "question_type", required=False)
        questions.append(
            EvalQuestion(
                qid=where.string(obj, "id", allow_int=True),
                question=where.string(obj, "question", non_empty=True),
                gold_doc_ids=where.string_list(obj, "relevant_ids"),
                gold_chunk_ids=(),
                answer=where.string(obj, "answer", required=False, allow_int=True),
                # The question type doubles as the category, so reports break results down by it.
                categories=(question_type,) if question_type else (),
                question_type=question_type,
                choices=where.string_dict(obj, "choices"),
                split=where.string(obj, "split", required=False),
            )
        )
    _warn_unknown_gold(questions, records, file)
    return Dataset(root.name, root, "alqac", select_split(questions, split, file), records=records, files_dir=None)


# --- helpers ----------------------------------------------------------------------------------------------


def _load_records(file: Path, *, id_field: str) -> tuple[CorpusRecord, ...]:
    records: list[CorpusRecord] = []
    seen: set[str] = set()
    for line_no, obj in fr.read_jsonl(file, DatasetError):
        where = fr.Where(file, line_no, DatasetError)
        doc_id = where.string(obj, id_field, non_empty=True, allow_int=True)
        if doc_id in seen:
            where.fail(id_field, f"duplicate document id '{doc_id}'; every document needs its own id")
        seen.add(doc_id)
        metadata = {k: v for k, v in obj.items() if k not in (id_field, "title", "text")}
        nested = metadata.pop("metadata", None)
        if isinstance(nested, dict):
            metadata.update(nested)
        records.append(
            CorpusRecord(doc_id, where.string(obj, "title", required=False), where.string(obj, "text"), metadata)
        )
    if not records:
        raise DatasetError(f"{file}: the corpus is empty; add one JSON object per document")
    return tuple(records)


def _choose_qrels(qrels_dir: Path, split: str | None) -> Path:
    available = sorted(qrels_dir.glob("*.tsv"))
    names = ", ".join(p.stem for p in available) or "none"
    if split is not None:
        chosen = qrels_dir / f"{split}.tsv"
        if not chosen.is_file():
            raise DatasetError(f"{chosen}: no qrels for split '{split}'; available splits: {names}")
        return chosen
    for preferred in ("test", "dev"):
        if (qrels_dir / f"{preferred}.tsv").is_file():
            return qrels_dir / f"{preferred}.tsv"
    if len(available) == 1:
        return available[0]
    raise DatasetError(f"{qrels_dir}: cannot choose a qrels file (available splits: {names}); pass --split")


def _claim_id(seen: dict[str, str], qid: str, where: fr.Where) -> None:
    """Record that ``qid`` is defined at ``where``; a second definition is an error naming both places."""
    if qid in seen:
        where.fail("id", f"= '{qid}' is already used at {seen[qid]}; give every question its own id")
    seen[qid] = f"{where.file} line {where.line}"


def _warn_unknown_gold(questions: list[EvalQuestion], records: tuple[CorpusRecord, ...], where: Path) -> None:
    known = {r.doc_id for r in records}
    unknown = {g for q in questions for g in q.gold_doc_ids if g not in known and not g.startswith("MISSING:")}
    if unknown:
        logger.warning(
            "%s: %d gold ids are not in the corpus (they count as misses), e.g. %s",
            where,
            len(unknown),
            sorted(unknown)[:3],
        )
