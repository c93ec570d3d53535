import type { Metadata } from "next";
import { LinkPage } from "@/app/link-page";

export const metadata: Metadata = { title: "Choose a new password" };

export default async function ResetPasswordPage({ params }: { params: Promise<{ token: string }> }) {
  return <LinkPage token={(await params).token} />;
}
