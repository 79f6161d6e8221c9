"""The assistant's use cases, shared by the HTTP API, the CLI and the eval runner."""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from pathlib import Path

from assistant.answer.extractive import ExtractiveComposer
from assistant.answer.generative import GenerativeComposer, LangChainGenerator, openai_chat_model
from assistant.answer.prompts import PromptLibrary
from assistant.embedding.factory import create_embedder
from assistant.errors import DocumentNotFound, InvalidRequest
from assistant.index.holder import SnapshotHolder
from assistant.index.versions import VersionStore
from assistant.retrieval.fusion import FusionConfig
from assistant.retrieval.hybrid import HybridRetriever, RetrievalMode, RetrievalResult
from assistant.settings import Settings
from assistant.text.query import QueryNormalizer
from assistant.types import Answer, AnswerComposer, Chunk, DocumentMeta, Embedder, Principal, SearchFilters

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class AskResult:
    answer: Answer
    index_version: str
    timings_ms: dict[str, float] = field(default_factory=dict)


class AssistantService:
    """Cheap to construct; ``load()`` loads the embedder, the query normaliser and the published index."""

    def __init__(self, settings: Settings, *, embedder: Embedder | None = None) -> None:
        self.settings = settings
        self.embedder = embedder or create_embedder(settings)
        self.store = VersionStore(settings.index_dir, keep=settings.keep_versions)
        self.holder = SnapshotHolder(
            self.store, expected_embedder=self.embedder.name, ef_search=settings.hnsw_ef_search
        )
        self.normalizer = QueryNormalizer(
            restore_diacritics=settings.restore_diacritics, expand_abbreviations=settings.expand_abbreviations
        )
        self.prompts = PromptLibrary(settings.prompts_dir)
        self.retriever = self.retriever_for(settings.retrieval_mode)
        self.composer = self._composer()

    def load(self) -> None:
        self.embedder.load()
        self.normalizer.load()
        if not self.holder.refresh() and not self.holder.loaded:
            logger.warning("no index published yet in %s; run `assistant ingest`", self.settings.index_dir)

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

    def retriever_for(
        self, mode: RetrievalMode, normalizer: QueryNormalizer | None = None, *, fusion: str | None = None
    ) -> HybridRetriever:
        """A retriever over the served index with another mode or normaliser (used by eval configurations)."""
        s = self.settings
        return HybridRetriever(
            self.holder,
            self.embedder,
            normalizer or self.normalizer,
            mode=mode,
            top_k=s.top_k,
            candidate_k=s.candidate_k,
            fusion=self.fusion_config(fusion),
            non_current_penalty=s.non_current_penalty,
            pinned_per_document=s.pinned_per_document,
        )

    def _composer(self) -> AnswerComposer:
        s = self.settings
        extractive = ExtractiveComposer(
            self.prompts,
            abstain_threshold=s.abstain_threshold,
            abstain_threshold_english=s.abstain_threshold_english,
            max_sentences=s.answer_max_sentences,
            max_passages=s.answer_passages,
            embedder=self.embedder,
        )
        if s.generator == "openai":
            generator = LangChainGenerator(openai_chat_model(s), self.prompts, name=f"openai:{s.generator_model}")
            return GenerativeComposer(generator, extractive, max_passages=s.answer_passages)
        return extractive

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

    def search(
        self,
        question: str,
        *,
        principal: Principal,
        filters: SearchFilters | None = None,
        top_k: int | None = None,
        retriever: HybridRetriever | None = None,
    ) -> RetrievalResult:
        question = self._check_question(question)
        started = time.perf_counter()
        retriever = retriever or self.retriever
        query = retriever.normalizer.normalize(question)
        normalize_ms = (time.perf_counter() - started) * 1000
        result = retriever.search(query, principal=principal, filters=filters, top_k=top_k)
        result.timings_ms["normalize_ms"] = normalize_ms
        return result

    def ask(
        self,
        question: str,
        *,
        principal: Principal,
        filters: SearchFilters | None = None,
        top_k: int | None = None,
    ) -> AskResult:
        started = time.perf_counter()
        result = self.search(question, principal=principal, filters=filters, top_k=top_k)
        t = time.perf_counter()
        answer = self.composer.compose(result.query, result.passages)
        timings = dict(result.timings_ms)
        timings["compose_ms"] = (time.perf_counter() - t) * 1000
        timings["total_ms"] = (time.perf_counter() - started) * 1000
        return AskResult(answer=answer, index_version=result.index_version, timings_ms=timings)

    def documents(self, *, principal: Principal, filters: SearchFilters | None = None) -> list[DocumentMeta]:
        return self.holder.get().visible_documents(principal, filters)

    def document(self, doc_id: str, *, principal: Principal) -> tuple[DocumentMeta, list[Chunk]]:
        """A visible document and its chunks; a hidden one is reported exactly like a missing one."""
        snapshot = self.holder.get()
        doc = snapshot.documents.get(doc_id)
        if doc is None or not principal.may_see(doc):
            raise DocumentNotFound(doc_id)
        return snapshot.view(doc, principal), [snapshot.chunks[row] for row in snapshot.doc_rows.get(doc_id, [])]

    def source_file(self, doc_id: str, *, principal: Principal) -> tuple[DocumentMeta, Path]:
        doc, _ = self.document(doc_id, principal=principal)
        path = (self.settings.sources_dir / doc.source_path).resolve()
        if not doc.source_path or not path.is_file() or self.settings.sources_dir.resolve() not in path.parents:
            raise DocumentNotFound(doc_id)
        return doc, path
