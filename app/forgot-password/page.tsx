import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { AuthCard } from "@/components/auth/auth-card";
import { ForgotPasswordForm } from "@/components/auth/forgot-password-form";
import { passwordResetAvailable } from "@/lib/dashboard/password-resets";
import { getViewer } from "@/lib/dashboard/viewer";

export const metadata: Metadata = { title: "Reset your password" };

export default async function ForgotPasswordPage() {
  if (await getViewer()) redirect("/settings/api-keys");
  if (!(await passwordResetAvailable()))
    return (
      <AuthCard
        title="Reset your password"
        intro={
          <>
            <p>This server sends no email, so it cannot send you a reset link.</p>
            <p>
              Ask an account admin to reset your password: <strong>Reset password</strong> on Keydesk&apos;s
              Members page gives you a temporary one.
            </p>
            <p>
              <Link className="font-medium text-indigo-700 underline dark:text-indigo-300" href="/login">
                Back to sign in
              </Link>
            </p>
          </>
        }
      />
    );
  return (
    <AuthCard
      title="Reset your password"
      intro={<p>Enter the email you sign in with. We&apos;ll send you a link to choose a new password.</p>}
    >
      <ForgotPasswordForm />
    </AuthCard>
  );
}
