import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { WebhooksView } from "@/components/webhooks/webhooks-view";
import { listWebhooksAction } from "@/lib/dashboard/actions/webhooks";
import { systemClock } from "@/lib/clock";
import { getViewer } from "@/lib/dashboard/viewer";
import { mayOpenWebhooks } from "@/lib/roles/webhooks";

export const metadata: Metadata = { title: "Webhooks" };

export default async function WebhooksPage() {
  const viewer = await getViewer();
  if (!viewer) redirect("/login?next=/settings/webhooks");
  if (!mayOpenWebhooks(viewer)) {
    return (
      <div className="space-y-2">
        <h1 className="text-2xl font-semibold text-slate-900 dark:text-white">Webhooks</h1>
        <p className="text-sm text-slate-600 dark:text-slate-400">
          Only an organization&apos;s admins manage its webhooks. Ask one of them to add yours.
        </p>
      </div>
    );
  }
  // The first list comes with the HTML; if it cannot be loaded here, the client loads it and shows why.
  const result = await listWebhooksAction({});
  const first = result.ok ? { rows: result.data, fetchedAt: systemClock.now().getTime() } : undefined;
  return <WebhooksView viewer={viewer} first={first} />;
}
