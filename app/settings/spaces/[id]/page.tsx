import type { Metadata } from "next";
import { ScopePage } from "@/app/settings/scope-page";

export const metadata: Metadata = { title: "Space" };

export default async function SpacePage({ params }: { params: Promise<{ id: string }> }) {
  return <ScopePage kind="space" id={decodeURIComponent((await params).id)} />;
}
