"""Accounts and access: users, roles, units, API tokens, audit log, feedback — one SQLAlchemy store."""

from assistant.accounts.models import ROLES
from assistant.accounts.service import AccountService
from assistant.accounts.units import UnitTree

__all__ = ["ROLES", "AccountService", "UnitTree"]
