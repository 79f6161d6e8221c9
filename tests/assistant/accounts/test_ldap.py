"""LDAP logins against a real OpenLDAP server (Debian's slapd) started on loopback in a temporary folder.

The directory holds people, groups (groupOfNames) and a service account; the map file sends the staff group to
unit SXD with role staff and the admins group to role admin. Skipped when slapd or ldapadd is not installed
(``make test`` installs the ``slapd`` and ``ldap-utils`` packages).
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from pydantic import SecretStr

from assistant.accounts.errors import DirectoryAccessDenied, DirectoryUnavailable, InvalidCredentials
from assistant.accounts.service import AccountService
from assistant.api.app import create_app
from assistant.service import AssistantService
from assistant.settings import Settings

pytestmark = pytest.mark.ldap

SUFFIX = "dc=langson,dc=gov,dc=vn"
ROOT_DN, ROOT_PASSWORD = f"cn=admin,{SUFFIX}", "mat-khau-goc-thu-muc"
SERVICE_DN, SERVICE_PASSWORD = f"cn=tro-ly,ou=services,{SUFFIX}", "mat-khau-dich-vu-tro-ly"
PASSWORDS = {"lan": "lan-dang-nhap-thu-muc", "hung": "hung-quan-tri-thu-muc", "tuan": "tuan-ke-toan-thu-muc",
             "khoa": "khoa-bi-khoa-thu-muc", "local": "mat-khau-thu-muc-khac"}  # fmt: skip
MAP_YAML = f"""
groups:
  - group: cn=staff-sxd,ou=groups,{SUFFIX}
    units: [SXD]
    roles: [staff]
  - group: "CN = Admins , ou=groups,{SUFFIX}"   # compared without case and spaces
    roles: [admin]
