import { keysClient } from "@/lib/keys-client";
import { getSessionToken, requestClientAddress } from "@/lib/dashboard/session";
import { getViewer } from "@/lib/dashboard/viewer";
import { mayOpenAuditLog } from "@/lib/roles/audit-log";
import { auditLogApiQuery, auditLogFiltersFromParams } from "@/lib/schemas/audit-log-filters";

const notFound = () =>
  new Response("Not found", { status: 404, headers: { "content-type": "text/plain; charset=utf-8" } });

/**
 * Export CSV: the browser cannot send the session as a bearer token, so this handler reads the
 * session cookie and streams GET /v2/audit-logs/export.csv through, byte for byte, with the page's
 * filters (`actor`, `action`, `from`, `to`). Anyone but an account admin gets a 404, like the page.
 */
export async function GET(request: Request): Promise<Response> {
  const token = await getSessionToken();
  if (!token) return notFound();
  const viewer = await getViewer();
  if (!viewer || !mayOpenAuditLog(viewer)) return notFound();
  const filters = auditLogFiltersFromParams(new URL(request.url).searchParams);
  const { response } = await keysClient({ token, clientAddress: await requestClientAddress() }).GET(
    "/v2/audit-logs/export.csv",
    { params: { query: auditLogApiQuery(filters) }, parseAs: "stream", signal: request.signal },
  );
  if (response.status === 403 || response.status === 401) return notFound();
  const headers = new Headers({ "cache-control": "no-store" });
  for (const name of ["content-type", "content-disposition"]) {
    const value = response.headers.get(name);
    if (value) headers.set(name, value);
  }
  return new Response(response.body, { status: response.status, headers });
}
