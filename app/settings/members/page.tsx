import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { MembersView } from "@/components/members/members-view";
import { membersStateFromParams } from "@/components/members/url-state";
import { listMembersAction } from "@/lib/dashboard/actions/members";
import { getViewer } from "@/lib/dashboard/viewer";

export const metadata: Metadata = { title: "Members" };

export default async function MembersPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const viewer = await getViewer();
  if (!viewer) redirect("/login?next=/settings/members");
  const { search } = membersStateFromParams(await searchParams);
  // The first page comes with the HTML when there is no search; the client loads the rest.
  const first = search === "" ? await listMembersAction({}) : null;
  return <MembersView viewer={viewer} first={first?.ok ? first.data : undefined} />;
}
