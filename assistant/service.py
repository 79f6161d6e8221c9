"""The assistant's use cases: the one ask orchestration shared by the HTTP API, the stream, the CLI, the UI (through
the API) and the eval runner, and the few document queries the routes need."""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from assistant.answer.catalog import CatalogComposer
from assistant.answer.evidence import fallback_evidence
from assistant.answer.extractive import ExtractiveComposer, note_later_rules
from assistant.answer.generative import GenerativeComposer, LangChainGenerator, openai_chat_model
from assistant.answer.prompts import PromptLibrary
from assistant.answer.support import SupportModel
from assistant.embedding.factory import create_embedder
from assistant.errors import DocumentNotFound, InvalidRequest
from assistant.index.holder import SnapshotHolder
from assistant.index.versions import VersionStore
from assistant.ranking.answerability import AnswerabilityModel
from assistant.ranking.features import answerability_features
from assistant.ranking.ranker import LearnedRanker
from assistant.retrieval.fusion import FusionConfig
from assistant.retrieval.hybrid import HybridRetriever, RetrievalMode, RetrievalResult
from assistant.settings import Settings
from assistant.text.answer_type import FIGURE_KINDS, part_asking
from assistant.text.as_of import resolve_time_frame
from assistant.text.numbers import mentioned_numbers, number_key
from assistant.text.places import as_written, load_units, uncovered_places
from assistant.text.query import QueryNormalizer
from assistant.types import (
    Answer,
    AnswerComposer,
    AskedPart,
    Chunk,
    DocumentMeta,
    Embedder,
    Evidence,
    NormalizedQuery,
    Passage,
    Principal,
    SearchFilters,
    TimeFrame,
)

logger = logging.getLogger(__name__)

PART_DEPTH = 5  # passages searched for each other part a question asks


@dataclass(frozen=True)
class RetrievalConfig:
    """How a question is retrieved; the product default is ``RetrievalConfig()``, eval compares others."""

    mode: RetrievalMode = "hybrid"
    restore_diacritics: bool = True
    expand_abbreviations: bool = True
    translate_english: bool = True
    fusion: str | None = None  # None: settings.fusion
    ranker: bool = True  # use the learned ranker when one is loaded


@dataclass(frozen=True)
class AskResult:
    answer: Answer
    index_version: str
    query: NormalizedQuery
    evidence: Evidence
    retrieval: RetrievalResult
    timings_ms: dict[str, float] = field(default_factory=dict)


@dataclass(frozen=True)
class IndexInfo:
    version: str
    documents: int
    chunks: int