"""


def person(uid: str, name: str, extra: str = "") -> str:
    return (
        f"dn: uid={uid},ou=people,{SUFFIX}\nobjectClass: inetOrgPerson\nuid: {uid}\ncn: {name}\nsn: {name.split()[0]}\n"
        f"displayName: {name}\nuserPassword: {PASSWORDS[uid]}\n{extra}\n"
    )


def group(cn: str, *members: str) -> str:
    lines = "".join(f"member: uid={m},ou=people,{SUFFIX}\n" for m in members)
    return f"dn: cn={cn},ou=groups,{SUFFIX}\nobjectClass: groupOfNames\ncn: {cn}\n{lines}\n"


LDIF = (
    f"dn: {SUFFIX}\nobjectClass: dcObject\nobjectClass: organization\no: Lang Son\ndc: langson\n\n"
    + "".join(
        f"dn: ou={ou},{SUFFIX}\nobjectClass: organizationalUnit\nou: {ou}\n\n"
        for ou in ("people", "groups", "services")
    )
    + f"dn: {SERVICE_DN}\nobjectClass: organizationalRole\nobjectClass: simpleSecurityObject\ncn: tro-ly\n"
    f"userPassword: {SERVICE_PASSWORD}\n\n"
    + person("lan", "Nguyễn Thị Lan")
    + person("hung", "Trần Văn Hùng")
    + person("tuan", "Lê Tuấn")
    + person("khoa", "Phạm Khoa", "pwdAccountLockedTime: 000001010000Z\n")  # locked (disabled) by the directory
    + person("local", "Tài Khoản Cục Bộ")
    + group("staff-sxd", "lan", "khoa", "local")
    + group("admins", "hung")
    + group("ke-toan", "tuan")  # in no mapped group
)
SLAPD_CONF = """include /etc/ldap/schema/core.schema
include /etc/ldap/schema/cosine.schema
include /etc/ldap/schema/inetorgperson.schema
modulepath /usr/lib/ldap
moduleload back_mdb
moduleload ppolicy
pidfile {root}/slapd.pid
database mdb
suffix "{suffix}"
rootdn "{root_dn}"
rootpw {root_password}
directory {root}/db
overlay ppolicy
access to attrs=userPassword by self =xw by anonymous auth by * none
access to * by * read
"""


def binary(name: str) -> str | None:
    return shutil.which(name) or next((p for p in (f"/usr/sbin/{name}", f"/usr/bin/{name}") if Path(p).exists()), None)


@pytest.fixture(scope="module")
def directory(free_port: Callable[[], int]) -> Iterator[str]:
    """A running slapd with LDIF loaded; yields its ldap:// URL and always stops it."""
    slapd, ldapadd = binary("slapd"), binary("ldapadd")
    if slapd is None or ldapadd is None or not Path("/usr/lib/ldap").is_dir():
        pytest.skip("OpenLDAP not installed (Debian packages 'slapd' and 'ldap-utils'; `make test` installs them)")
    root = Path(tempfile.mkdtemp(prefix="assistant-ldap-"))
    (root / "db").mkdir()
    conf = root / "slapd.conf"
    conf.write_text(
        SLAPD_CONF.format(root=root, suffix=SUFFIX, root_dn=ROOT_DN, root_password=ROOT_PASSWORD), encoding="utf-8"
    )
    url = f"ldap://127.0.0.1:{free_port()}"
    log = (root / "slapd.log").open("wb")
    process = subprocess.Popen([slapd, "-f", str(conf), "-h", f"{url}/", "-d", "0"], stdout=log, stderr=log)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with socket.create_connection(("127.0.0.1", int(url.rsplit(":", 1)[1])), timeout=1):
                    break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(f"slapd did not start:\n{(root / 'slapd.log').read_text(errors='replace')}")
                time.sleep(0.1)
        subprocess.run([ldapadd, "-x", "-H", url, "-D", ROOT_DN, "-w", ROOT_PASSWORD], input=LDIF.encode("utf-8"),
                       check=True, capture_output=True, timeout=60)  # fmt: skip
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)
        log.close()
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture(params=["search-then-bind", "dn-template"])
def ldap_settings(
    request: pytest.FixtureRequest, account_settings: Settings, directory: str, tmp_path: Path
) -> Settings:
    map_file = tmp_path / "directory-map.yaml"
    map_file.write_text(MAP_YAML, encoding="utf-8")
    changes: dict[str, object] = {"ldap_url": directory, "directory_map_file": map_file}
    if request.param == "search-then-bind":
        changes |= {"ldap_bind_dn": SERVICE_DN, "ldap_bind_password": SecretStr(SERVICE_PASSWORD),
                    "ldap_user_base_dn": f"ou=people,{SUFFIX}",
                    "ldap_group_base_dn": f"ou=groups,{SUFFIX}"}  # fmt: skip
    else:
        changes |= {"ldap_user_dn_template": f"uid={{username}},ou=people,{SUFFIX}",
                    "ldap_group_base_dn": f"ou=groups,{SUFFIX}"}  # fmt: skip
    return account_settings.model_copy(update=changes)


@pytest.fixture
def accounts(ldap_settings: Settings) -> Iterator[AccountService]:
    service = AccountService(ldap_settings)
    service.open(bootstrap=False)
    yield service
    service.close()


def test_a_directory_login_maps_groups_to_units_and_roles(accounts: AccountService) -> None:
    issued = accounts.login("Lan", PASSWORDS["lan"], client="10.0.0.5")
    user = accounts.authenticate_token(issued.token)
    assert (user.username, user.display_name, user.roles, user.units) == ("lan", "Nguyễn Thị Lan", ("staff",), ("SXD",))
    assert accounts.principal_of(user).unit_scope == {"SXD", "SXD-QLXD", "SXD-QLXD-TO1"}
    admin = accounts.authenticate_token(accounts.login("hung", PASSWORDS["hung"]).token)
    assert admin.roles == ("admin",) and admin.units == ()
    # the local record has no password: the directory stays the only way in, and it is refreshed at each login
    assert accounts.users.authenticate("lan", PASSWORDS["lan"]) is None
    assert accounts.users.is_directory_account("lan")
    again = accounts.authenticate_token(accounts.login("lan", PASSWORDS["lan"]).token)
    assert again.id == user.id and len(accounts.users.list()) == 2
    events = [(e["user"], e["action"], e["detail"].get("source")) for e in accounts.audit.events()]
    assert events.count(("lan", "login.success", "ldap")) == 2


