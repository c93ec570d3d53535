import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { ApiKeysView } from "@/components/api-keys/api-keys-view";
import { NoSpaces } from "@/components/api-keys/no-spaces";
import { viewFromParams } from "@/components/api-keys/url-state";
import type { FirstPage } from "@/components/api-keys/queries";
import type { Filters } from "@/components/api-keys/types";
import { listApiKeysAction } from "@/lib/dashboard/actions/api-keys";
import { systemClock } from "@/lib/clock";
import { getViewer } from "@/lib/dashboard/viewer";

export const metadata: Metadata = { title: "API Keys" };

/**
 * The first page comes with the HTML, so the table paints without waiting for the client. If it cannot
 * be loaded here, the client loads it itself, and shows the error (with Retry) if that fails too.
 */
async function loadFirstPage(filters: Filters): Promise<FirstPage | undefined> {
  const result = await listApiKeysAction(filters);
  return result.ok ? { filters, page: result.data, fetchedAt: systemClock.now().getTime() } : undefined;
}

export default async function ApiKeysPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const viewer = await getViewer();
  if (!viewer) redirect("/login?next=/settings/api-keys");
  const { filters, tab } = viewFromParams(await searchParams, viewer);
  return (
    <ApiKeysView
      viewer={viewer}
      // All Keys loads its list in the browser (components/inventory).
      first={tab === "all" ? undefined : await loadFirstPage(filters)}
      noSpaces={<NoSpaces viewer={viewer} />}
      // Not a secret: the address the reveal dialog's snippets give Arize's clients (else the page's own).
      publicUrl={process.env.PUBLIC_URL || undefined}
    />
  );
}
