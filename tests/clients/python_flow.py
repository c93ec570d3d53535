"""The api-keys flow through one installed version of Arize's Python SDK (`arize`), against Keydesk.

Run by tests/clients.test.ts inside the virtual environment of one version. It talks to Keydesk only
through the SDK (`ArizeClient(...).api_keys`), except for `/v2/me`, which it calls with urllib to
check that a key authenticates. Every check raises on failure; the last line of stdout is a JSON
summary. Secrets come from the environment and are never printed.

Environment: KEYDESK_URL (http://host:port), KEYDESK_ADMIN_KEY and KEYDESK_MEMBER_KEY (keys of Ada
Admin and Max Member), KEYDESK_ADMIN_USER_ID, KEYDESK_PLATFORM_ID, KEYDESK_RESEARCH_ID,
KEYDESK_PRODUCTION_ID, KEYDESK_STAGING_ID, KEYDESK_EXPERIMENTS_ID.
"""

from __future__ import annotations

import json
import logging
import os
import sys
import urllib.error
import urllib.request
import uuid
from datetime import datetime, timedelta, timezone
from urllib.parse import urlparse

import arize
import arize.api_keys.types
from arize.version import __version__ as SDK_VERSION
from arize import ArizeClient
from arize._generated.api_client import exceptions as api_exceptions
from arize._generated.api_client import models

logging.disable(logging.WARNING)  # the SDK's one-time ALPHA/BETA notices

VERSION = tuple(int(part) for part in SDK_VERSION.split(".")[:3])
GEN = "D" if VERSION >= (8, 41) else "C" if VERSION >= (8, 40) else "B" if VERSION >= (8, 35) else "A"
UPPER = GEN in ("C", "D")
NONCE = uuid.uuid4().hex[:8]
env = os.environ
URL = urlparse(env["KEYDESK_URL"])
checks: list[str] = []


def check(condition: bool, what: str) -> None:
    if not condition:
        raise AssertionError(f"arize {SDK_VERSION}: {what}")
    checks.append(what)


def enum(value: str) -> str:
    """How this generation spells an enum value."""
    return value.replace("-", "_").upper() if UPPER else value


def plain(value: object) -> str:
    """An enum member or a string, as its wire value."""
    return str(getattr(value, "value", value))


def client(api_key: str) -> ArizeClient:
    # Pointed at Keydesk as the README says: the API host (with its port) and the scheme.
    return ArizeClient(api_key=api_key, api_host=URL.netloc, api_scheme=URL.scheme)


def me_status(key: str) -> int:
    request = urllib.request.Request(f"{env['KEYDESK_URL']}/v2/me", headers={"Authorization": f"Bearer {key}"})
    try:
        with urllib.request.urlopen(request) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def me(key: str) -> dict:
    request = urllib.request.Request(f"{env['KEYDESK_URL']}/v2/me", headers={"Authorization": f"Bearer {key}"})
    with urllib.request.urlopen(request) as response:
        return json.load(response)


def unwrap(value: object) -> object:
    """Generation D answers are oneOf wrappers in some versions; the payload is `actual_instance`."""
    return getattr(value, "actual_instance", None) or value


def raises(exception: type[BaseException], call, what: str) -> BaseException:
    try:
        call()
    except exception as error:  # noqa: BLE001
        check(True, what)
        return error
    except Exception as error:  # noqa: BLE001
        raise AssertionError(f"arize {SDK_VERSION}: {what}: raised {type(error).__name__}") from None
    raise AssertionError(f"arize {SDK_VERSION}: {what}: nothing raised")


def role(kind: str, name: str):
    """A generation D role assignment object of this version's models (request form where it has one)."""
    wrapper, inner = {
        "space": ("SpaceRoleAssignment", "PredefinedRoleAssignment"),
        "org": ("OrganizationRoleAssignment", "OrganizationPredefinedRoleAssignment"),
        "account": ("UserRoleAssignment", "PredefinedUserRoleAssignment"),
    }[kind]
    if hasattr(models, f"{wrapper}Request"):
        wrapper, inner = f"{wrapper}Request", f"{inner}Request"
    return getattr(models, wrapper)(getattr(models, inner)(type="PREDEFINED", name=name))


ada = client(env["KEYDESK_ADMIN_KEY"])
keys = ada.api_keys
future = datetime.now(timezone.utc) + timedelta(days=30)

