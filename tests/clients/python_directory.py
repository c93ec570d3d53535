"""The directory through Arize's newest Python SDK (`arize` 8.61), against a Keydesk set up from empty.

Run by tests/newest-clients-directory.test.ts against server.ts started with KEYDESK_DEMO=0, after the
setup link: users in each invite mode, organizations and spaces, memberships with roles, roles, audit
logs (filtered by `operation_name`, as the SDK sends it), service keys listed with their `bot_user`,
and the parts Keydesk does not support (custom roles, role bindings) as clear 422s. It talks to Keydesk
only through the SDK. Every check raises on failure; the last line of stdout is a JSON summary.

Environment: KEYDESK_URL (http://host:port), KEYDESK_ADMIN_KEY (the first admin's key),
KEYDESK_ADMIN_USER_ID, KEYDESK_PREFIX (names made here start with it).
"""

from __future__ import annotations

import json
import logging
import os
from urllib.parse import urlparse

from arize import ArizeClient
from arize._generated.api_client import exceptions as api_exceptions
from arize.organizations.types import PredefinedOrgRole
from arize.spaces.types import CustomSpaceRole, PredefinedSpaceRole
from arize.users.types import PredefinedUserRole
from arize.version import __version__ as SDK_VERSION

logging.disable(logging.WARNING)  # the SDK's one-time ALPHA/BETA notices

env = os.environ
URL = urlparse(env["KEYDESK_URL"])
P = env["KEYDESK_PREFIX"]
DOMAIN = f"{P.lower()}.initech.example"
checks: list[str] = []


def check(condition: bool, what: str) -> None:
    if not condition:
        raise AssertionError(f"arize {SDK_VERSION} directory: {what}")
    checks.append(what)


def raises(kind: type[BaseException], call, what: str) -> BaseException:
    try:
        call()
    except kind as error:  # noqa: PERF203
        check(True, what)
        return error
    except Exception as error:  # noqa: BLE001
        raise AssertionError(f"arize {SDK_VERSION} directory: {what}: raised {type(error).__name__}: {error}") from None
    raise AssertionError(f"arize {SDK_VERSION} directory: {what}: nothing raised")


def plain(value: object) -> str:
    return str(getattr(value, "value", value))


def role_name(role: object) -> str:
    """A role as the SDK hands it back: a oneOf wrapper, a role object, or a string."""
    role = getattr(role, "actual_instance", None) or role
    return plain(getattr(role, "name", role))


def unwrap(value: object) -> object:
    return getattr(value, "actual_instance", None) or value


client = ArizeClient(api_key=env["KEYDESK_ADMIN_KEY"], api_host=URL.netloc, api_scheme=URL.scheme)
ada_id = env["KEYDESK_ADMIN_USER_ID"]

# ── organizations ─────────────────────────────────────────────────────────────────────────────────
orgs = client.organizations
org = orgs.create(name=f"{P} Engineering", description="Builders")
check(org.name == f"{P} Engineering" and org.description == "Builders", "organizations.create")
check(org.id in [o.id for o in orgs.list().organizations], "organizations.list")
check(orgs.list(name=f"{P} Engineering").organizations[0].id == org.id, "organizations.list(name=…)")
check(orgs.get(organization=org.id).id == org.id, "organizations.get by id")
check(orgs.get(organization=f"{P} Engineering").id == org.id, "organizations.get by name")
renamed = orgs.update(organization=org.id, name=f"{P} Platform", description="Makers")
check(renamed.name == f"{P} Platform" and renamed.description == "Makers", "organizations.update renames")
raises(api_exceptions.ConflictException, lambda: orgs.create(name=f"{P} Platform"), "organizations.create: a taken name is 409")

# ── spaces ────────────────────────────────────────────────────────────────────────────────────────
spaces = client.spaces
private = spaces.create(name=f"{P} Prod", organization_id=org.id, description="Live", is_private=True)
check(private.is_private is True, "spaces.create is_private=True reads back private")
check(spaces.get(space=private.id).is_private is True, "spaces.get: still private")
check(spaces.get(space=f"{P} Prod").id == private.id, "spaces.get by name")
listed = spaces.list(organization_id=org.id)
check([s.name for s in listed.spaces] == [f"{P} Prod"], "spaces.list(organization_id=…)")
public = spaces.update(space=private.id, name=f"{P} Production", is_private=False)
check(public.name == f"{P} Production" and public.is_private is False, "spaces.update: rename, is_private=False")
scratch = spaces.create(name=f"{P} Scratch", organization_id=org.id)
spaces.delete(space=scratch.id)
raises(api_exceptions.NotFoundException, lambda: spaces.get(space=scratch.id), "spaces.delete: then 404")

