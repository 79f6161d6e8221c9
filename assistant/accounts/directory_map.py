"""Directory groups (LDAP group DNs, OpenID Connect group/role claim values) → units and roles, from one YAML file.

Format (``ASSISTANT_DIRECTORY_MAP_FILE``)::

    groups:
      - group: cn=staff-stttt,ou=groups,dc=langson,dc=gov,dc=vn   # an LDAP group DN ...
        units: [STTTT]
        roles: [staff]
      - group: tro-ly-quan-tri                                      # ... or a value of an OIDC groups/roles claim
        roles: [admin]

A user gets the union of the units and roles of every entry whose group they belong to; one who matches no entry,
or whose entries grant no role, may not log in. Group names compare case-insensitively, DNs also without the
spaces around ``,`` and ``=``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import yaml

from assistant.accounts.errors import AccountError
from assistant.accounts.units import UnitTree
from assistant.accounts.users import check_roles
from assistant.errors import ConfigurationError


@dataclass(frozen=True)
class GroupGrant:
    group: str
    units: tuple[str, ...] = ()
    roles: tuple[str, ...] = ()


@dataclass(frozen=True)
class DirectoryIdentity:
    """A person the directory vouched for: name, display name, groups, and whether the directory disabled them."""

    username: str
    display_name: str
    groups: frozenset[str]
    source: str  # "ldap" or "oidc"
    disabled: bool = False


@dataclass(frozen=True)
class Grant:
    units: tuple[str, ...]
    roles: tuple[str, ...]


def normalize_group(name: str) -> str:
    """Case-insensitive, and ``cn = A , ou=B`` equal to ``cn=a,ou=b``."""
    return re.sub(r"\s*([,=])\s*", r"\1", name.strip()).lower()


class DirectoryMap:
    """Validated grants by normalised group name."""

    def __init__(self, grants: Iterable[GroupGrant]) -> None:
        self._grants: dict[str, list[GroupGrant]] = {}
        for grant in grants:
            if not grant.group.strip():
                raise ValueError("a mapping entry needs a non-empty group")
            if not grant.units and not grant.roles:
                raise ValueError(f"the entry of group '{grant.group}' grants neither units nor roles")
            self._grants.setdefault(normalize_group(grant.group), []).append(grant)

    @classmethod
    def load(cls, path: Path, tree: UnitTree) -> DirectoryMap:
        """Read the YAML file; unknown units or roles are refused with the file and entry named."""
        try:
            raw = yaml.safe_load(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise ConfigurationError(
                f"Không tìm thấy tệp ánh xạ nhóm thư mục {path}. Đặt ASSISTANT_DIRECTORY_MAP_FILE trỏ tới tệp YAML."
            ) from None
        except (yaml.YAMLError, UnicodeDecodeError) as exc:
            raise ConfigurationError(f"Tệp ánh xạ nhóm thư mục {path} không đọc được: {exc}") from exc
        entries = raw.get("groups") if isinstance(raw, dict) else None
        if not isinstance(entries, list) or not all(isinstance(e, dict) for e in entries):
            raise ConfigurationError(f"{path}: cần khóa 'groups' là danh sách các mục {{group, units, roles}}")
        grants = []
        for number, entry in enumerate(entries, start=1):
            try:
                units = tree.check(_strings(entry.get("units")))
                roles = check_roles(_strings(entry.get("roles"))) if entry.get("roles") else ()
            except AccountError as exc:
                raise ConfigurationError(f"{path}, mục {number} ({entry.get('group')}): {exc}") from exc
            grants.append(GroupGrant(group=str(entry.get("group") or ""), units=units, roles=roles))
        try:
            return cls(grants)
        except ValueError as exc:
            raise ConfigurationError(f"{path}: {exc}") from exc

    def __len__(self) -> int:
        return sum(len(g) for g in self._grants.values())

    def resolve(self, groups: Iterable[str]) -> Grant | None:
        """The units and roles of a member of ``groups``; None when no entry matches or no role is granted."""
        units: dict[str, None] = {}
        roles: dict[str, None] = {}
        for group in sorted({normalize_group(g) for g in groups}):
            for grant in self._grants.get(group, []):
                units.update(dict.fromkeys(grant.units))
                roles.update(dict.fromkeys(grant.roles))
        if not roles:
            return None
        return Grant(units=tuple(units), roles=tuple(roles))


def _strings(value: object) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [str(v) for v in value]
    raise AccountError(f"cần một danh sách, không phải {value!r}")
