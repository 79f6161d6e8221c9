"""The unit tree (province → departments, agencies, districts, communes) and the visibility rule built on it.

Rule (documented in README "Accounts and access"): a member of unit U may see the ``unit`` documents of U and of
every unit below U in the tree — a department sees its sub-units' documents, and a member of the province root
(LANGSON) sees every unit's documents. Nothing flows upwards or sideways: a commune does not see the province's
unit documents, nor a sibling department's. ``restricted`` documents are not widened by the tree: they go only
to members of the units named in ``allowed_units`` (exact membership) and to holders of ``allowed_roles``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import yaml

from assistant.accounts.errors import AccountError
from assistant.errors import ConfigurationError


@dataclass(frozen=True)
class Unit:
    code: str
    name: str
    parent: str | None = None
    kind: str = ""


class UnitTree:
    """Validated units by code; rejects duplicate codes, unknown parents and cycles."""

    def __init__(self, units: Iterable[Unit]) -> None:
        self._units: dict[str, Unit] = {}
        for unit in units:
            if not unit.code:
                raise ValueError("a unit needs a non-empty code")
            if unit.code in self._units:
                raise ValueError(f"unit code '{unit.code}' appears twice")
            self._units[unit.code] = unit
        self._children: dict[str, list[str]] = {code: [] for code in self._units}
        for unit in self._units.values():
            if unit.parent is None:
                continue
            if unit.parent not in self._units:
                raise ValueError(f"unit '{unit.code}' names an unknown parent '{unit.parent}'")
            self._children[unit.parent].append(unit.code)
        for code in self._units:
            self.ancestors(code)  # raises on a cycle

    @classmethod
    def load(cls, path: Path) -> UnitTree:
        """Read a YAML list of ``{code, name, parent, kind}``; errors name the file and what to fix."""
        try:
            raw = yaml.safe_load(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise ConfigurationError(
                f"Không tìm thấy tệp cây đơn vị {path}. Đặt ASSISTANT_UNITS_FILE trỏ tới tệp YAML các đơn vị."
            ) from None
        except (yaml.YAMLError, UnicodeDecodeError) as exc:
            raise ConfigurationError(f"Tệp cây đơn vị {path} không đọc được: {exc}") from exc
        if not isinstance(raw, list) or not all(isinstance(item, dict) for item in raw):
            raise ConfigurationError(f"{path}: cần một danh sách YAML các mục {{code, name, parent, kind}}")
        try:
            return cls(
                Unit(
                    code=str(item.get("code") or ""),
                    name=str(item.get("name") or ""),
                    parent=str(item["parent"]) if item.get("parent") else None,
                    kind=str(item.get("kind") or ""),
                )
                for item in raw
            )
        except ValueError as exc:
            raise ConfigurationError(f"{path}: {exc}") from exc

    def __contains__(self, code: object) -> bool:
        return code in self._units

    def __len__(self) -> int:
        return len(self._units)

    @property
    def codes(self) -> list[str]:
        return sorted(self._units)

    def get(self, code: str) -> Unit:
        return self._units[code]

    def ancestors(self, code: str) -> list[str]:
        """Parents of ``code`` up to the root, nearest first."""
        chain: list[str] = []
        parent = self._units[code].parent
        while parent is not None:
            if parent == code or parent in chain:
                raise ValueError(f"the unit tree has a cycle through '{code}'")
            chain.append(parent)
            parent = self._units[parent].parent
        return chain

    def descendants(self, code: str) -> frozenset[str]:
        """``code`` and every unit below it."""
        seen = {code}
        stack = [code]
        while stack:
            for child in self._children.get(stack.pop(), []):
                if child not in seen:
                    seen.add(child)
                    stack.append(child)
        return frozenset(seen)

    def expand(self, codes: Iterable[str]) -> frozenset[str]:
        """The unit scope of a member of ``codes``: those units and all below them (unknown codes kept as given)."""
        scope: set[str] = set()
        for code in codes:
            scope |= self.descendants(code) if code in self._units else {code}
        return frozenset(scope)

    def check(self, codes: Iterable[str]) -> tuple[str, ...]:
        """``codes`` if all are known units; AccountError naming the unknown ones otherwise."""
        codes = tuple(dict.fromkeys(c.strip() for c in codes if c.strip()))
        unknown = [c for c in codes if c not in self._units]
        if unknown:
            raise AccountError(
                f"Đơn vị không có trong cây đơn vị: {', '.join(unknown)}. Các mã hợp lệ: {', '.join(self.codes)}."
            )
        return codes