# ── users, in each invite mode ────────────────────────────────────────────────────────────────────
users = client.users
temp = users.create(
    name="Tess Temp", email=f"tess@{DOMAIN}", role=PredefinedUserRole(name="MEMBER"), invite_mode="TEMPORARY_PASSWORD"
)
check(plain(temp.status) == "INVITED" and role_name(temp.role) == "MEMBER", "users.create TEMPORARY_PASSWORD: INVITED member")
check(isinstance(temp.temporary_password, str) and len(temp.temporary_password) >= 12, "users.create: the temporary password, once")
linked = users.create(name="Lin Link", email=f"lin@{DOMAIN}", role=PredefinedUserRole(name="ADMIN"), invite_mode="EMAIL_LINK")
check(plain(linked.status) == "INVITED" and plain(linked.invite_mode) == "EMAIL_LINK", "users.create EMAIL_LINK")
again = users.create(name="Lin Link", email=f"LIN@{DOMAIN}", role=PredefinedUserRole(name="ADMIN"), invite_mode="EMAIL_LINK")
check(again.id == linked.id and again.temporary_password is None, "users.create: idempotent by email")
dee = users.create(name="Dee Direct", email=f"dee@{DOMAIN}", role=PredefinedUserRole(name="MEMBER"), invite_mode="NONE")
check(plain(dee.status) == "ACTIVE", "users.create NONE: ACTIVE")
raises(
    api_exceptions.UnprocessableEntityException,
    lambda: users.create(name="An", email=f"an@{DOMAIN}", role=PredefinedUserRole(name="ANNOTATOR"), invite_mode="NONE"),
    "users.create ANNOTATOR: 422 not supported",
)
invited = users.list(status=["INVITED"], email=DOMAIN)
check(sorted(u.email for u in invited.users) == [f"lin@{DOMAIN}", f"tess@{DOMAIN}"], "users.list(status=INVITED)")
check(users.get(user=f"DEE@{DOMAIN}").id == dee.id, "users.get by email")
check(role_name(users.get(user=ada_id).role) == "ADMIN", "users.get by id: role object")
check(users.update(user_id=dee.id, name="Dee D. Direct").name == "Dee D. Direct", "users.update name")
users.resend_invitation(user_id=linked.id)
check(True, "users.resend_invitation")
raises(api_exceptions.BadRequestException, lambda: users.reset_password(user_id=dee.id), "users.reset_password without SMTP: 400")
users.delete(user_id=temp.id)
raises(api_exceptions.NotFoundException, lambda: users.get(user=temp.id), "users.delete blocks: then 404 to generation D")
check(temp.id not in [u.id for u in users.list(email=DOMAIN).users], "users.list: the blocked person is gone")
raises(api_exceptions.ForbiddenException, lambda: users.delete(user_id=ada_id), "users.delete yourself: 403")

# ── memberships ───────────────────────────────────────────────────────────────────────────────────
raises(
    api_exceptions.BadRequestException,
    lambda: spaces.add_user(space=private.id, user_id=dee.id, role=PredefinedSpaceRole(name="MEMBER")),
    "spaces.add_user before the organization: 400",
)
member = orgs.add_user(organization=org.id, user_id=dee.id, role=PredefinedOrgRole(name="READ_ONLY"))
check(member.user_id == dee.id and role_name(member.role) == "READ_ONLY", "organizations.add_user READ_ONLY")
upserted = orgs.add_user(organization=f"{P} Platform", user_id=dee.id, role=PredefinedOrgRole(name="MEMBER"))
check(role_name(upserted.role) == "MEMBER", "organizations.add_user again: upsert to MEMBER (organization by name)")
in_space = spaces.add_user(space=private.id, user_id=dee.id, role=PredefinedSpaceRole(name="ADMIN"))
check(in_space.space_id == private.id and role_name(in_space.role) == "ADMIN", "spaces.add_user ADMIN")
raises(
    api_exceptions.UnprocessableEntityException,
    lambda: spaces.add_user(space=private.id, user_id=dee.id, role=CustomSpaceRole(id="Um9sZToxMjM=")),
    "spaces.add_user with a custom role: 422",
)
spaces.remove_user(space=private.id, user_id=dee.id)
raises(
    api_exceptions.NotFoundException,
    lambda: spaces.remove_user(space=private.id, user_id=dee.id),
    "spaces.remove_user twice: 404",
)
orgs.remove_user(organization=org.id, user_id=dee.id)
check(True, "organizations.remove_user")

