import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { AuthCard } from "@/components/auth/auth-card";
import { SetupForm } from "@/components/auth/setup-form";
import { setupState } from "@/lib/dashboard/setup";

export const metadata: Metadata = { title: "Set up Keydesk" };

export default async function SetupPage({
  searchParams,
}: {
  searchParams: Promise<{ token?: string | string[] }>;
}) {
  if ((await setupState()) === "done") notFound();
  const { token } = await searchParams;
  // The token stays in the address bar: the form reads it there, so it is in no rendered payload.
  if (typeof token !== "string" || token === "") {
    return (
      <AuthCard
        title="Set up Keydesk"
        intro={
          <p>
            Open the setup link printed in the server log: the line that starts with{" "}
            <code className="rounded bg-slate-100 px-1 py-0.5 text-xs dark:bg-slate-800">
              Set up Keydesk:
            </code>
            .
          </p>
        }
      />
    );
  }
  return (
    <AuthCard
      title="Set up Keydesk"
      intro={<p>Create the account and its first admin: you. You can invite everyone else afterwards.</p>}
    >
      <SetupForm />
    </AuthCard>
  );
}
