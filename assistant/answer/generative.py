"""Optional generation through a LangChain chat model, held to the same citation contract.

An answer whose [n] markers do not all point at retrieved passages is rejected and the extractive answer is
returned instead.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

from assistant.answer.citations import CitationError, Located, build_citation, check_markers, renumber
from assistant.answer.extractive import ExtractiveComposer
from assistant.answer.prompts import PromptLibrary
from assistant.errors import ConfigurationError
from assistant.settings import Settings
from assistant.types import Answer, AskedPart, Evidence, NormalizedQuery, Passage

logger = logging.getLogger(__name__)


class LangChainGenerator:
    """Renders ``prompts/generate.*.yaml`` and calls any LangChain ``BaseChatModel``."""

    def __init__(self, chat_model: Any, prompts: PromptLibrary, *, name: str = "langchain") -> None:
        self.chat_model = chat_model
        self.prompts = prompts
        self.name = name

    def generate(self, query: NormalizedQuery, passages: Sequence[Passage]) -> str:
        from langchain_core.messages import HumanMessage, SystemMessage

        lang = query.language
        rendered = "\n\n".join(
            self.prompts.render(
                "generate",
                lang,
                "passage",
                n=i,
                title=p.document.title,
                path=p.chunk.path_label,
                page=p.chunk.page_start or "-",
                text=p.chunk.text,
            )
            for i, p in enumerate(passages, start=1)
        )
        language_name = "tiếng Anh (English)" if lang == "en" else "tiếng Việt"
        messages = [
            SystemMessage(self.prompts.render("generate", lang, "system", language_name=language_name)),
            HumanMessage(self.prompts.render("generate", lang, "user", passages=rendered, question=query.original)),
        ]
        reply = self.chat_model.invoke(messages)
        return str(getattr(reply, "content", reply))


class GenerativeComposer:
    """Generator first; the extractive composer decides abstention and is the fallback."""

    name = "generative"

    def __init__(self, generator: LangChainGenerator, fallback: ExtractiveComposer, *, max_passages: int = 4) -> None:
        self.generator = generator
        self.fallback = fallback
        self.max_passages = max_passages

    def compose(
        self, query: NormalizedQuery, passages: Sequence[Passage], evidence: Evidence, parts: Sequence[AskedPart] = ()
    ) -> Answer:
        """The generated answer over the top passages and the best passage found for each other part the question
        asks; the extractive one when the model's citations do not check out."""
        if not passages or not evidence.answerable:
            return self.fallback.abstain(query, passages, evidence)
        top = list(passages[: self.max_passages])
        for part in parts:
            if part.passages and part.passages[0].chunk.chunk_id not in {p.chunk.chunk_id for p in top}:
                top.append(part.passages[0])
        try:
            text = self.generator.generate(query, top).strip()
            abstain_token = self.generator.prompts.render("generate", query.language, "abstain_token")
            if text.startswith(abstain_token):
                return self.fallback.abstain(query, passages, evidence)
            markers = check_markers(text, len(top))
        except CitationError as exc:
            logger.warning("generated answer rejected (%s); using the extractive answer", exc)
            return self.fallback.compose(query, passages, evidence, parts)
        mapping = {old: new for new, old in enumerate(markers, start=1)}
        citations = tuple(
            build_citation(mapping[old], top[old - 1], top[old - 1].chunk.text[:500], Located()) for old in markers
        )
        return Answer(
            renumber(text, mapping),
            citations,
            tuple(passages),
            False,
            query.language,
            evidence.score,
            self.generator.name,
        )


def openai_chat_model(settings: Settings) -> Any:
    """A chat model for any OpenAI-compatible server (vLLM, Ollama, llama.cpp server)."""
    try:
        from langchain_openai import ChatOpenAI
    except ImportError as exc:
        raise ConfigurationError(
            "generator=openai cần gói langchain-openai: `.venv/bin/pip install langchain-openai`"
        ) from exc
    return ChatOpenAI(
        base_url=settings.generator_base_url,
        model=settings.generator_model,
        api_key=settings.generator_api_key.get_secret_value() or "not-needed",
        temperature=0,
    )
