import type { Metadata } from "next";
import { redirect } from "next/navigation";
import Link from "next/link";
import { LoginForm } from "@/components/auth/login-form";
import { passwordResetAvailable } from "@/lib/dashboard/password-resets";
import { getViewer } from "@/lib/dashboard/viewer";

export const metadata: Metadata = { title: "Sign in" };

export default async function LoginPage({
  searchParams,
}: {
  searchParams: Promise<{ next?: string | string[] }>;
}) {
  const { next } = await searchParams;
  if (await getViewer()) redirect("/settings/api-keys");
  // Forgot password? only where the server can email the link (SMTP_URL).
  const forgot = await passwordResetAvailable();
  return (
    <main className="flex min-h-screen items-center justify-center bg-slate-50 px-4 dark:bg-slate-950">
      <div className="w-full max-w-sm rounded-xl border border-slate-200 bg-white p-8 shadow-sm dark:border-slate-800 dark:bg-slate-900">
        <p className="text-sm font-semibold tracking-wide text-indigo-600">Keydesk</p>
        <h1 className="mt-1 text-2xl font-semibold text-slate-900 dark:text-white">Sign in</h1>
        <p className="mt-1 text-sm text-slate-600 dark:text-slate-400">
          Manage API keys for you and your services.
        </p>
        <LoginForm next={typeof next === "string" ? next : undefined} />
        {forgot ? (
          <p className="mt-4 text-center text-sm">
            <Link
              className="font-medium text-indigo-700 underline dark:text-indigo-300"
              href="/forgot-password"
            >
              Forgot password?
            </Link>
          </p>
        ) : null}
      </div>
    </main>
  );
}