# ── user key ──────────────────────────────────────────────────────────────────────────────────────
user_key = keys.create(name=f"py {SDK_VERSION} user {NONCE}", description="made by the Python SDK", expires_at=future)
check(user_key.key.startswith("ak-") and len(user_key.key) == 72, "create: the raw key has Arize's shape")
check(plain(user_key.key_type) == enum("user"), "create: key_type")
check(plain(user_key.status) == enum("active"), "create: status")
check(user_key.created_by_user_id == env["KEYDESK_ADMIN_USER_ID"], "create: created_by_user_id")
check(abs((user_key.expires_at - future).total_seconds()) < 1, "create: expires_at")
check(me_status(user_key.key) == 200, "create: the new key authenticates")
if GEN == "C":
    check(not hasattr(user_key, "redacted_key"), "create (C): no redacted_key in the answer")
else:
    check(user_key.redacted_key == f"{user_key.key[:6]}...{user_key.key[-3:]}", "create: redacted_key")

# ── list, with every filter ───────────────────────────────────────────────────────────────────────
listed = keys.list()
check(user_key.id in [unwrap(k).id for k in listed.api_keys], "list: the caller's user keys by default")
check(listed.pagination.has_more is False, "list: pagination")
by_type = keys.list(key_type=enum("user"))
check(user_key.id in [unwrap(k).id for k in by_type.api_keys], "list: key_type=user")
by_status = keys.list(status=enum("active"))
check(all(plain(unwrap(k).status) == enum("active") for k in by_status.api_keys), "list: status=active")
by_user = keys.list(user_id=env["KEYDESK_ADMIN_USER_ID"])
check(user_key.id in [unwrap(k).id for k in by_user.api_keys], "list: user_id (an account admin)")
extra = keys.create(name=f"py {SDK_VERSION} second {NONCE}")
page_one = keys.list(limit=1)
check(len(page_one.api_keys) == 1 and page_one.pagination.has_more, "list: limit=1 has more")
page_two = keys.list(limit=1, cursor=page_one.pagination.next_cursor)
check(len(page_two.api_keys) == 1 and unwrap(page_two.api_keys[0]).id != unwrap(page_one.api_keys[0]).id, "list: cursor")

# ── service keys in Production, by id and by name ─────────────────────────────────────────────────
service_ids: list[str] = []
for space in (env["KEYDESK_PRODUCTION_ID"], "Production"):
    how = "by id" if space != "Production" else "by name"
    if GEN == "D":
        created = keys.create_service_key(
            name=f"py {SDK_VERSION} service {how} {NONCE}",
            orgs=[
                arize.api_keys.types.OrgBinding(
                    org_id=env["KEYDESK_PLATFORM_ID"],
                    role=role("org", "MEMBER"),
                    spaces=[arize.api_keys.types.SpaceBinding(space=space, role=role("space", "ADMIN"))],
                )
            ],
            account_role=role("account", "MEMBER"),
        )
        created = unwrap(created)
        bot = created.bot_user
        check(bot is not None and len(bot.organizations) == 1, f"service key {how}: bot_user")
        check(plain(unwrap(bot.account_role).name) == "MEMBER", f"service key {how}: bot account role")
        check(plain(unwrap(bot.organizations[0].spaces[0].role).name) == "ADMIN", f"service key {how}: bot space role")
    else:
        created = keys.create_service_key(
            name=f"py {SDK_VERSION} service {how} {NONCE}",
            space=space,
            space_role=enum("admin"),
            org_role=enum("member"),
            account_role=enum("member"),
        )
    check(plain(created.key_type) == enum("service"), f"service key {how}: key_type")
    identity = me(created.key)
    check(identity["user"]["kind"] == "bot", f"service key {how}: acts as a bot")
    platform = next(o for o in identity["organizations"] if o["name"] == "Platform")
    check(platform["role"] == "member", f"service key {how}: organization role")
    check(next(s for s in platform["spaces"] if s["name"] == "Production")["role"] == "admin", f"service key {how}: space role")
    in_space = keys.list(space=space)
    check(created.id in [unwrap(k).id for k in in_space.api_keys], f"list: space {how}")
    service_ids.append(created.id)
check(service_ids[0] in [unwrap(k).id for k in keys.list(key_type=enum("service")).api_keys], "list: key_type=service")
check(
    service_ids[0] in [unwrap(k).id for k in keys.list(space="Production", user_id=env["KEYDESK_ADMIN_USER_ID"]).api_keys],
    "list: space + user_id (creator)",
)

