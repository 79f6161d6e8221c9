"""The unit tree and the visibility rule built on it: downwards for unit documents, exact for restricted ones."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.accounts.errors import AccountError
from assistant.accounts.service import AccountService
from assistant.accounts.units import Unit, UnitTree
from assistant.errors import ConfigurationError
from assistant.settings import Settings
from assistant.types import DocumentMeta

SHIPPED = Path(__file__).resolve().parents[3] / "corpus" / "units.yaml"


def unit_doc(unit: str) -> DocumentMeta:
    return DocumentMeta(doc_id=f"kh-{unit.lower()}", title="Kế hoạch nội bộ", unit=unit, visibility="unit")


def restricted_doc(*units: str, roles: tuple[str, ...] = ()) -> DocumentMeta:
    return DocumentMeta(
        doc_id="kl-1", title="Kết luận", visibility="restricted", allowed_units=units, allowed_roles=roles
    )


def test_shipped_tree_root_expands_to_every_unit() -> None:
    tree = UnitTree.load(SHIPPED)
    assert "LANGSON" in tree and "STTTT" in tree and "XA-CHILANG" in tree
    assert tree.expand(["LANGSON"]) == frozenset(tree.codes)
    assert tree.expand(["STTTT"]) == {"STTTT"}
    assert tree.ancestors("UBND-CHILANG") == ["LANGSON"]


def test_a_department_sees_its_sub_units_but_not_upwards_or_sideways(units_file: Path) -> None:
    tree = UnitTree.load(units_file)
    assert tree.expand(["SXD"]) == {"SXD", "SXD-QLXD", "SXD-QLXD-TO1"}
    assert tree.expand(["SXD-QLXD"]) == {"SXD-QLXD", "SXD-QLXD-TO1"}
    assert tree.expand(["SXD-QLXD-TO1"]) == {"SXD-QLXD-TO1"}
    assert tree.expand(["SYT", "XA-CHILANG"]) == {"SYT", "XA-CHILANG"}
    assert tree.expand(["NOT-IN-TREE"]) == {"NOT-IN-TREE"}


@pytest.mark.parametrize(
    ("member_of", "owner", "sees"),
    [
        ("SXD", "SXD-QLXD-TO1", True),  # down two levels
        ("SXD-QLXD", "SXD-QLXD-TO1", True),
        ("SXD-QLXD-TO1", "SXD", False),  # never upwards
        ("SXD-QLXD-TO1", "SXD-QLXD", False),
        ("SYT", "SXD-QLXD", False),  # never sideways
        ("LANGSON", "SXD-QLXD-TO1", True),  # the province root sees every unit's documents
        ("LANGSON", "SYT", True),
        ("XA-CHILANG", "LANGSON", False),
    ],
)
def test_unit_documents_follow_the_tree(accounts: AccountService, member_of: str, owner: str, sees: bool) -> None:
    user = accounts.users.add(f"u-{member_of.lower()}", roles=["staff"], units=[member_of])
    assert accounts.principal_of(user).may_see(unit_doc(owner)) is sees


@pytest.mark.parametrize(
    ("member_of", "roles", "sees"),
    [
        ("SXD-QLXD", ("staff",), True),  # named exactly
        ("SXD", ("staff",), False),  # the parent of a named unit: the tree does not widen a restricted list
        ("LANGSON", ("staff",), False),  # not even the province root
        ("SXD-QLXD-TO1", ("staff",), False),  # nor a sub-unit of a named unit
        ("SYT", ("inspector",), True),  # a named role
        ("SYT", ("staff", "trainer"), False),
    ],
)
def test_restricted_documents_need_an_exact_unit_or_role(
    accounts: AccountService, member_of: str, roles: tuple[str, ...], sees: bool
) -> None:
    user = accounts.users.add("nguoi-dung", roles=list(roles), units=[member_of])
    doc = restricted_doc("SXD-QLXD", roles=("inspector",))
    assert accounts.principal_of(user).may_see(doc) is sees


def test_principal_keeps_membership_and_scope_apart(accounts: AccountService) -> None:
    principal = accounts.principal_of(accounts.users.add("truong-phong", roles=["staff"], units=["SXD"]))
    assert principal.user_id == "truong-phong"
    assert principal.units == {"SXD"}
    assert principal.unit_scope == {"SXD", "SXD-QLXD", "SXD-QLXD-TO1"}
    assert principal.roles == {"staff"}


def test_admin_sees_everything(accounts: AccountService) -> None:
    principal = accounts.principal_of(accounts.users.add("quan-tri", roles=["admin"]))
    assert principal.may_see(unit_doc("SYT")) and principal.may_see(restricted_doc("SXD"))


@pytest.mark.parametrize(
    ("units", "problem"),
    [
        ([Unit("A", "a"), Unit("A", "b")], "twice"),
        ([Unit("A", "a", parent="Z")], "unknown parent"),
        ([Unit("A", "a", parent="B"), Unit("B", "b", parent="A")], "cycle"),
        ([Unit("", "a")], "non-empty"),
    ],
)
def test_bad_trees_are_refused(units: list[Unit], problem: str) -> None:
    with pytest.raises(ValueError, match=problem):
        UnitTree(units)


def test_a_missing_or_malformed_units_file_is_a_clear_configuration_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigurationError, match="ASSISTANT_UNITS_FILE"):
        UnitTree.load(tmp_path / "none.yaml")
    bad = tmp_path / "bad.yaml"
    bad.write_text("- {code: A, parent: B}\n", encoding="utf-8")
    with pytest.raises(ConfigurationError, match="unknown parent 'B'"):
        UnitTree.load(bad)
    bad.write_text("code: A\n", encoding="utf-8")
    with pytest.raises(ConfigurationError, match="danh sách"):
        UnitTree.load(bad)


def test_unknown_units_are_refused_on_accounts(accounts: AccountService, account_settings: Settings) -> None:
    with pytest.raises(AccountError, match="SXD-KHONG-CO"):
        accounts.users.add("ai-do", roles=["staff"], units=["SXD-KHONG-CO"])
