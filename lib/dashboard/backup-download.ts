import "server-only";
import { keysClient } from "../keys-client";
import { isSameOriginRequest } from "./same-origin";
import { getSessionToken, requestClientAddress } from "./session";

/** Why the download did not start, as the Backup page reads it from `?error=`. */
type BackupDownloadError = "busy" | "unavailable" | "failed";

const backTo = (error: BackupDownloadError) =>
  // A relative Location: never built from the request's Host.
  new Response(null, {
    status: 303,
    headers: { location: `/settings/backup?error=${error}`, "cache-control": "no-store" },
  });

const notFound = () =>
  new Response("Not found", { status: 404, headers: { "content-type": "text/plain; charset=utf-8" } });

/**
 * Download backup: a plain form post from the Backup page (the browser cannot send the session as a
 * bearer token, and the token must never be in a URL). Reads the session cookie, calls
 * POST /v2/backup, and streams the file through with its name. Cross-site posts are refused (403);
 * anyone but an account admin gets a 404, like the page. A refusal the admin can act on goes back to
 * the page with `?error=`.
 */
export async function downloadBackup(request: Request): Promise<Response> {
  if (!isSameOriginRequest(request.headers))
    return new Response(
      JSON.stringify({
        title: "Access forbidden",
        status: 403,
        detail: "Download backups from Keydesk's own pages.",
      }),
      { status: 403, headers: { "content-type": "application/problem+json", "cache-control": "no-store" } },
    );
  const token = await getSessionToken();
  if (!token) return notFound();
  const { response } = await keysClient({ token, clientAddress: await requestClientAddress() }).POST(
    "/v2/backup",
    { parseAs: "stream", signal: request.signal },
  );
  if (response.status === 401 || response.status === 403) return notFound();
  if (response.status === 409) return backTo("busy");
  if (response.status === 501) return backTo("unavailable");
  if (response.status !== 200) return backTo("failed");
  const headers = new Headers({ "cache-control": "no-store" });
  for (const name of ["content-type", "content-length", "content-disposition"]) {
    const value = response.headers.get(name);
    if (value) headers.set(name, value);
  }
  return new Response(response.body, { status: 200, headers });
}
