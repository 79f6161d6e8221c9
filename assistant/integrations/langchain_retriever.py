"""LangChain retrievers over the assistant's hybrid retrieval: :class:`ShelfRetriever` in process (an
:class:`~assistant.service.AssistantService` and a caller), :class:`HttpShelfRetriever` over ``POST /v1/search``
(a token decides what the caller may see, exactly as for the API). Both return LangChain ``Document``s whose
``page_content`` is the passage and whose metadata carries the legal citation: số hiệu, path (điểm/khoản/Điều),
page, validity, title and score, so a chain can cite "khoản 2 Điều 5 30/2025/QĐ-UBND, trang 3".
"""

from __future__ import annotations

from typing import Any

import httpx
from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document
from langchain_core.retrievers import BaseRetriever
from pydantic import ConfigDict, Field

from assistant.errors import InvalidRequest
from assistant.types import ANONYMOUS, Passage, Principal, SearchFilters

__all__ = ["HttpShelfRetriever", "ShelfRetriever", "passage_document"]


def passage_document(passage: Passage) -> Document:
    """A passage as a LangChain Document with its citation metadata."""
    doc, chunk = passage.document, passage.chunk
    return Document(
        page_content=chunk.text,
        metadata={
            "doc_id": doc.doc_id, "chunk_id": chunk.chunk_id, "number": doc.number, "title": doc.title,
            "doc_type": doc.doc_type, "path": chunk.path_label, "page": chunk.page_start, "status": doc.status.value,
            "current": passage.current, "score": round(passage.score, 4), "rank": passage.rank,
        },
    )  # fmt: skip


class ShelfRetriever(BaseRetriever):
    """Hybrid retrieval (BM25 + dense, learned ranking) of the documents ``principal`` may see, in process."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    service: Any = Field(description="a loaded assistant.service.AssistantService")
    principal: Principal = ANONYMOUS
    top_k: int = 5
    in_force_only: bool = False

    def _get_relevant_documents(self, query: str, *, run_manager: CallbackManagerForRetrieverRun) -> list[Document]:
        filters = SearchFilters(in_force_only=self.in_force_only)
        result = self.service.search(query, principal=self.principal, filters=filters, top_k=self.top_k)
        return [passage_document(p) for p in result.passages]


class HttpShelfRetriever(BaseRetriever):
    """The same over HTTP: ``POST {base_url}/v1/search`` with the caller's token (none: anonymous, public documents
    only where the server allows it). ``client`` may be any ``httpx.Client`` (a test client, a proxy setup)."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    base_url: str = "http://127.0.0.1:8000"
    token: str | None = None
    top_k: int = 5
    in_force_only: bool = False
    timeout_s: float = 30.0
    client: Any = None

    def _get_relevant_documents(self, query: str, *, run_manager: CallbackManagerForRetrieverRun) -> list[Document]:
        headers = {"Authorization": f"Bearer {self.token}"} if self.token else {}
        body = {"question": query, "top_k": self.top_k, "filters": {"in_force_only": self.in_force_only}}
        url = f"{self.base_url.rstrip('/')}/v1/search"
        if self.client is not None:  # its own timeouts apply
            response = self.client.post(url, json=body, headers=headers)
        else:
            response = httpx.post(url, json=body, headers=headers, timeout=self.timeout_s)
        if response.status_code != 200:
            message = response.json().get("error", {}).get("message", response.text[:200])
            raise InvalidRequest(f"{url} trả về {response.status_code}: {message}")
        return [
            Document(
                page_content=p["text"],
                metadata={
                    "doc_id": p["doc_id"],
                    "chunk_id": p["chunk_id"],
                    "number": p["number"],
                    "title": p["title"],
                    "path": p["path"],
                    "page": p["page_start"],
                    "status": p["status"],
                    "current": p["current"],
                    "score": p["score"],
                    "rank": p["rank"],
                },
            )  # fmt: skip
            for p in response.json()["passages"]
        ]
