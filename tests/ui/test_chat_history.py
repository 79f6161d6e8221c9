"""The chat keeps each user's conversations across a reload, and asks "as of" a date typed by a person."""

from __future__ import annotations

import datetime as dt
from typing import Any

import gradio as gr
import pytest
from auth_support import PASSWORD, accounts_of
from fastapi.testclient import TestClient

from ui.chat import ChatTab, parse_as_of
from ui.client import ApiClient
from ui.labels import Labels
from ui.models import Meta, Session, Turn
from ui.sources import SourceLinks

URGENT = "Văn bản khẩn phải được xử lý trong bao lâu?"


def login(api: TestClient, username: str, units: tuple[str, ...]) -> Session:
    if accounts_of(api).users.get(username) is None:
        accounts_of(api).users.add(username, roles=("staff",), units=units, password=PASSWORD)
    return ApiClient(api).login(username, PASSWORD)


def chat_tab(api: TestClient) -> ChatTab:
    tab = ChatTab(ApiClient(api), SourceLinks(60))
    with gr.Blocks():
        tab.build(Labels("vi"), "vi")
    return tab


def ask(tab: ChatTab, question: str, session: Session | None, turns: list[Turn], conversation: str | None,
        as_of: str = "") -> dict[Any, Any]:  # fmt: skip
    """Run the streaming handler to its end; the last update."""
    updates = list(tab.ask(question, None, False, as_of, turns, conversation, session, "vi"))
    return updates[-1]


def shown(tab: ChatTab, values: tuple[Any, ...]) -> dict[Any, Any]:
    return dict(zip(tab.reset_targets(), values, strict=True))


def test_a_conversation_survives_a_reload_and_only_for_its_user(api: TestClient) -> None:
    tab = chat_tab(api)
    v = tab.view
    lan = login(api, "lan", units=("STTTT",))
    first = ask(tab, URGENT, lan, [], None)
    conversation = first[v.conversation]
    assert conversation and "2 giờ" in first[v.turns][0].answer
    second = ask(tab, "còn văn bản thường thì sao?", lan, first[v.turns], conversation)
    assert second[v.conversation] == conversation  # the same conversation, saved again

    reloaded = chat_tab(api)  # a reload: new page state; the user signs in again
    again = login(api, "lan", units=("STTTT",))
    restored = shown(reloaded, reloaded.restore("vi", again))
    turns = restored[reloaded.view.turns]
    assert [turn.question for turn in turns] == [URGENT, "còn văn bản thường thì sao?"]
    assert turns[0].citations and turns[0].citations[0].number == first[v.turns][0].citations[0].number
    assert URGENT in restored[reloaded.view.transcript]
    assert restored[reloaded.view.conversation] == conversation
    assert restored[reloaded.view.past]["choices"][0][1] == conversation

    fresh = shown(reloaded, reloaded.reset("vi", again))  # "Cuộc hỏi đáp mới": empty, the old one stays listed
    assert fresh[reloaded.view.turns] == [] and fresh[reloaded.view.conversation] is None
    reopened = shown(reloaded, reloaded.open_saved(conversation, "vi", again))
    assert len(reopened[reloaded.view.turns]) == 2

    hoa = login(api, "hoa", units=("SXD",))
    other = shown(reloaded, reloaded.restore("vi", hoa))
    assert other[reloaded.view.turns] == [] and other[reloaded.view.past]["choices"] == []
    stolen = shown(reloaded, reloaded.open_saved(conversation, "vi", hoa))
    assert stolen[reloaded.view.turns] == [] and "Không có cuộc hỏi đáp" in stolen[reloaded.view.notice]


def test_anonymous_conversations_are_not_saved(api: TestClient) -> None:
    tab = chat_tab(api)
    last = ask(tab, URGENT, Session(), [], None)
    assert tab.view.conversation not in last and tab.view.notice not in last
    assert shown(tab, tab.restore("vi", Session()))[tab.view.turns] == []


@pytest.mark.parametrize(
    ("text", "date"),
    [("", None), ("  ", None), ("01/07/2025", dt.date(2025, 7, 1)), ("1-7-2025", dt.date(2025, 7, 1)),
     ("2025-07-01", dt.date(2025, 7, 1)), ("31.12.2024", dt.date(2024, 12, 31))],
)  # fmt: skip
def test_as_of_dates_are_read_day_first(text: str, date: dt.date | None) -> None:
    assert parse_as_of(text) == date


@pytest.mark.parametrize("text", ["31/02/2025", "07/2025", "hôm qua", "2025/07/01"])
def test_an_unreadable_as_of_date_is_refused_naming_the_field(api: TestClient, text: str) -> None:
    tab = chat_tab(api)
    with pytest.raises(ValueError):
        parse_as_of(text)
    (update,) = list(tab.ask(URGENT, None, False, text, [], None, None, "vi"))
    assert "Hiệu lực tại ngày" in update[tab.view.notice] and text in update[tab.view.notice]


def test_as_of_leaves_out_documents_issued_later(client: ApiClient) -> None:
    today = next(iter(client.ask_stream(URGENT)))
    before = next(iter(client.ask_stream(URGENT, as_of=dt.date(2000, 1, 1))))
    assert isinstance(today, Meta) and isinstance(before, Meta)
    assert today.passages and not today.abstained
    assert before.abstained and before.passages == ()


def test_a_long_conversation_keeps_its_newest_turns_within_the_apis_body_limit(api: TestClient) -> None:
    lan = login(api, "lan", units=("STTTT",))
    client = ApiClient(api)
    turns = [Turn(f"Câu hỏi số {i}?", "Trả lời rất dài. " * 300, pending=False) for i in range(60)]
    conversation = client.save_conversation(lan.token, None, turns)  # ~300 KB in all: over 256 KB
    kept = client.conversation(lan.token, conversation)
    assert 10 < len(kept) < 60 and kept[-1].question == "Câu hỏi số 59?"  # the oldest went first
