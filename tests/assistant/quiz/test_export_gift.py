"""GIFT, parsed back by a strict port of Moodle's reader (question/format/gift/format.php ``readquestion``): the
question types, answers, categories and the reserved characters survive.

No PyPI GIFT parser is used. pygiftparser 1.1 (2017) does not import here (the Markdown 3.0 it installs with needs
pkg_resources), its category pattern (``[/\\w$]*``) stops at the first space and it does not read ``\\\\`` as an
escaped backslash; pygiftparserrgmf 0.0.5 installs over the same ``pygiftparser`` package name and parses a GIFT
dialect of its own (true/false as ``|TRUE``). Moodle's algorithm is the reference, so the test follows it."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import pytest

from assistant.quiz.export import bank_to_gift
from assistant.quiz.export.gift import escape
from assistant.quiz.model import FactKind, ItemKind, MatchPair, QuizBank, QuizItem

_ESCAPED = {"\\:": "\x01058", "\\#": "\x01035", "\\=": "\x01061", "\\{": "\x01123", "\\}": "\x01125",
            "\\~": "\x01126", "\\n": "\x01010"}  # fmt: skip
_PLAIN = {":": "\x01058", "#": "\x01035", "=": "\x01061", "{": "\x01123", "}": "\x01125", "~": "\x01126",
          "\n": "\x01010"}  # fmt: skip
_WEIGHT = re.compile(r"^%-*([0-9]{1,2})\.?([0-9]*)%")


def _pre(text: str) -> str:
    text = text.replace("\\\\", "\x01092")
    for escaped, placeholder in _ESCAPED.items():
        text = text.replace(escaped, placeholder)
    return text.replace("\x01092", "\\")


def _post(text: str) -> str:
    for char, placeholder in _PLAIN.items():
        text = text.replace(placeholder, char)
    return text


@dataclass
class GiftQuestion:
    category: str
    qtype: str
    name: str
    text: str
    general_feedback: str
    answers: list[tuple[float, str]] = field(default_factory=list)
    pairs: list[tuple[str, str]] = field(default_factory=list)
    truth: bool | None = None


def _weight(answer: str, default: float) -> tuple[float, str]:
    match = _WEIGHT.match(answer)
    if not match:
        return default, answer
    return float(answer[1 : answer.index("%", 1)]) / 100, answer[match.end() :]


def _answers(qtype: str, answertext: str) -> tuple[list[tuple[float, str]], list[tuple[str, str]], bool | None]:
    if qtype == "truefalse":
        return [], [], answertext.split("#")[0].strip() in ("T", "TRUE")
    if qtype == "match":
        parts = [part.strip() for part in answertext.split("=") if part.strip()]
        assert all("->" in part for part in parts), answertext
        return [], [(_post(p.split("->", 1)[0]).strip(), _post(p.split("->", 1)[1]).strip()) for p in parts], None
    answers = []
    if qtype == "multichoice":
        for part in [p.strip() for p in answertext.replace("=", "~=").split("~") if p.strip()]:
            weight, text = (1.0, part[1:]) if part.startswith("=") else _weight(part, 0.0)
            answers.append((weight, _post(text.split("#")[0]).strip()))
    else:
        for part in [p.strip() for p in answertext.split("=") if p.strip()]:
            weight, text = _weight(part, 1.0)
            answers.append((weight, _post(text.split("#")[0]).strip()))
    return answers, [], None


def parse_gift(source: str) -> list[GiftQuestion]:
    """Questions of a GIFT text as Moodle reads them; stricter than Moodle, it refuses an unescaped reserved
    character in a name or question text, a question without a name and more than one answer block."""
    assert "\x01" not in source
    blocks: list[list[str]] = [[]]
    for line in source.split("\n"):
        blocks.append([]) if not line.strip() else blocks[-1].append(line)
    category, questions = "", []
    for lines in blocks:
        text = "\n".join(" " if line.strip().startswith("//") else line for line in lines).strip()
        if not text:
            continue
        text = _pre(text)
        if text.startswith("$CATEGORY:"):
            category = text[10:].strip()
            continue
        assert text.startswith("::") and "::" in text[2:], f"no name: {text[:60]}"
        name, text = text[2:].split("::", 1)
        assert text.count("{") == 1 and text.count("}") == 1 and text.rstrip().endswith("}"), text
        start, end = text.index("{"), text.index("}")
        question_text, answertext = text[:start], text[start + 1 : end].strip()
        assert not re.search(r"[=~#{}:]", name + question_text), f"unescaped reserved character: {name}{question_text}"
        general_feedback = ""
        if "####" in answertext:
            cut = answertext.rindex("####")
            answertext, general_feedback = answertext[:cut].strip(), answertext[cut + 4 :]
        if "~" in answertext:
            qtype = "multichoice"
        elif "=" in answertext and "->" in answertext:
            qtype = "match"
        elif answertext.split("#")[0].strip() in ("T", "TRUE", "F", "FALSE"):
            qtype = "truefalse"
        else:
            qtype = "shortanswer"
        answers, pairs, truth = _answers(qtype, answertext)
        questions.append(
            GiftQuestion(
                category,
                qtype,
                _post(name),
                _post(question_text).strip(),
                _post(general_feedback).strip(),
                answers,
                pairs,
                truth,
            )  # fmt: skip
        )
    return questions


def _split_category_path(path: str) -> list[str]:
    return [name.replace("//", "/").strip() for name in re.split(r"(?<!/)/(?!/)", path)]


@pytest.fixture
def export_gift_questions(export_quiz_bank: QuizBank) -> list[GiftQuestion]:
    return parse_gift(bank_to_gift(export_quiz_bank))


def test_each_item_comes_back_with_its_type_and_text(
    export_gift_questions: list[GiftQuestion], export_quiz_bank: QuizBank
) -> None:
    kept = [item for item in export_quiz_bank.items if item.item_id != "x1"]
    assert [q.qtype for q in export_gift_questions] == ["multichoice", "truefalse", "shortanswer", "match"]
    for number, (question, item) in enumerate(zip(export_gift_questions, kept, strict=True), start=1):
        assert question.name.startswith(f"Câu {number}: ")
        assert question.text == item.stem
        assert item.citation in question.general_feedback and item.explanation in question.general_feedback
    assert "hết hiệu lực" in export_gift_questions[0].general_feedback


def test_reserved_characters_survive(export_gift_questions: list[GiftQuestion]) -> None:
    choice = export_gift_questions[0]
    assert choice.text == "Theo Điều 5: {a} = b ~ c # d \\ e, văn bản hành chính được trình bày trên khổ giấy nào?"
    assert choice.name.startswith("Câu 1: Theo Điều 5: {a} = b ~ c # d \\ e")
    assert [text for _, text in choice.answers] == [
        "A5 {nhỏ}",
        "A4 (210 mm x 297 mm)",
        "A3 = 2 × A4",
        "Letter: 8,5 × 11 inch",
    ]


def test_answers_weights_and_truth(export_gift_questions: list[GiftQuestion], export_quiz_bank: QuizBank) -> None:
    choice, true_false, blank, matching = export_gift_questions
    assert [weight for weight, _ in choice.answers] == [0, 1, 0, 0]
    assert true_false.truth is False
    assert {text for _, text in blank.answers} >= {"30 ngày", "ba mươi ngày", "30 ngay"}
    assert all(weight == 1 for weight, _ in blank.answers)
    assert matching.pairs == [(pair.left, pair.right) for pair in export_quiz_bank.items[-1].pairs]


def test_categories_follow_the_documents(export_gift_questions: list[GiftQuestion], export_quiz_bank: QuizBank) -> None:
    paths = [_split_category_path(q.category) for q in export_gift_questions]
    title = export_quiz_bank.title
    assert paths[0] == ["$course$", "top", title, "30/2020/NĐ-CP"]
    assert paths[1:] == [["$course$", "top", title, "12/HD-STTTT"]] * 3
    assert "CÂU BỊ LOẠI" not in bank_to_gift(export_quiz_bank)


def test_escape_round_trips_every_reserved_character() -> None:
    text = "a\\b ~ = # { } : \\: \\n x\ny"
    assert _post(_pre(escape(text))) == text


def test_arrows_in_a_matching_left_and_percent_openings_do_not_break_parsing(export_quiz_bank: QuizBank) -> None:
    source = export_quiz_bank.items[0].sources[0]
    matching = QuizItem(
        "m2", ItemKind.MATCHING, "Ghép:", "…", (source,), FactKind.STEP,
        pairs=(MatchPair("Bước 1 -> 2", "nộp hồ sơ", source), MatchPair("Bước 3", "nhận kết quả", source)),
    )  # fmt: skip
    choice = QuizItem(
        "mc2", ItemKind.MULTIPLE_CHOICE, "Mức phí?", "…", (source,), FactKind.AMOUNT,
        options=("%50% phí", "100%", "0 đồng", "10%"), correct=(1,),
    )  # fmt: skip
    bank = QuizBank(**{**export_quiz_bank.__dict__, "items": (matching, choice)})
    parsed_matching, parsed_choice = parse_gift(bank_to_gift(bank))
    assert parsed_matching.pairs == [("Bước 1 → 2", "nộp hồ sơ"), ("Bước 3", "nhận kết quả")]
    assert parsed_choice.answers == [(0, "%50% phí"), (1, "100%"), (0, "0 đồng"), (0, "10%")]