@pytest.mark.parametrize(
    ("username", "password", "refusal"),
    [
        ("lan", "mat-khau-sai-hoan-toan", InvalidCredentials),  # wrong password
        ("lan", "", InvalidCredentials),  # an empty password would be an anonymous bind
        ("khong-co-ai", "mat-khau-sai-hoan-toan", InvalidCredentials),  # unknown
        ("khoa", PASSWORDS["khoa"], InvalidCredentials),  # disabled in the directory (pwdAccountLockedTime)
        ("tuan", PASSWORDS["tuan"], DirectoryAccessDenied),  # in no mapped group
        ("lan)(uid=*", PASSWORDS["lan"], InvalidCredentials),  # filter injection finds nobody
    ],
)
def test_refused_directory_logins(
    accounts: AccountService, username: str, password: str, refusal: type[Exception]
) -> None:
    with pytest.raises(refusal):
        accounts.login(username, password)
    assert accounts.users.list() == []
    [event] = list(accounts.audit.events())
    assert event["action"] == "login.failure"


def test_a_local_account_is_tried_first_and_never_taken_over(accounts: AccountService) -> None:
    accounts.users.add("local", roles=["inspector"], password="mat-khau-cuc-bo-rieng")
    assert accounts.login("local", "mat-khau-cuc-bo-rieng").user.roles == ("inspector",)
    with pytest.raises(InvalidCredentials):  # the directory password of the same name does not log in
        accounts.login("local", PASSWORDS["local"])
    assert accounts.users.require("local").roles == ("inspector",)


def test_a_locally_disabled_directory_account_stays_out(accounts: AccountService) -> None:
    accounts.login("lan", PASSWORDS["lan"])
    accounts.users.set_disabled("lan")
    with pytest.raises(InvalidCredentials):
        accounts.login("lan", PASSWORDS["lan"])


def test_an_unreachable_directory_is_503_not_a_wrong_password(
    accounts: AccountService, free_port: Callable[[], int]
) -> None:
    accounts.ldap.settings = accounts.settings.model_copy(update={"ldap_url": f"ldap://127.0.0.1:{free_port()}"})  # type: ignore[union-attr]
    with pytest.raises(DirectoryUnavailable, match="Không kết nối được máy chủ thư mục"):
        accounts.login("lan", PASSWORDS["lan"])


def test_the_api_logs_a_directory_user_in(ldap_settings: Settings, service: AssistantService) -> None:
    settings = ldap_settings.model_copy(update={"allow_anonymous": False})
    with TestClient(create_app(settings, service=service)) as client:
        login = client.post("/v1/auth/login", json={"username": "lan", "password": PASSWORDS["lan"]})
        assert login.status_code == 200, login.text
        assert login.json()["user"]["units"] == ["SXD"] and login.json()["user"]["roles"] == ["staff"]
        headers = {"Authorization": f"Bearer {login.json()['token']}"}
        assert client.get("/v1/me", headers=headers).json()["username"] == "lan"
        wrong = client.post("/v1/auth/login", json={"username": "lan", "password": "mat-khau-sai-hoan-toan"})
        assert wrong.status_code == 401
        unmapped = client.post("/v1/auth/login", json={"username": "tuan", "password": PASSWORDS["tuan"]})
        assert unmapped.status_code == 403 and "chưa thuộc nhóm nào" in unmapped.json()["error"]["message"]
        disabled = client.post("/v1/auth/login", json={"username": "khoa", "password": PASSWORDS["khoa"]})
        assert disabled.status_code == 401 and disabled.text == wrong.text
