import type { Metadata } from "next";
import { redirect } from "next/navigation";
import Link from "next/link";
import { LoginForm } from "@/components/auth/login-form";
import { SsoSignIn } from "@/components/auth/sso-sign-in";
import { FormError } from "@/components/ui/form-error";
import { passwordResetAvailable } from "@/lib/dashboard/password-resets";
import { refusedSsoEmail, signInOptions } from "@/lib/dashboard/sign-in-options";
import { getViewer } from "@/lib/dashboard/viewer";
import { isSsoError, ssoErrorMessage } from "@/lib/schemas/sign-in-options";

export const metadata: Metadata = { title: "Sign in" };

type Query = string | string[] | undefined;

export default async function LoginPage({
  searchParams,
}: {
  searchParams: Promise<{ next?: Query; error?: Query; password?: Query }>;
}) {
  const { next, error, password } = await searchParams;
  if (await getViewer()) redirect("/settings/api-keys");
  const options = await signInOptions();
  // PASSWORD_SIGN_IN=off: the form only on /login?password=1, the admins' break glass (the API
  // refuses everyone else's password whatever the page shows).
  const showForm = options.passwordSignIn || password === "1";
  // Forgot password? only where the server can email the link (SMTP_URL).
  const forgot = showForm && (await passwordResetAvailable());
  const nextPath = typeof next === "string" ? next : undefined;
  // Only a known code picks a sentence: nothing from the query is shown as text.
  const ssoError = isSsoError(error)
    ? ssoErrorMessage(
        error,
        options.sso?.name ?? "Single sign-on",
        error === "sso_no_account" ? await refusedSsoEmail() : null,
      )
    : null;
  return (
    <main className="flex min-h-screen items-center justify-center bg-slate-50 px-4 dark:bg-slate-950">
      <div className="w-full max-w-sm rounded-xl border border-slate-200 bg-white p-8 shadow-sm dark:border-slate-800 dark:bg-slate-900">
        <p className="text-sm font-semibold tracking-wide text-indigo-600">Keydesk</p>
        <h1 className="mt-1 text-2xl font-semibold text-slate-900 dark:text-white">Sign in</h1>
        <p className="mt-1 text-sm text-slate-600 dark:text-slate-400">
          Manage API keys for you and your services.
        </p>
        {ssoError ? <FormError className="mt-6" message={ssoError} /> : null}
        {options.sso ? (
          <SsoSignIn
            name={options.sso.name}
            startPath={options.sso.startPath}
            next={nextPath}
            only={!showForm}
          />
        ) : null}
        {showForm ? <LoginForm next={nextPath} /> : null}
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
