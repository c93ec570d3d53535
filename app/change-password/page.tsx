import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { AuthCard } from "@/components/auth/auth-card";
import { ChoosePasswordForm } from "@/components/auth/choose-password-form";
import { passwordChangeState } from "@/lib/dashboard/viewer";

export const metadata: Metadata = { title: "Choose a new password" };

export default async function ChangePasswordPage() {
  const state = await passwordChangeState();
  if (state === "signed-out") redirect("/login");
  if (state === "done") redirect("/settings/api-keys");
  return (
    <AuthCard
      title="Choose a new password"
      intro={<p>You signed in with a temporary password. Choose your own before you go on.</p>}
    >
      <ChoosePasswordForm />
    </AuthCard>
  );
}