if GEN == "D":
    # One service key, two organizations, three spaces: one bot user with a role in each.
    multi = unwrap(
        keys.create_service_key(
            name=f"py {SDK_VERSION} multi {NONCE}",
            orgs=[
                arize.api_keys.types.OrgBinding(
                    org_id=env["KEYDESK_PLATFORM_ID"],
                    spaces=[
                        arize.api_keys.types.SpaceBinding(space="Production", role=role("space", "READ_ONLY")),
                        arize.api_keys.types.SpaceBinding(space="Staging"),
                    ],
                ),
                arize.api_keys.types.OrgBinding(
                    org_id=env["KEYDESK_RESEARCH_ID"],
                    role=role("org", "MEMBER"),
                    spaces=[arize.api_keys.types.SpaceBinding(space=env["KEYDESK_EXPERIMENTS_ID"])],
                ),
            ],
        )
    )
    bot = multi.bot_user
    check(len(bot.organizations) == 2, "multi-space key: two organizations in bot_user")
    check(plain(unwrap(bot.organizations[0].role).name) == "READ_ONLY", "multi-space key: default organization role")
    check(
        [plain(unwrap(s.role).name) for s in bot.organizations[0].spaces] == ["READ_ONLY", "MEMBER"],
        "multi-space key: space roles (MEMBER by default)",
    )
    for space in ("Staging", "Experiments"):
        check(multi.id in [unwrap(k).id for k in keys.list(space=space).api_keys], f"multi-space key: listed in {space}")
    identity = me(multi.key)
    reached = sorted(s["name"] for o in identity["organizations"] for s in o["spaces"])
    check(reached == ["Experiments", "Production", "Staging"], "multi-space key: the bot reaches its three spaces")

# ── refresh with a grace period ───────────────────────────────────────────────────────────────────
sooner = future - timedelta(days=10)
refreshed = keys.refresh(api_key_id=user_key.id, grace_period_seconds=600, expires_at=sooner)
check(refreshed.id == user_key.id and refreshed.key != user_key.key, "refresh: same id, new secret")
check(abs((refreshed.expires_at - sooner).total_seconds()) < 1, "refresh: the new expiry")
check(me_status(user_key.key) == 200 and me_status(refreshed.key) == 200, "refresh: both secrets work during the grace")
if GEN in ("C", "D"):
    raises(
        api_exceptions.UnprocessableEntityException,
        lambda: keys.refresh(api_key_id=user_key.id),
        "refresh (C/D): lengthening a key's life is a 422",
    )
else:
    again = keys.refresh(api_key_id=user_key.id)
    check(me_status(refreshed.key) == 401 and me_status(again.key) == 200, "refresh without grace: the old secret stops")

# ── revoke (or delete) ────────────────────────────────────────────────────────────────────────────
remove = keys.delete if GEN == "A" else keys.revoke
remove(api_key_id=extra.id)
remove(api_key_id=extra.id)  # idempotent
check(me_status(extra.key) == 401, "revoke: the key stops at once")
gone_status = "deleted" if GEN == "A" else enum("revoked")
revoked = keys.list(status=gone_status)
check(
    [plain(unwrap(k).status) for k in revoked.api_keys if unwrap(k).id == extra.id] == [gone_status],
    f"list: status={gone_status} shows it as {gone_status}",
)

# ── the exceptions it raises ──────────────────────────────────────────────────────────────────────
bad = client(env["KEYDESK_ADMIN_KEY"][:-1] + ("B" if env["KEYDESK_ADMIN_KEY"].endswith("A") else "A"))
raises(api_exceptions.UnauthorizedException, lambda: bad.api_keys.list(), "401: UnauthorizedException")
max_keys = client(env["KEYDESK_MEMBER_KEY"]).api_keys
raises(
    api_exceptions.ForbiddenException,
    lambda: max_keys.list(user_id=env["KEYDESK_ADMIN_USER_ID"]),
    "403: ForbiddenException (another user's keys)",
)
missing = "QXBpS2V5OjAwMDAwMDAwLTAwMDAtNDAwMC04MDAwLTAwMDAwMDAwMDAwMA=="  # ApiKey:00000000-…
raises(api_exceptions.NotFoundException, lambda: remove(api_key_id=missing), "404: NotFoundException")
if GEN == "D":
    error = raises(
        api_exceptions.UnprocessableEntityException,
        lambda: max_keys.create_service_key(
            name="too strong",
            orgs=[
                arize.api_keys.types.OrgBinding(
                    org_id=env["KEYDESK_PLATFORM_ID"],
                    spaces=[arize.api_keys.types.SpaceBinding(space="Production", role=role("space", "ADMIN"))],
                )
            ],
        ),
        "role above the cap: UnprocessableEntityException (422)",
    )
else:
    error = raises(
        api_exceptions.BadRequestException,
        lambda: max_keys.create_service_key(name="too strong", space="Production", space_role=enum("admin")),
        "role above the cap: BadRequestException (400)",
    )
check("space_role" in str(error.body) and "Production" in str(error.body), "role above the cap: detail names scope and role")

print(json.dumps({"version": SDK_VERSION, "generation": GEN, "checks": len(checks)}))
