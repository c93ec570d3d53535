import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { ApiKeysView } from "@/components/api-keys/api-keys-view";
import { getViewer } from "@/lib/viewer";

export const metadata: Metadata = { title: "API Keys" };

export default async function ApiKeysPage() {
  const viewer = await getViewer();
  if (!viewer) redirect("/login?next=/settings/api-keys");
  return <ApiKeysView viewer={viewer} />;
}
