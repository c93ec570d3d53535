import type { Metadata } from "next";
import { ScopePage } from "@/app/settings/scope-page";

export const metadata: Metadata = { title: "Organization" };

export default async function OrganizationPage({ params }: { params: Promise<{ id: string }> }) {
  return <ScopePage kind="organization" id={decodeURIComponent((await params).id)} />;
}
