"""Password logins against LDAP / Active Directory (ldap3): bind as the user, read the entry and its groups.

Two ways to find the user's entry: a DN template (``uid={username},ou=people,…``: bind directly as the user) or a
service account (``ldap_bind_dn``) that searches ``ldap_user_base_dn`` with ``ldap_user_filter`` and then binds as
the entry found. Groups are the entry's ``memberOf`` values plus, when ``ldap_group_base_dn`` is set, the groups
there that name the user as ``member``, ``uniqueMember`` or ``memberUid``. An account is disabled in the directory
when Active Directory's ``userAccountControl`` has ACCOUNTDISABLE (2), OpenLDAP's ppolicy ``pwdAccountLockedTime``
is set, or 389-DS/FreeIPA's ``nsAccountLock`` is true.
"""

from __future__ import annotations

import logging
import math
import ssl
from typing import Any

from ldap3 import BASE, NONE, SUBTREE, Connection, Server, Tls
from ldap3.core.exceptions import LDAPException
from ldap3.utils.conv import escape_filter_chars
from ldap3.utils.dn import escape_rdn

from assistant.accounts.directory_map import DirectoryIdentity
from assistant.accounts.errors import DirectoryUnavailable
from assistant.settings import Settings

logger = logging.getLogger(__name__)

ACCOUNTDISABLE = 0x2
MAX_USERNAME = 64
MAX_PASSWORD = 1024


class LdapDirectory:
    """Cheap to construct; every ``authenticate`` opens its own short connections (no pool, no state)."""

    def __init__(self, settings: Settings) -> None:
        if not settings.ldap_url:
            raise ValueError("LdapDirectory needs settings.ldap_url")
        self.settings = settings
        self.display_attribute = settings.ldap_display_name_attribute
        self.attributes = [
            self.display_attribute, "cn", "memberOf", "userAccountControl", "pwdAccountLockedTime", "nsAccountLock",
        ]  # fmt: skip

    def _server(self) -> Server:
        s = self.settings
        url = str(s.ldap_url)
        tls = None
        if url.lower().startswith("ldaps://") or s.ldap_start_tls:
            ca = str(s.ldap_ca_file) if s.ldap_ca_file else None
            tls = Tls(validate=ssl.CERT_REQUIRED, ca_certs_file=ca, version=ssl.PROTOCOL_TLS_CLIENT)
        return Server(url, get_info=NONE, tls=tls, connect_timeout=s.ldap_timeout_seconds)

    def _bind(self, server: Server, dn: str, password: str) -> Connection | None:
        """A bound connection, or None when the directory refuses the credentials."""
        timeout = max(1, math.ceil(self.settings.ldap_timeout_seconds))  # ldap3 packs it as whole seconds
        conn = Connection(server, user=dn, password=password, receive_timeout=timeout)
        conn.open()
        if self.settings.ldap_start_tls:
            conn.start_tls()
        if not conn.bind():
            conn.unbind()
            return None
        return conn

    def authenticate(self, username: str, password: str) -> DirectoryIdentity | None:
        """The directory's view of ``username`` when ``password`` binds; None for unknown users or wrong passwords.

        A directory-disabled account comes back with ``disabled=True`` (the caller refuses it and audits why).
        DirectoryUnavailable when the server cannot be reached or the service account cannot bind.
        """
        username = username.strip().lower()
        if not username or len(username) > MAX_USERNAME or not password or len(password) > MAX_PASSWORD:
            return None  # an empty password would be an anonymous bind: never a login
        s = self.settings
        try:
            server = self._server()
            if s.ldap_bind_dn:
                service = self._bind(server, s.ldap_bind_dn, s.ldap_bind_password.get_secret_value())
                if service is None:
                    logger.error("the LDAP service account %s could not bind", s.ldap_bind_dn)
                    raise DirectoryUnavailable("máy chủ thư mục (LDAP)")
                try:
                    found = self._find_user(service, username)
                    if found is None:
                        return None
                    dn, attributes = found
                    user = self._bind(server, dn, password)
                    if user is None:
                        return None
                    user.unbind()
                    groups = self._groups(service, dn, username, attributes)
                finally:
                    service.unbind()
            else:
                dn = str(s.ldap_user_dn_template).format(username=escape_rdn(username))
                user = self._bind(server, dn, password)
                if user is None:
                    return None
                try:
                    attributes = self._read(user, dn, BASE, "(objectClass=*)").get(dn.lower(), {})
                    groups = self._groups(user, dn, username, attributes)
                finally:
                    user.unbind()
        except LDAPException as exc:
            logger.error("LDAP login of %s failed: %s", username, exc)
            raise DirectoryUnavailable("máy chủ thư mục (LDAP)") from exc
        display = _first(attributes.get(self.display_attribute.lower())) or _first(attributes.get("cn")) or username
        return DirectoryIdentity(
            username=username, display_name=display, groups=frozenset(groups), source="ldap",
            disabled=_disabled(attributes),
        )  # fmt: skip

    def _find_user(self, conn: Connection, username: str) -> tuple[str, dict[str, list[str]]] | None:
        query = self.settings.ldap_user_filter.format(username=escape_filter_chars(username))
        entries = self._read(conn, self.settings.ldap_user_base_dn, SUBTREE, query)
        if len(entries) != 1:
            if len(entries) > 1:
                logger.warning("LDAP filter %s matched %d entries; refusing the login", query, len(entries))
            return None
        [attributes] = entries.values()
        return attributes["__dn__"][0], attributes

    def _read(self, conn: Connection, base: str, scope: str, query: str) -> dict[str, dict[str, list[str]]]:
        """Entries by lower-case DN, their attributes by lower-case name (values decoded as UTF-8)."""
        conn.search(base, query, search_scope=scope, attributes=self.attributes, size_limit=2)
        entries: dict[str, dict[str, list[str]]] = {}
        for item in conn.response or []:
            if item.get("type") != "searchResEntry":
                continue
            raw: dict[str, Any] = item.get("raw_attributes") or {}
            attributes = {k.lower(): [_text(v) for v in values] for k, values in raw.items()}
            attributes["__dn__"] = [str(item["dn"])]
            entries[str(item["dn"]).lower()] = attributes
        return entries

    def _groups(self, conn: Connection, dn: str, username: str, attributes: dict[str, list[str]]) -> set[str]:
        groups = set(attributes.get("memberof", []))
        base = self.settings.ldap_group_base_dn
        if base:
            query = "(|(member={dn})(uniqueMember={dn})(memberUid={uid}))".format(
                dn=escape_filter_chars(dn), uid=escape_filter_chars(username)
            )
            conn.search(base, query, search_scope=SUBTREE, attributes=[], size_limit=500)
            groups |= {str(item["dn"]) for item in conn.response or [] if item.get("type") == "searchResEntry"}
        return groups


def _text(value: bytes | str) -> str:
    return value.decode("utf-8", "replace") if isinstance(value, bytes) else str(value)


def _first(values: list[str] | None) -> str:
    return values[0].strip() if values else ""


def _disabled(attributes: dict[str, list[str]]) -> bool:
    control = _first(attributes.get("useraccountcontrol"))
    if control.lstrip("-").isdigit() and int(control) & ACCOUNTDISABLE:
        return True
    if _first(attributes.get("pwdaccountlockedtime")):
        return True
    return _first(attributes.get("nsaccountlock")).lower() == "true"
