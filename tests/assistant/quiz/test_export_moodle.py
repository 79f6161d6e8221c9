"""Moodle XML, parsed back with lxml along the paths Moodle's importer (question/format/xml/format.php) reads."""

from __future__ import annotations

import html
import re

import pytest
from lxml import etree

from assistant.quiz.export import bank_to_moodle_xml
from assistant.quiz.model import ItemKind, QuizBank, QuizItem

_TAGS = re.compile(r"<[^>]+>")


def _split_category_path(path: str) -> list[str]:
    """Moodle's ``split_category_path``: "/" separates, "//" is a slash inside a name."""
    return [name.replace("//", "/").strip() for name in re.split(r"(?<!/)/(?!/)", path)]


def _html_text(element: etree._Element) -> str:
    return html.unescape(_TAGS.sub("\n", element.findtext("text") or "")).strip()


@pytest.fixture
def export_quiz(export_quiz_bank: QuizBank) -> etree._Element:
    content = bank_to_moodle_xml(export_quiz_bank)
    assert content.startswith(b'<?xml version="1.0" encoding="UTF-8"?>')
    root = etree.fromstring(content)
    assert root.tag == "quiz" and all(child.tag == "question" for child in root)
    return root


def _questions(quiz: etree._Element) -> list[etree._Element]:
    return [q for q in quiz if q.get("type") != "category"]


def _by_item(quiz: etree._Element, bank: QuizBank) -> list[tuple[etree._Element, QuizItem]]:
    questions = {q.findtext("name/text", "").split(":")[0]: q for q in _questions(quiz)}
    kept = [item for item in bank.items if item.item_id != "x1"]
    return [(questions[f"Câu {number}"], item) for number, item in enumerate(kept, start=1)]


def test_categories_come_before_their_questions_one_per_document(
    export_quiz: etree._Element, export_quiz_bank: QuizBank
) -> None:
    categories = [q for q in export_quiz if q.get("type") == "category"]
    paths = [_split_category_path(q.findtext("category/text", "")) for q in categories]
    assert paths == [
        ["$course$", "top", export_quiz_bank.title, "30/2020/NĐ-CP"],
        ["$course$", "top", export_quiz_bank.title, "12/HD-STTTT"],
    ]
    kinds = [q.get("type") for q in export_quiz]
    assert kinds == ["category", "multichoice", "category", "truefalse", "shortanswer", "matching"]


def test_every_question_has_the_fields_moodle_reads(export_quiz: etree._Element) -> None:
    for question in _questions(export_quiz):
        assert question.findtext("name/text")
        assert question.find("questiontext").get("format") == "html"
        assert question.find("generalfeedback").get("format") == "html"
        assert float(question.findtext("defaultgrade", "")) > 0
        assert 0 <= float(question.findtext("penalty", "")) <= 1
        assert question.findtext("hidden") == "0"


def test_text_round_trips_with_citation_and_quoted_clause(
    export_quiz: etree._Element, export_quiz_bank: QuizBank
) -> None:
    pairs = _by_item(export_quiz, export_quiz_bank)
    assert len(pairs) == 4
    for question, item in pairs:
        assert _html_text(question.find("questiontext")) == item.stem
        feedback = _html_text(question.find("generalfeedback"))
        assert f"Căn cứ: {item.citation}" in feedback and item.explanation in feedback
    assert "CÂU BỊ LOẠI" not in etree.tostring(export_quiz, encoding="unicode")
    flagged = _html_text(pairs[0][0].find("generalfeedback"))
    assert "hết hiệu lực" in flagged


def test_multichoice_has_one_right_answer_at_100(export_quiz: etree._Element, export_quiz_bank: QuizBank) -> None:
    question, item = _by_item(export_quiz, export_quiz_bank)[0]
    assert item.kind == ItemKind.MULTIPLE_CHOICE
    assert question.findtext("single") == "true"
    assert question.findtext("shuffleanswers") in ("true", "1")
    assert question.findtext("answernumbering") == "abc"
    answers = question.findall("answer")
    assert [a.findtext("text") for a in answers] == list(item.options)
    assert [a.get("fraction") for a in answers] == ["0", "100", "0", "0"]
    assert all(a.find("feedback/text") is not None for a in answers)


def test_truefalse_has_true_and_false_answers(export_quiz: etree._Element, export_quiz_bank: QuizBank) -> None:
    question, _ = _by_item(export_quiz, export_quiz_bank)[1]
    answers = {a.findtext("text"): a.get("fraction") for a in question.findall("answer")}
    assert answers == {"true": "0", "false": "100"}  # the item's right option is "Sai"


def test_shortanswer_accepts_each_spelling(export_quiz: etree._Element, export_quiz_bank: QuizBank) -> None:
    question, item = _by_item(export_quiz, export_quiz_bank)[2]
    answers = {a.findtext("text"): a.get("fraction") for a in question.findall("answer")}
    assert set(item.answers) <= set(answers) and "30 ngay" in answers  # also without diacritics
    assert set(answers.values()) == {"100"}


def test_matching_has_a_subquestion_per_pair(export_quiz: etree._Element, export_quiz_bank: QuizBank) -> None:
    question, item = _by_item(export_quiz, export_quiz_bank)[3]
    subquestions = question.findall("subquestion")
    assert [(_html_text(s), s.findtext("answer/text")) for s in subquestions] == [
        (pair.left, pair.right) for pair in item.pairs
    ]


def test_html_and_cdata_terminators_in_text_stay_text(export_quiz_bank: QuizBank) -> None:
    item = export_quiz_bank.items[0]
    tricky = QuizItem(**{**item.__dict__, "stem": "<b>Điều 5</b> ]]> & Khoản 2?"})
    bank = QuizBank(**{**export_quiz_bank.__dict__, "items": (tricky,)})
    question = _questions(etree.fromstring(bank_to_moodle_xml(bank)))[0]
    assert _html_text(question.find("questiontext")) == "<b>Điều 5</b> ]]> & Khoản 2?"
