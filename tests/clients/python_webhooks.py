"""Arize's webhooks API through Arize's Python SDK (`arize` 8.61, `client.webhooks`), against Keydesk.

Run by tests/webhooks-clients.test.ts. It creates, gets (by name), lists, updates, tests and deletes
webhooks and lists their delivery attempts, all through the SDK. The receiver is a real HTTP server in
this process, on loopback, so the signature of the test delivery is verified here with the secret the
create call returned — which is never printed. The last line of stdout is a JSON summary.

Environment: KEYDESK_URL, KEYDESK_ADMIN_KEY (Ada Admin's key), KEYDESK_MEMBER_KEY (Max Member's key).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import os
import threading
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlparse

from arize import ArizeClient
from arize._generated.api_client import exceptions as api_exceptions
from arize.version import __version__ as SDK_VERSION
from arize.webhooks.types import WebhookAuthType

logging.disable(logging.WARNING)  # the SDK's one-time ALPHA notices

env = os.environ
URL = urlparse(env["KEYDESK_URL"])
NONCE = uuid.uuid4().hex[:8]
checks: list[str] = []
received: list[dict] = []


def check(condition: bool, what: str) -> None:
    if not condition:
        raise AssertionError(f"arize {SDK_VERSION} webhooks: {what}")
    checks.append(what)


def client(api_key: str) -> ArizeClient:
    return ArizeClient(api_key=api_key, api_host=URL.netloc, api_scheme=URL.scheme)


class Receiver(BaseHTTPRequestHandler):
    def do_POST(self) -> None:  # noqa: N802
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        received.append({"path": self.path, "headers": {k.lower(): v for k, v in self.headers.items()}, "body": body})
        self.send_response(500 if self.path == "/fail" else 200)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


server = ThreadingHTTPServer(("127.0.0.1", 0), Receiver)
threading.Thread(target=server.serve_forever, daemon=True).start()
RECEIVER = f"http://127.0.0.1:{server.server_address[1]}"

admin = client(env["KEYDESK_ADMIN_KEY"]).webhooks
member = client(env["KEYDESK_MEMBER_KEY"]).webhooks

# Create (HMAC_SHA256): the secret comes once.
name = f"py hook {NONCE}"
created = admin.create(
    organization="Platform",
    name=name,
    url=f"{RECEIVER}/ok",
    description="made by arize",
    auth_type=WebhookAuthType.HMAC_SHA256,
    timeout_ms=5000,
)
secret = created.signing_secret or ""
check(secret.startswith("whsec_") and len(secret) > 40, "create answers a whsec_ signing secret")
check(created.signing_secret_hint == f"whsec_…{secret[-4:]}", "create answers the secret's hint")
check(created.auth_type == WebhookAuthType.HMAC_SHA256 and created.timeout_ms == 5000, "create keeps the fields")

# Get, by name within the organization (the SDK resolves both names through the list endpoints).
got = admin.get(webhook=name, organization="Platform")
check(got.id == created.id and got.url == f"{RECEIVER}/ok", "get by name finds it")
check(secret not in got.model_dump_json(), "get never shows the secret")

listed = admin.list(organization="Platform", name=NONCE)
check([w.id for w in listed.webhooks or []] == [created.id], "list by organization and name")
check(listed.pagination is not None and listed.pagination.has_more is False, "list's pagination")

updated = admin.update(webhook=created.id, description="updated by arize", timeout_ms=7000)
check(updated.description == "updated by arize" and updated.timeout_ms == 7000, "update changes what was given")
check(updated.name == name, "update keeps the rest")

# Test: a signed delivery to the receiver, verified with the secret from create.
outcome = admin.test(webhook=created.id)
check(outcome.status_code == 200 and outcome.error_message is None, "test answers the endpoint's 200")
signed = [r for r in received if r["path"] == "/ok"]
check(len(signed) == 1, "the receiver got the test delivery")
headers = signed[0]["headers"]
expected = hmac.new(secret.encode(), f"{headers['x-arize-webhook-timestamp']}.".encode() + signed[0]["body"], hashlib.sha256)
check(headers["x-arize-webhook-signature"] == f"v1={expected.hexdigest()}", "the signature verifies with the secret")
event_id = headers["x-arize-webhook-id"]
check(json.loads(signed[0]["body"])["id"] == event_id, "the body's id is the X-Arize-Webhook-Id")

attempts = admin.list_delivery_attempts(webhook=created.id)
first = (attempts.delivery_attempts or [None])[0]
check(first is not None and first.event_id == event_id, "delivery attempts list the test's event")
check(first is not None and first.attempt_number == 1 and first.status_code == 200, "the attempt's number and status")

# BEARER: the token goes verbatim as Authorization; a 500 is reported, not raised.
bearer = admin.create(organization="Platform", name=f"py bearer {NONCE}", url=f"{RECEIVER}/fail", auth_token="Bearer py-token")
check(bearer.signing_secret is None and bearer.auth_type == WebhookAuthType.BEARER, "BEARER has no secret")
failed = admin.test(webhook=bearer.id)
check(failed.status_code == 500 and bool(failed.error_message), "test answers the endpoint's 500")
check([r for r in received if r["path"] == "/fail"][0]["headers"]["authorization"] == "Bearer py-token", "token sent verbatim")

subscriptions = admin.list_subscriptions()
check(subscriptions.subscriptions is not None, "subscriptions list parses")

try:
    member.get(webhook=created.id)
    check(False, "a member may not read an organization's webhook")
except api_exceptions.ForbiddenException:
    check(True, "a member gets 403")

for webhook in (created, bearer):
    admin.delete(webhook=webhook.id)
try:
    admin.get(webhook=created.id)
    check(False, "a deleted webhook is gone")
except api_exceptions.NotFoundException:
    check(True, "a deleted webhook is 404")

server.shutdown()
print(json.dumps({"version": SDK_VERSION, "checks": len(checks)}))