class AssistantService:
    """Cheap to construct; ``load()`` loads the embedder, the query normaliser, the learned models and the index."""

    def __init__(self, settings: Settings, *, embedder: Embedder | None = None) -> None:
        self.settings = settings
        self.embedder = embedder or create_embedder(settings)
        self.store = VersionStore(settings.index_dir, keep=settings.keep_versions)
        self.holder = SnapshotHolder(
            self.store, expected_embedder=self.embedder.name, ef_search=settings.hnsw_ef_search
        )
        self.prompts = PromptLibrary(settings.prompts_dir)
        self.ranker: LearnedRanker | None = (
            LearnedRanker(settings.ranker_path) if settings.ranker == "learned" else None
        )
        self.answerability: AnswerabilityModel | None = None
        self.extractive = ExtractiveComposer(
            self.prompts,
            weights=settings.composer,
            max_sentences=settings.answer_max_sentences,
            max_passages=settings.answer_passages,
            embedder=self.embedder,
        )
        self.composer = self._composer()
        self.catalog_composer = CatalogComposer(self.prompts)
        self._retrievers: dict[RetrievalConfig, HybridRetriever] = {}

    def load(self, *, learned: bool = True) -> None:
        """Load the embedder, the learned models (unless ``learned`` is false: training reads questions and
        retrieves candidates without the models it is rebuilding, which may no longer match the features) and the
        published index."""
        self.embedder.load()
        if learned:
            self._load_models()
        else:
            self.ranker = None
        self.retriever(RetrievalConfig())
        load_units()  # the communes and wards a question may name (the first question does not wait for them)
        if not self.holder.refresh() and not self.holder.loaded:
            logger.warning("no index published yet in %s; run `assistant ingest`", self.settings.index_dir)

    def _load_models(self) -> None:
        """The learned ranker and the answerability model, trained together for one embedder (its dense scores
        are features): absent files or another embedder fall back to the fused order and the heuristic score."""
        s = self.settings
        if s.answerability_path.is_file():
            self.answerability = AnswerabilityModel.load(s.answerability_path)
        else:
            logger.warning(
                "no answerability model at %s: abstaining on the heuristic evidence score", s.answerability_path
            )
        trained_with = self.answerability.info.get("embedder") if self.answerability is not None else None
        if trained_with and trained_with != self.embedder.name:
            logger.warning(
                "the learned models were trained with the embedder %s, this service uses %s: candidates keep the "
                "fused order and abstention uses the heuristic score (retrain with `assistant train ranker`)",
                trained_with,
                self.embedder.name,
            )
            self.answerability = None
            self.ranker = None
        if self.ranker is not None and not self.ranker.path.is_file():
            logger.warning(
                "no learned ranker at %s: candidates keep the fused BM25 + vector order "
                "(run `assistant train ranker` to rebuild it)",
                self.ranker.path,
            )
            self.ranker = None
        if self.ranker is not None:
            self.ranker.load()
        if self.ranker is not None and s.support_path.is_file():  # its features include the learned scores
            self.extractive.support = SupportModel.load(s.support_path)

    def fusion_config(self, method: str | None = None) -> FusionConfig:
        s = self.settings
        return FusionConfig(
            method="rrf" if (method or s.fusion) == "rrf" else "convex",
            lexical_share=s.fusion_lexical_share,
            lexical_share_english=s.fusion_lexical_share_english,
            rrf_k=s.rrf_k,
            rrf_lexical_weight=s.rrf_lexical_weight,
            rrf_dense_weight=s.rrf_dense_weight,
        )

    def retriever(self, config: RetrievalConfig) -> HybridRetriever:
        """The retriever for ``config`` over the served index (built once per configuration)."""
        if config not in self._retrievers:
            s = self.settings
            normalizer = QueryNormalizer(
                restore_diacritics=config.restore_diacritics and s.restore_diacritics,
                expand_abbreviations=config.expand_abbreviations and s.expand_abbreviations,
                translate_english=config.translate_english and s.translate_english,
            )
            normalizer.load()
            use_ranker = config.ranker and config.mode == "hybrid" and self.ranker is not None
            self._retrievers[config] = HybridRetriever(
                self.holder,
                self.embedder,
                normalizer,
                mode=config.mode,
                top_k=s.top_k,
                candidate_k=s.candidate_k,
                fusion=self.fusion_config(config.fusion),
                non_current_penalty=s.non_current_penalty,
                pinned_per_document=s.pinned_per_document,
                passages_per_document=s.passages_per_document,
                ranker=self.ranker if use_ranker else None,
            )
        return self._retrievers[config]

    def _composer(self) -> AnswerComposer:
        s = self.settings
        if s.generator == "openai":
            generator = LangChainGenerator(openai_chat_model(s), self.prompts, name=f"openai:{s.generator_model}")
            return GenerativeComposer(generator, self.extractive, max_passages=s.answer_passages)
        return self.extractive

    # -- use cases ----------------------------------------------------------------------------------
    def _check_question(self, question: str) -> str:
        question = question.strip()
        if not question:
            raise InvalidRequest("Trường 'question' đang trống: hãy nhập câu hỏi.")
        if len(question) > self.settings.max_question_chars:
            raise InvalidRequest(
                f"Trường 'question' dài {len(question)} ký tự, vượt giới hạn {self.settings.max_question_chars}: "
                "hãy rút gọn câu hỏi."
            )
        return question

    def refresh_index(self) -> bool:
        return self.holder.refresh()

    def read_question(self, question: str, history: Sequence[str], retriever: HybridRetriever) -> NormalizedQuery:
        """``question`` analysed by ``retriever``'s normaliser, read with the served shelf's wording (its accent
        table) when it was typed without accents."""
        accents = self.holder.get().accents if self.holder.loaded else None
        return retriever.normalizer.normalize(question, history, accents=accents)

    def search(
        self,
        question: str,
        *,
        principal: Principal,
        history: Sequence[str] = (),
        filters: SearchFilters | None = None,
        as_of: dt.date | None = None,
        top_k: int | None = None,
        config: RetrievalConfig | None = None,
    ) -> RetrievalResult:
        """Ranked passages for ``question`` (read with ``history`` when it is a follow-up), among the documents as
        they stood on ``as_of`` — else on the date the question sets ("Năm 2023, …"), else today."""
        question = self._check_question(question)
        filters = filters or SearchFilters()
        if as_of is not None:
            filters = dataclasses.replace(filters, as_of=as_of)
        retriever = self.retriever(config or RetrievalConfig())
        started = time.perf_counter()
        query = self.read_question(question, history, retriever)
        frame = query.time_frame
        if filters.as_of is None and frame is not None:
            documents = self.documents(principal=principal) if frame.document else []
            filters = dataclasses.replace(filters, as_of=resolve_time_frame(frame, documents, today=dt.date.today()))
        if filters.as_of is not None:
            query = dataclasses.replace(
                query, time_frame=TimeFrame(on=filters.as_of, phrase=frame.phrase if frame else "")
            )
        elif frame is not None:
            query = dataclasses.replace(query, time_frame=None)
        normalize_ms = (time.perf_counter() - started) * 1000
        result = retriever.search(query, principal=principal, filters=filters, top_k=top_k)
        result.timings_ms["normalize_ms"] = normalize_ms
        return result

    def ask(
        self,
        question: str,
        *,
        principal: Principal,
        history: Sequence[str] = (),
        filters: SearchFilters | None = None,
        as_of: dt.date | None = None,
        top_k: int | None = None,
        config: RetrievalConfig | None = None,
    ) -> AskResult:
        """The one ask path: analyse the question (with its conversation), retrieve and rank what the caller may
        see, judge whether it answers, and compose a cited answer or say there is no basis."""
        started = time.perf_counter()
        result = self.search(
            question, principal=principal, history=history, filters=filters, as_of=as_of, top_k=top_k, config=config
        )
        t = time.perf_counter()
        evidence = self.assess(result)
        timings = dict(result.timings_ms)
        timings["assess_ms"] = (time.perf_counter() - t) * 1000
        t = time.perf_counter()
        query = result.query
        answer = None
        if query.document_question and result.number_found:
            answer = self.catalog_composer.compose(query, result.passages, self._related_passage(principal))
        if answer is None:
            parts = self._other_parts(result, evidence, principal, history, filters, as_of, config)
            answer = self.composer.compose(query, result.passages, evidence, parts)
            answer = note_later_rules(answer, query, self._later_rules(result, answer, principal, config), self.prompts)
        timings["compose_ms"] = (time.perf_counter() - t) * 1000
        timings["total_ms"] = (time.perf_counter() - started) * 1000
        return AskResult(answer, result.index_version, query, evidence, result, timings)

    def _other_parts(
        self,
        result: RetrievalResult,
        evidence: Evidence,
        principal: Principal,
        history: Sequence[str],
        filters: SearchFilters | None,
        as_of: dt.date | None,
        config: RetrievalConfig | None,
    ) -> list[AskedPart]:
        """Each other figure an answerable question asks for ("… mất bao lâu và lệ phí bao nhiêu?"), searched
        alone (the question without its pieces asking for other kinds of fact), so each part has its own evidence."""
        query = result.query
        if not evidence.answerable or not query.also_asked:
            return []
        parts = []
        for kind in query.also_asked:
            if kind in FIGURE_KINDS and (question := part_asking(query.original, kind)):
                found = self.search(
                    question, principal=principal, history=history, filters=filters, as_of=as_of, top_k=PART_DEPTH,
                    config=config,
                )  # fmt: skip
                parts.append(AskedPart(kind, found.query, tuple(found.passages)))
        return parts

    def _later_rules(
        self, result: RetrievalResult, answer: Answer, principal: Principal, config: RetrievalConfig | None
    ) -> dict[str, list[Passage]]:
        """For each cited source that applied at the request's date but has been replaced since: the passages of
        the replacing documents (those the caller may see) that best answer the same question today."""
        by_chunk = {p.chunk.chunk_id: p for p in answer.passages}
        stale = [
            p.document
            for c in answer.citations
            if (p := by_chunk.get(c.chunk_id)) is not None and p.current and p.document.superseded_by
            and not p.document.is_current()
        ]  # fmt: skip
        if not stale:
            return {}
        lookup = self._visible_by_number(principal)
        retriever = self.retriever(config or RetrievalConfig())
        later: dict[str, list[Passage]] = {}
        for doc in stale:
            ids = tuple(d.doc_id for n in doc.superseded_by if (d := lookup(number_key(n))) is not None)
            if ids:
                found = retriever.search(result.query, principal=principal, filters=SearchFilters(doc_ids=ids), top_k=3)
                later[doc.doc_id] = found.passages
        return later

    def assess(self, result: RetrievalResult) -> Evidence:
        """Whether the ranked evidence answers the question: the answerability model's probability over features
        of the learned ranking, or (no model, or a configuration without the ranker) the heuristic score; none at
        all when the question names a place the best passage's text is not about (:mod:`assistant.text.places`)."""
        query, candidates = result.query, result.candidates
        if not candidates:
            return Evidence(0.0, 1.0, "none")
        if self.answerability is not None and len(result.features):
            row = answerability_features(
                query, candidates, result.features, result.ranker_scores, number_found=result.number_found
            )
            evidence = Evidence(self.answerability.probability(row), self.answerability.threshold(query.language))
        else:
            s = self.settings
            threshold = s.abstain_threshold_english if query.language == "en" else s.abstain_threshold
            evidence = Evidence(fallback_evidence(query, result.passages, s.composer), threshold, "heuristic")
        best = result.passages[0] if result.passages else candidates[0]
        passage = f"{' '.join(best.chunk.heading_path)} {best.chunk.text}"
        document = f"{best.document.title} {best.document.issuer}"
        gone = uncovered_places(f"{query.context} {query.original}", [(passage, document)])
        if gone:  # another province's or commune's text answers nothing about this one
            return Evidence(0.0, evidence.threshold, f"{evidence.model}+places", as_written(query.original, gone))
        return evidence

    def _related_passage(self, principal: Principal) -> Callable[[str, str], Passage | None]:
        """A lookup of a passage of the document a số hiệu key names, as ``principal`` sees it: the first that names
        the number given (the amending article "Sửa đổi … Quyết định số 415/QĐ-UBND"), else the document's first."""
        snapshot = self.holder.get()
        lookup = self._visible_by_number(principal)

        def find(key: str, mentioning: str) -> Passage | None:
            doc = lookup(key)
            rows = snapshot.chunks.rows_of(doc.doc_id) if doc is not None else range(0)
            chunks = sorted(snapshot.chunks.many(rows), key=lambda c: c.ordinal)
            if doc is None or not chunks:
                return None
            wanted = number_key(mentioning) if mentioning else ""
            chunk = next((c for c in chunks if wanted and wanted in mentioned_numbers(c.text)), chunks[0])
            return Passage(chunk, doc, 0.0, 0, current=doc.is_current())

        return find

    def _visible_by_number(self, principal: Principal) -> Callable[[str], DocumentMeta | None]:
        """A lookup of the document a số hiệu key names, as ``principal`` sees it (None: none they may see)."""
        snapshot = self.holder.get()

        def lookup(key: str) -> DocumentMeta | None:
            ids = [d for d in snapshot.docs_by_number.get(key, []) if principal.may_see(snapshot.documents[d])]
            return snapshot.view(snapshot.documents[ids[0]], principal) if ids else None

        return lookup

    # -- documents ----------------------------------------------------------------------------------
    def index_info(self) -> IndexInfo | None:
        """The served version and its size; None before an index is loaded."""
        if not self.holder.loaded:
            return None
        snapshot = self.holder.get()
        return IndexInfo(snapshot.version, len(snapshot.documents), len(snapshot.chunks))

    def stored_document(self, doc_id: str) -> DocumentMeta | None:
        """The stored metadata of ``doc_id`` regardless of visibility (admin use: a re-upload keeps it)."""
        return self.holder.get().documents.get(doc_id) if self.holder.loaded else None

    def document_of_chunk(self, chunk_id: str) -> str | None:
        snapshot = self.holder.get()
        row = snapshot.chunks.row_of_chunk_id(chunk_id)
        return snapshot.chunks.doc_id(row) if row is not None else None

    def index_version(self) -> str:
        """The served version; IndexNotReady before an index is loaded."""
        return self.holder.get().version

    def documents(self, *, principal: Principal, filters: SearchFilters | None = None) -> list[DocumentMeta]:
        return self.holder.get().visible_documents(principal, filters)

    def document(self, doc_id: str, *, principal: Principal) -> tuple[DocumentMeta, list[Chunk]]:
        """A visible document and its chunks; a hidden one is reported exactly like a missing one."""
        snapshot = self.holder.get()
        doc = snapshot.documents.get(doc_id)
        if doc is None or not principal.may_see(doc):
            raise DocumentNotFound(doc_id)
        return snapshot.view(doc, principal), snapshot.chunks.many(snapshot.chunks.rows_of(doc_id))

    def source_file(self, doc_id: str, *, principal: Principal) -> tuple[DocumentMeta, Path]:
        doc, _ = self.document(doc_id, principal=principal)
        path = (self.settings.sources_dir / doc.source_path).resolve()
        if not doc.source_path or not path.is_file() or self.settings.sources_dir.resolve() not in path.parents:
            raise DocumentNotFound(doc_id)
        return doc, path
