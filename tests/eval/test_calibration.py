import pytest

from eval.calibration import sweep_threshold


def test_threshold_respects_the_false_abstention_budget() -> None:
    evidence = [0.1, 0.2, 0.3, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 0.99, 0.25, 0.55]
    answerable = [False, False, False, True, True, True, True, True, True, True, True, False]
    result = sweep_threshold(evidence, answerable, max_false_abstain=0.15)
    # Answerable scores: .25 .5 .6 .7 .8 .9 .95 .99 (8): one false abstention (12.5 %) is allowed, two are not,
    # so t is the midpoint between .3 and .5.
    assert result["threshold"] == pytest.approx(0.4)
    assert result["false_abstain_rate"] == pytest.approx(1 / 8)
    assert result["abstain_recall"] == pytest.approx(3 / 4)  # .1 .2 .3 below, .55 above
    assert result["balanced_accuracy"] == pytest.approx((0.75 + 0.875) / 2)


def test_zero_budget_never_refuses_an_answerable_question() -> None:
    result = sweep_threshold([0.1, 0.4, 0.3, 0.9], [False, True, False, True], max_false_abstain=0.0)
    assert result["false_abstain_rate"] == 0.0 and result["threshold"] == pytest.approx(0.35)


def test_needs_both_classes() -> None:
    assert sweep_threshold([0.1, 0.2], [True, True]) == {}
    with pytest.raises(ValueError):
        sweep_threshold([0.1], [True, False])
