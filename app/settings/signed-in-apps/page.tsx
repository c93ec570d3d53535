import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { SignedInApps } from "@/components/cli-sign-in/signed-in-apps";
import { FormError } from "@/components/ui/form-error";
import { listSignedInAppsAction } from "@/lib/dashboard/actions/cli-sign-in";
import { getViewer } from "@/lib/dashboard/viewer";

export const metadata: Metadata = { title: "Signed-in apps" };

export default async function SignedInAppsPage() {
  const viewer = await getViewer();
  if (!viewer) redirect("/login?next=/settings/signed-in-apps");
  const result = await listSignedInAppsAction({});
  return (
    <div className="space-y-4">
      <div>
        <h1 className="text-xl font-semibold text-slate-900 dark:text-white">Signed-in apps</h1>
        <p className="mt-1 text-sm text-slate-600 dark:text-slate-400">
          Apps you signed in through the browser, such as the ax CLI (<code>ax auth login</code>). Each acts
          as you, with all your access. Revoke ends one at once.
        </p>
      </div>
      {result.ok ? (
        <SignedInApps apps={result.data.signed_in_apps} />
      ) : (
        <FormError message={`Your signed-in apps could not be loaded. ${result.error.message}`} />
      )}
    </div>
  );
}
