import type { Metadata } from "next";
import { notFound, redirect } from "next/navigation";
import { KeyPageView } from "@/components/key-page/key-page-view";
import { getApiKeyAction, listApiKeyEventsAction } from "@/lib/dashboard/actions/api-key-details";
import { getViewer } from "@/lib/dashboard/viewer";

export const metadata: Metadata = { title: "API Key" };

/** One key and what happened to it (lifecycle.md §1). A key the viewer may not see is not found. */
export default async function ApiKeyPage({ params }: { params: Promise<{ id: string }> }) {
  const viewer = await getViewer();
  if (!viewer) redirect("/login?next=/settings/api-keys");
  const id = decodeURIComponent((await params).id);
  const [key, events] = await Promise.all([getApiKeyAction({ id }), listApiKeyEventsAction({ id })]);
  if (!key.ok) {
    if (key.error.code === "not_found" || key.error.code === "invalid_request") notFound();
    if (key.error.code === "authentication_required") redirect("/login?next=/settings/api-keys");
    throw new Error(key.error.message);
  }
  return (
    <KeyPageView
      key={key.data.id}
      viewer={viewer}
      apiKey={key.data}
      events={events.ok ? events.data : null}
      publicUrl={process.env.PUBLIC_URL || undefined}
    />
  );
}
