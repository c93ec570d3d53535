import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { SpacesView } from "@/components/spaces/spaces-view";
import { directoryTreeAction } from "@/lib/dashboard/actions/spaces";
import { getViewer } from "@/lib/dashboard/viewer";

export const metadata: Metadata = { title: "Organizations & Spaces" };

export default async function SpacesPage() {
  const viewer = await getViewer();
  if (!viewer) redirect("/login?next=/settings/spaces");
  const tree = await directoryTreeAction(undefined);
  return <SpacesView viewer={viewer} initial={tree.ok ? tree.data : undefined} />;
}