# ── roles, role bindings ──────────────────────────────────────────────────────────────────────────
roles = client.roles.list()
check([plain(r.name) for r in roles.roles] == ["ADMIN", "MEMBER", "READ_ONLY"], "roles.list: the predefined roles")
check(all(r.is_predefined for r in roles.roles), "roles.list: all predefined")
error = raises(
    api_exceptions.UnprocessableEntityException,
    lambda: client.roles.create(name="Data Scientist", permissions=["PROJECT_READ"]),
    "roles.create: 422",
)
check("not supported" in str(error.body), "roles.create: the detail says not supported")

# ── service keys listed with their bot user (8.61's api_keys docs) ────────────────────────────────
import arize.api_keys.types as key_types  # noqa: E402
from arize._generated.api_client import models  # noqa: E402

service = unwrap(
    client.api_keys.create_service_key(
        name=f"{P} deployer",
        orgs=[
            key_types.OrgBinding(
                org_id=org.id,
                role=models.OrganizationRoleAssignmentRequest(
                    models.OrganizationPredefinedRoleAssignmentRequest(type="PREDEFINED", name="MEMBER")
                ),
                spaces=[
                    key_types.SpaceBinding(
                        space=private.id,
                        role=models.SpaceRoleAssignmentRequest(
                            models.PredefinedRoleAssignmentRequest(type="PREDEFINED", name="ADMIN")
                        ),
                    )
                ],
            )
        ],
    )
)
listed_keys = [unwrap(k) for k in client.api_keys.list(key_type="SERVICE").api_keys]
mine = next(k for k in listed_keys if k.id == service.id)
bot = mine.bot_user
check(bot is not None and bot.id == service.bot_user.id, "api_keys.list: each service key has its bot_user")
check(
    [(o.org_id, role_name(o.role), [(s.space_id, role_name(s.role)) for s in o.spaces]) for o in bot.organizations]
    == [(org.id, "MEMBER", [(private.id, "ADMIN")])],
    "api_keys.list: bot_user's organizations and spaces with their roles",
)
check(role_name(bot.account_role) == "MEMBER", "api_keys.list: bot_user's account role")
raises(
    api_exceptions.UnprocessableEntityException,
    lambda: client.role_bindings.create(
        user_id=bot.id, role_id="Um9sZToxMjM=", resource_type="SPACE", resource_id=private.id
    ),
    "role_bindings.create for the bot user: 422 not supported",
)
client.api_keys.revoke(api_key_id=service.id)

# ── audit logs ────────────────────────────────────────────────────────────────────────────────────
logs = client.audit_logs.list(operation_type="MUTATION", limit=100)
names = [entry.operation_name for entry in logs.logs]
for op in ("create_organization", "create_space", "create_user", "add_space_user", "remove_organization_user", "delete_user"):
    check(op in names, f"audit_logs.list: {op}")
created_at = [entry.created_at for entry in logs.logs]
check(created_at == sorted(created_at, reverse=True), "audit_logs.list: newest first")
only = client.audit_logs.list(operation_names=["create_space"], limit=100)
check(
    len(only.logs) >= 2 and {e.operation_name for e in only.logs} == {"create_space"},
    "audit_logs.list(operation_names=[create_space]): only those",
)
check("correct horse" not in json.dumps([e.to_dict() if hasattr(e, "to_dict") else str(e) for e in logs.logs], default=str), "audit_logs: no password")

# ── deleting, at the end ──────────────────────────────────────────────────────────────────────────
spaces.delete(space=private.id)
orgs.delete(organization=org.id)
raises(api_exceptions.NotFoundException, lambda: orgs.get(organization=org.id), "organizations.delete: then 404")

print(json.dumps({"version": SDK_VERSION, "checks": len(checks)}))
