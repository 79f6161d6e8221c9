"""LangChain retrievers over the shelf: Documents with citation metadata, in process and over HTTP (the ASGI app
through a TestClient), composed into a LangChain chain; visibility follows the caller as on the API."""

from __future__ import annotations

from typing import Any

from auth_support import bearer
from fastapi.testclient import TestClient
from langchain_core.documents import Document
from langchain_core.prompts import ChatPromptTemplate
from langchain_core.runnables import RunnableLambda, RunnableParallel, RunnablePassthrough

from assistant.integrations.langchain_retriever import HttpShelfRetriever, ShelfRetriever
from assistant.service import AssistantService
from assistant.types import ANONYMOUS

URGENT = "Văn bản khẩn phải được xử lý trong bao lâu?"
SECRET = "Đội ứng cứu sự cố mang mật danh gì và trực ở đâu?"
PROMPT = ChatPromptTemplate.from_messages(
    [("system", "Chỉ trả lời từ các đoạn sau, trích dẫn [n]:\n{context}"), ("human", "{question}")]
)


def cited(docs: list[Document]) -> str:
    return "\n".join(
        f"[{n}] {d.metadata['path']} {d.metadata['number']}: {d.page_content}" for n, d in enumerate(docs, start=1)
    )


def test_in_process_documents_carry_the_citation(service: AssistantService) -> None:
    docs = ShelfRetriever(service=service, top_k=3).invoke(URGENT)
    assert 1 <= len(docs) <= 3 and docs[0].metadata["doc_id"] == "qd-30-2025"
    meta = docs[0].metadata
    assert meta["number"] == "30/2025/QĐ-UBND" and meta["path"].startswith(("Điều", "khoản", "điểm"))
    assert {"page", "status", "current", "title", "chunk_id", "score"} <= set(meta)
    assert [d.metadata["rank"] for d in docs] == sorted(d.metadata["rank"] for d in docs)


def test_a_chain_puts_the_cited_passages_in_its_prompt(service: AssistantService) -> None:
    seen: list[Any] = []
    retriever = ShelfRetriever(service=service, principal=ANONYMOUS, top_k=3)
    chain = (
        RunnableParallel(context=retriever | RunnableLambda(cited), question=RunnablePassthrough())
        | PROMPT
        | RunnableLambda(lambda prompt: seen.append(prompt) or prompt.to_messages()[0].content)
    )
    system = chain.invoke(URGENT)
    assert "[1] " in system and "30/2025/QĐ-UBND" in system
    assert seen[0].to_messages()[1].content == URGENT


def test_over_http_the_token_decides_what_comes_back(app_client) -> None:  # type: ignore[no-untyped-def]
    client: TestClient = app_client()
    member = bearer(client, "nv-stttt", units=["STTTT"])["Authorization"].removeprefix("Bearer ")
    as_member = HttpShelfRetriever(base_url="http://testserver", client=client, token=member, top_k=5)
    anonymous = HttpShelfRetriever(base_url="http://testserver", client=client, top_k=5)
    seen = as_member.invoke(SECRET)
    hidden = anonymous.invoke(SECRET)
    assert "kh-77-stttt" in {d.metadata["doc_id"] for d in seen}
    assert "kh-77-stttt" not in {d.metadata["doc_id"] for d in hidden}
    assert all("SAO-BANG-09" not in d.page_content for d in hidden)
    plain = client.post("/v1/search", json={"question": URGENT, "top_k": 5}).json()
    over_http = anonymous.invoke(URGENT)
    assert [d.metadata["chunk_id"] for d in over_http] == [p["chunk_id"] for p in plain["passages"]]
    assert over_http[0].metadata["number"] == "30/2025/QĐ-UBND"
