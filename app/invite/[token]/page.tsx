import type { Metadata } from "next";
import { LinkPage } from "@/app/link-page";

export const metadata: Metadata = { title: "Join" };

export default async function InvitePage({ params }: { params: Promise<{ token: string }> }) {
  return <LinkPage token={(await params).token} />;
}
