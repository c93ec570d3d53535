import type { Metadata } from "next";
import Link from "next/link";
import { linkButtonClass, StatusPage } from "@/components/ui/status-page";

export const metadata: Metadata = { title: "Page not found" };

export default function NotFound() {
  return (
    <StatusPage
      code="404"
      title="Page not found"
      actions={
        <Link href="/settings/api-keys" prefetch={false} className={linkButtonClass}>
          Back to API Keys
        </Link>
      }
    >
      There is nothing at this address. It may have moved, or the link may be mistyped.
    </StatusPage>
  );
}
