/**
 * `/docs/api`: the keys API's reference, rendered in the browser by Redoc from `/v2/openapi.json`.
 * A plain HTML page, not a dashboard page: no Next.js script, so the dashboard's first-load budget
 * does not apply; its only script is Redoc's bundle, served by this app (./redoc.standalone.js).
 * Everything it loads is on this origin, so it works offline. No sign-in: the document is public.
 */

// The system's own fonts (Redoc's defaults name Roboto and Montserrat, which nothing here loads).
const SANS =
  'ui-sans-serif, system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif';
const MONO = 'ui-monospace, SFMono-Regular, Menlo, Monaco, Consolas, "Liberation Mono", monospace';

const OPTIONS = {
  theme: {
    colors: { primary: { main: "#4338ca" } },
    typography: {
      fontFamily: SANS,
      headings: { fontFamily: SANS },
      code: { fontFamily: MONO },
    },
    sidebar: { width: "280px" },
  },
  hideDownloadButton: false,
  expandResponses: "",
  jsonSampleExpandLevel: 2,
  sortPropsAlphabetically: false,
  scrollYOffset: ".keydesk-header",
};

function page(nonce: string | null): string {
  const n = nonce ? ` nonce="${nonce.replace(/[^A-Za-z0-9+/=]/g, "")}"` : "";
  // </ in the options cannot close the script: they are plain JSON of constants above.
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>API reference · Keydesk</title>
<link rel="icon" href="/favicon.ico" sizes="48x48">
<style${n}>
  body { margin: 0; font-family: ${SANS}; }
  .keydesk-header { position: sticky; top: 0; z-index: 10; display: flex; gap: 1rem; align-items: center;
    justify-content: space-between; padding: 0.75rem 1rem; background: #fff; border-bottom: 1px solid #e2e8f0; }
  .keydesk-header a { color: #3730a3; font-size: 0.875rem; }
  .keydesk-header a:focus-visible { outline: 2px solid #4338ca; outline-offset: 2px; }
  .keydesk-title { margin: 0; font-weight: 600; color: #0f172a; font-size: 1rem; }
  #loading { padding: 2rem 1rem; color: #475569; }
</style>
</head>
<body>
<header class="keydesk-header">
  <h1 class="keydesk-title">Keydesk API reference</h1>
  <nav aria-label="API reference"><a href="/v2/openapi.json">OpenAPI document (JSON)</a> · <a href="/settings/api-keys">Back to the dashboard</a></nav>
</header>
<main id="reference"><p id="loading" role="status">Loading the API reference…</p></main>
<noscript><p>The reference needs JavaScript. The same content is in <a href="/v2/openapi.json">the OpenAPI document</a>.</p></noscript>
<script src="/docs/api/redoc.standalone.js"${n}></script>
<script${n}>
  (function () {
    var target = document.getElementById("reference");
    Redoc.init("/v2/openapi.json", ${JSON.stringify(OPTIONS)}, target, function (error) {
      if (error) target.innerHTML = '<p id="loading" role="alert">The API reference could not be loaded. The OpenAPI document is at <a href="/v2/openapi.json">/v2/openapi.json</a>.</p>';
    });
  })();
</script>
</body>
</html>
`;
}

export function GET(request: Request): Response {
  return new Response(page(request.headers.get("x-nonce")), {
    headers: { "content-type": "text/html; charset=utf-8", "cache-control": "no-store" },
  });
}
