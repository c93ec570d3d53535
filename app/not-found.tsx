import type { Metadata } from "next";
import { linkButtonClass, StatusPage } from "@/components/ui/status-page";

export const metadata: Metadata = { title: "Page not found" };

export default function NotFound() {
  return (
    <StatusPage
      code="404"
      title="Page not found"
      actions={
        <a href="/settings/api-keys" className={linkButtonClass}>
          Back to API Keys
        </a>
      }
    >
      There is nothing at this address. It may have moved, or the link may be mistyped.
    </StatusPage>
  );
}
