"""The UI's trainer-mode client and tab handlers against a stand-in of the /v1/quiz routes (httpx.MockTransport):
the bodies sent, the typed results, a stale review reloaded with a clear message, downloads, practice and grading."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest

from ui.client import ApiClient, ApiError
from ui.models import GradedItem, ItemStat, PracticeItem, PracticeScore, QuizBank, Session, User, can_train
from ui.practice import PracticeTab, answer_of
from ui.quiz import TrainerTab
from ui.quiz_render import bank_html, result_html, stats_table

CITATION = "khoản 2 Điều 5, Hướng dẫn số 12/HD-STTTT, tr. 2"
Handler = Callable[[httpx.Request], httpx.Response]


def item(item_id: str, kind: str = "multiple_choice", **changes: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "item_id": item_id, "kind": kind, "stem": f"Câu hỏi {item_id} về chữ ký số?",
        "options": ["Sở Nội vụ", "Sở Thông tin và Truyền thông", "Văn phòng UBND tỉnh", "Ban Cơ yếu Chính phủ"],
        "correct": [1], "answers": [], "pairs": [], "explanation": "Theo Hướng dẫn 12/HD-STTTT.",
        "citation": CITATION, "sources": [], "fact_kind": "authority", "difficulty": "recall", "topic": "chữ ký số",
        "flags": [], "status": "pending",
    }  # fmt: skip
    body.update(changes)
    return body


def bank(version: int = 1, items: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    return {
        "bank_id": "b1", "title": "Chữ ký số — kiểm tra", "topic": "chữ ký số", "owner": "gv", "unit": "STTTT",
        "version": version, "doc_ids": ["hd-chu-ky-so"], "created_at": None, "updated_at": "2026-01-05T08:00:00Z",
        "audience": {"visibility": "public", "unit": "", "allowed_units": [], "allowed_roles": []},
        "items": items if items is not None else [item("i1"), item("i2", "fill_blank", options=[], correct=[],
                                                                   answers=["3 ngày", "ba ngày"])],
    }  # fmt: skip


class FakeApi:
    """Records the requests; answers each with ``routes[(method, path)]`` (a body, or a callable of the request)."""

    def __init__(self) -> None:
        self.requests: list[httpx.Request] = []
        self.routes: dict[tuple[str, str], Any] = {}

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        answer = self.routes.get((request.method, request.url.path))
        if answer is None:
            return httpx.Response(404, json={"error": {"code": "not_found", "message": "Không có."}})
        return answer(request) if callable(answer) else httpx.Response(200, json=answer)

    def sent(self, index: int = -1) -> Any:
        return json.loads(self.requests[index].content or b"null")


@pytest.fixture
def api() -> FakeApi:
    return FakeApi()


@pytest.fixture
def client(api: FakeApi) -> ApiClient:
    return ApiClient(httpx.Client(transport=httpx.MockTransport(api), base_url="http://api.test"))


TRAINER = Session(token="tok", user=User("gv", roles=("trainer",), units=("STTTT",)))


def test_generate_sends_the_form_and_reads_the_bank(api: FakeApi, client: ApiClient) -> None:
    api.routes[("POST", "/v1/quiz/banks")] = lambda r: httpx.Response(
        201, json={"bank": bank(), "checked": 24, "refused": 4, "problems": {"duplicate": 4}}
    )
    made = client.generate_bank("tok", title="Chữ ký số", topic="chữ ký số", count=20, kinds=["multiple_choice"])
    assert api.sent() == {"title": "Chữ ký số", "topic": "chữ ký số", "count": 20, "difficulty": None,
                          "kinds": ["multiple_choice"]}  # fmt: skip
    assert api.requests[-1].headers["authorization"] == "Bearer tok"
    assert (made.checked, made.refused, made.problems) == (24, 4, {"duplicate": 4})
    first, fill = made.bank.items
    assert first.options[first.correct[0]] == "Sở Thông tin và Truyền thông" and first.citation == CITATION
    assert (fill.kind, fill.answers, fill.options) == ("fill_blank", ("3 ngày", "ba ngày"), ())


def test_review_sends_only_the_edits_given(api: FakeApi, client: ApiClient) -> None:
    api.routes[("PUT", "/v1/quiz/banks/b1/items/i1")] = bank(version=2)
    saved = client.review_item("tok", "b1", "i1", status="rejected", expected_version=1)
    assert api.sent() == {"status": "rejected", "expected_version": 1} and saved.version == 2
    client.review_item("tok", "b1", "i1", status="accepted", expected_version=2, stem="Câu mới?", options=("A", "B"),
                       correct=[0], explanation="Vì vậy.")  # fmt: skip
    assert api.sent() == {"status": "accepted", "expected_version": 2, "stem": "Câu mới?", "options": ["A", "B"],
                          "correct": [0], "explanation": "Vì vậy."}  # fmt: skip


def test_a_stale_version_is_a_409_api_error(api: FakeApi, client: ApiClient) -> None:
    api.routes[("PUT", "/v1/quiz/banks/b1/items/i1")] = lambda r: httpx.Response(
        409, json={"error": {"code": "version_conflict", "message": "Bộ câu hỏi đã được lưu phiên bản 3."}}
    )
    with pytest.raises(ApiError) as caught:
        client.review_item("tok", "b1", "i1", status="accepted", expected_version=2)
    assert (caught.value.status, caught.value.code) == (409, "version_conflict")


def test_export_keeps_the_suggested_file_name(api: FakeApi, client: ApiClient) -> None:
    api.routes[("GET", "/v1/quiz/banks/b1/export")] = lambda r: httpx.Response(
        200, content=b"<quiz/>", headers={"content-type": "application/xml",
                                          "content-disposition": 'attachment; filename="bank-b1-v2.xml"'},
    )  # fmt: skip
    file = client.export_bank("tok", "b1", "moodle")
    assert api.requests[-1].url.params["format"] == "moodle"
    assert (file.content, file.filename, file.media_type) == (b"<quiz/>", "bank-b1-v2.xml", "application/xml")


def test_banks_versions_stats_delete(api: FakeApi, client: ApiClient) -> None:
    summary = {"bank_id": "b1", "title": "T", "topic": "chữ ký số", "owner": "gv", "unit": "STTTT", "version": 2,
               "items": 20, "accepted": 3, "rejected": 1, "updated_at": None}  # fmt: skip
    api.routes[("GET", "/v1/quiz/banks")] = {"banks": [summary]}
    api.routes[("GET", "/v1/quiz/banks/b1/versions")] = {
        "versions": [{"version": 2, "updated_at": "2026-01-05T08:00:00Z", "editor": "gv", "note": "i1 accepted"}]
    }
    api.routes[("GET", "/v1/quiz/banks/b1/stats")] = {
        "bank_id": "b1",
        "unit": "",
        "items": [{"item_id": "i1", "stem": "S", "attempts": 4, "wrong": 1}],
    }
    api.routes[("DELETE", "/v1/quiz/banks/b1")] = lambda r: httpx.Response(204)
    [listed] = client.banks("tok")
    assert (listed.items, listed.accepted, listed.rejected, listed.updated_at) == (20, 3, 1, "")
    assert client.bank_versions("tok", "b1")[0].note == "i1 accepted"
    assert client.bank_stats("tok", "b1")[0].wrong == 1
    client.delete_bank("tok", "b1")
    assert api.requests[-1].method == "DELETE"


def test_practice_and_grading(api: FakeApi, client: ApiClient) -> None:
    api.routes[("GET", "/v1/quiz/banks/b1/practice")] = {
        "bank_id": "b1", "title": "T", "version": 2,
        "items": [{"item_id": "i3", "kind": "matching", "stem": "Ghép", "options": [], "lefts": ["Cấp mới"],
                   "rights": ["3 ngày"]}],
    }  # fmt: skip
    api.routes[("POST", "/v1/quiz/banks/b1/practice")] = {
        "score": 1, "total": 2,
        "items": [{"item_id": "i3", "stem": "Ghép", "correct": True, "right_answer": "Cấp mới → 3 ngày",
                   "explanation": "E", "citation": CITATION}],
    }  # fmt: skip
    practice = client.practice("tok", "b1")
    assert practice.version == 2 and practice.items[0].lefts == ("Cấp mới",)
    result = client.submit_practice("tok", "b1", 2, {"i3": {"pairs": {"Cấp mới": "3 ngày"}}})
    assert api.sent() == {"version": 2, "answers": {"i3": {"pairs": {"Cấp mới": "3 ngày"}}}}
    assert (result.score, result.total, result.items[0].citation) == (1, 2, CITATION)


def test_lesson_as_points_and_as_docx(api: FakeApi, client: ApiClient) -> None:
    def lesson(request: httpx.Request) -> httpx.Response:
        if json.loads(request.content).get("format") == "docx":
            return httpx.Response(200, content=b"PK\x03\x04", headers={"content-disposition": "attachment; "
                                                                       'filename="bai-hoc.docx"'})  # fmt: skip
        return httpx.Response(200, json={"title": "Chữ ký số", "topic": "chữ ký số", "points": [
            {"text": "Thuê bao phải bảo quản thiết bị.", "citation": CITATION, "source": {}}]})  # fmt: skip

    api.routes[("POST", "/v1/quiz/lessons")] = lesson
    built = client.lesson("tok", "chữ ký số", points=3)
    assert api.sent() == {"topic": "chữ ký số", "points": 3} and built.points[0].citation == CITATION
    assert client.lesson_docx("tok", "chữ ký số").filename == "bai-hoc.docx"


def test_trainer_tab_reloads_a_bank_changed_by_someone_else(api: FakeApi, client: ApiClient) -> None:
    api.routes[("PUT", "/v1/quiz/banks/b1/items/i1")] = lambda r: httpx.Response(
        409, json={"error": {"code": "version_conflict", "message": "…"}}
    )
    api.routes[("GET", "/v1/quiz/banks/b1")] = bank(version=3)
    tab = TrainerTab(client)
    shown = tab.review("accepted", QuizBank.from_api(bank(version=2)), "i1", TRAINER, "vi")
    assert isinstance(shown[0], QuizBank) and shown[0].version == 3
    assert shown[3].startswith("⚠ Bộ câu hỏi vừa được người khác sửa — đã tải lại (phiên bản 3)")
    assert "phiên bản 3" in shown[1] and shown[4] == "Câu hỏi i1 về chữ ký số?"


def test_trainer_tab_edit_sends_options_and_right_option(api: FakeApi, client: ApiClient) -> None:
    api.routes[("PUT", "/v1/quiz/banks/b1/items/i1")] = bank(version=2)
    tab = TrainerTab(client)
    options = ["Sở Nội vụ", "Sở TT&TT", "VP UBND", "Ban Cơ yếu", "", ""]
    shown = tab.save_edit(QuizBank.from_api(bank()), "i1", " Ai cấp? ", *options, 1, "", "Giải thích.", TRAINER, "vi")
    assert api.sent() == {"status": "accepted", "expected_version": 1, "stem": "Ai cấp?", "explanation": "Giải thích.",
                          "options": options[:4], "correct": [1]}  # fmt: skip
    assert shown[3].startswith("✓ Đã lưu Câu 1: đã duyệt — bộ câu hỏi nay là phiên bản 2")
    refused = tab.save_edit(QuizBank.from_api(bank()), "i1", "Ai cấp?", "", *options[1:], 1, "", "", TRAINER, "vi")
    assert "Mỗi phương án phải có nội dung" in refused[3] and len(api.requests) == 1


def test_exports_land_in_files(api: FakeApi, client: ApiClient) -> None:
    api.routes[("GET", "/v1/quiz/banks/b1/export")] = lambda r: httpx.Response(
        200, content=b"PK", headers={"content-disposition": 'attachment; filename="../bank-b1-v1.docx"'}
    )
    path, message = TrainerTab(client).export("docx", QuizBank.from_api(bank()), TRAINER, "vi")
    assert Path(path).name == "bank-b1-v1.docx" and Path(path).read_bytes() == b"PK" and "Đã xuất" in message


def test_rendering_marks_answers_and_ranks_the_worst_items() -> None:
    html = bank_html(QuizBank.from_api(bank(items=[item("i1", status="accepted", stem="<b>x</b>?")])), "vi")
    assert '<li class="tl-quiz-right">B. Sở Thông tin và Truyền thông ✓</li>' in html
    assert "&lt;b&gt;x&lt;/b&gt;?" in html and CITATION in html and "đã duyệt" in html and "phiên bản 1" in html
    table = stats_table([ItemStat("a", "A", 10, 1), ItemStat("b", "B", 4, 3), ItemStat("c", "C", 0, 0)], "vi")
    assert [row[0] for row in table["data"]] == ["B", "A", "C"] and table["data"][0][3] == "75%"
    graded = PracticeScore(1, 2, (GradedItem("i1", "S", False, "Sở TT&TT", "Vì.", CITATION),))
    shown = result_html(graded, "vi")
    assert "Đúng 1/2" in shown and "✗ Sai" in shown and "Sở TT&amp;TT" in shown and CITATION in shown


def test_answers_from_the_practice_form() -> None:
    mc = PracticeItem("i1", "multiple_choice", "S", options=("A", "B"))
    fill = PracticeItem("i2", "fill_blank", "S")
    match = PracticeItem("i3", "matching", "S", lefts=("L1", "L2"), rights=("R2", "R1"))
    assert answer_of(mc, "B", "", []) == {"choice": "B"} and answer_of(mc, None, "", []) == {}
    assert answer_of(fill, None, "  3 ngày ", []) == {"text": "3 ngày"} and answer_of(fill, None, " ", []) == {}
    assert answer_of(match, None, "", ["R1", None]) == {"pairs": {"L1": "R1"}}


def test_practice_tab_keeps_answers_while_paging_and_submits_them(api: FakeApi, client: ApiClient) -> None:
    api.routes[("GET", "/v1/quiz/banks/b1/practice")] = {
        "bank_id": "b1", "title": "T", "version": 1,
        "items": [{"item_id": "i1", "kind": "true_false", "stem": "S1", "options": ["Đúng", "Sai"], "lefts": [],
                   "rights": []},
                  {"item_id": "i2", "kind": "fill_blank", "stem": "S2", "options": [], "lefts": [], "rights": []}],
    }  # fmt: skip
    api.routes[("POST", "/v1/quiz/banks/b1/practice")] = {"score": 1, "total": 2, "items": []}
    tab = PracticeTab(client)
    started = tab.begin("b1", TRAINER, "vi")
    practice = started[0]
    assert "Câu 1/2" in started[6]
    blank = (None,) * 10
    answers, index, *shown = tab.forward(practice, {}, 0, "vi", "Sai", "", *blank)
    assert (answers, index) == ({"i1": {"choice": "Sai"}}, 1) and "đã trả lời 1 câu" in shown[0]
    answers, index, *shown = tab.back(practice, answers, 1, "vi", None, "ba ngày", *blank)
    assert shown[2]["value"] == "Sai" and answers["i2"] == {"text": "ba ngày"}
    _, _, result, message = tab.hand_in(practice, answers, 0, TRAINER, "vi", "Sai", "", *blank)
    assert api.sent() == {"version": 1, "answers": {"i1": {"choice": "Sai"}, "i2": {"text": "ba ngày"}}}
    assert "Đúng 1/2" in result and message.startswith("Đã nộp bài")


def test_only_trainers_and_admins_build_banks() -> None:
    assert can_train(TRAINER) and can_train(Session("t", User("qt", roles=("admin",))))
    assert (
        not can_train(Session("t", User("nv", roles=("staff",)))) and not can_train(Session()) and not can_train(None)
    )
