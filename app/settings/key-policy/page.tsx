import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { KeyPolicyForm } from "@/components/key-policy/key-policy-form";
import { FormError } from "@/components/ui/form-error";
import { getKeyPolicyAction } from "@/lib/dashboard/actions/key-policy";
import { getViewer } from "@/lib/dashboard/viewer";
import { mayEditKeyPolicy } from "@/lib/roles/key-policy";

export const metadata: Metadata = { title: "Key policy" };

export default async function KeyPolicyPage() {
  const viewer = await getViewer();
  if (!viewer) redirect("/login?next=/settings/key-policy");
  const result = await getKeyPolicyAction({});
  const decision = mayEditKeyPolicy(viewer.account_role);
  return (
    <div className="space-y-4">
      <div>
        <h1 className="text-xl font-semibold text-slate-900 dark:text-white">Key policy</h1>
        <p className="mt-1 text-sm text-slate-600 dark:text-slate-400">
          How long keys in this account may live, what New API Key preselects, when owners are warned before a
          key expires, and what happens when a key leaks. Keys made before a limit keep their expiry.
        </p>
      </div>
      {result.ok ? (
        <KeyPolicyForm policy={result.data} readOnlyReason={decision.allowed ? null : decision.reason} />
      ) : (
        <FormError message={`The key policy could not be loaded. ${result.error.message}`} />
      )}
    </div>
  );
}
