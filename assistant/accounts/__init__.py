"""Accounts and access: users, roles, units, API tokens and the audit log, in one SQLAlchemy store (which also
holds the API's feedback and ingest-job tables, see assistant.api.feedback_store and .job_store)."""

from assistant.accounts.models import ROLES
from assistant.accounts.service import AccountService
from assistant.accounts.units import UnitTree

__all__ = ["ROLES", "AccountService", "UnitTree"]
