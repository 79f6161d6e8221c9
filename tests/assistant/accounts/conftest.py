"""An opened accounts store in a temporary folder, over a unit tree with a department that has sub-units."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from assistant.accounts.service import AccountService
from assistant.settings import Settings

UNITS_YAML = """
- {code: LANGSON, name: Tỉnh Lạng Sơn, parent: null, kind: province}
- {code: SXD, name: Sở Xây dựng, parent: LANGSON, kind: department}
- {code: SXD-QLXD, name: Phòng Quản lý xây dựng, parent: SXD, kind: office}
- {code: SXD-QLXD-TO1, name: Tổ thẩm định 1, parent: SXD-QLXD, kind: team}
- {code: SYT, name: Sở Y tế, parent: LANGSON, kind: department}
- {code: XA-CHILANG, name: UBND xã Chi Lăng, parent: LANGSON, kind: commune}
"""


@pytest.fixture
def units_file(tmp_path: Path) -> Path:
    path = tmp_path / "units.yaml"
    path.write_text(UNITS_YAML, encoding="utf-8")
    return path


@pytest.fixture
def account_settings(settings: Settings, units_file: Path) -> Settings:
    return settings.model_copy(update={"units_file": units_file})


@pytest.fixture
def accounts(account_settings: Settings) -> Iterator[AccountService]:
    service = AccountService(account_settings)
    service.open(bootstrap=False)
    yield service
    service.close()
