import type { Metadata } from "next";
import { API_KEYS_HOME, linkButtonClass, StatusPage } from "@/components/ui/status-page";

export const metadata: Metadata = { title: "Page not found" };

export default function NotFound() {
  return (
    <StatusPage
      code="404"
      title="Page not found"
      actions={
        <a href={API_KEYS_HOME} className={linkButtonClass}>
          Back to API Keys
        </a>
      }
    >
      There is nothing at this address. It may have moved, or the link may be mistyped.
    </StatusPage>
  );
}
