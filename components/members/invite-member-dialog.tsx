"use client";

import { zodResolver } from "@hookform/resolvers/zod";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useForm } from "react-hook-form";
import { ActionFailure, unwrap } from "@/components/ui/action-failure";
import { Button } from "@/components/ui/button";
import { Dialog, DialogContent } from "@/components/ui/dialog";
import { describedBy, Field, inputClass } from "@/components/ui/field";
import { placeFieldErrors } from "@/components/ui/field-errors";
import { FormError } from "@/components/ui/form-error";
import { Select } from "@/components/ui/select";
import { inviteMemberAction } from "@/lib/dashboard/actions/members";
import type { Invitation, Member } from "@/lib/keys-client/reshape";
import { InviteMemberFormSchema, type InviteMemberForm } from "@/lib/schemas/directory-forms";
import { memberQueries } from "./queries";

const FIELD_FROM_API: Record<string, keyof InviteMemberForm> = {
  name: "name",
  email: "email",
  role: "accountRole",
  invite_mode: "inviteWith",
};

export function InviteMemberDialog({
  onClose,
  onInvited,
}: {
  onClose: () => void;
  onInvited: (member: Member, invitation: Invitation | null) => void;
}) {
  const queryClient = useQueryClient();
  const form = useForm<InviteMemberForm>({
    resolver: zodResolver(InviteMemberFormSchema),
    defaultValues: { name: "", email: "", accountRole: "member", inviteWith: "temporary_password" },
  });
  const { errors } = form.formState;
  const invite = useMutation({
    // The secret goes straight to the Share dialog's state; nothing here caches it.
    mutationFn: async (values: InviteMemberForm) => {
      const { member, invitation } = unwrap(await inviteMemberAction(values));
      onInvited(member, invitation);
      return member.id;
    },
    onSuccess: () => {
      onClose();
      void queryClient.invalidateQueries({ queryKey: memberQueries.all });
    },
    onError: (error) => {
      if (error instanceof ActionFailure) placeFieldErrors(form, error.error, FIELD_FROM_API);
      else form.setError("root", { message: "The invitation could not be made. Try again." });
    },
  });

  return (
    <Dialog open onOpenChange={(open) => (!open && !invite.isPending ? onClose() : undefined)}>
      <DialogContent
        title="Invite member"
        description="They get an account role now; add them to organizations and spaces after."
      >
        <form onSubmit={form.handleSubmit((v) => invite.mutate(v))} noValidate className="space-y-4">
          <Field id="invite-name" label="Name" error={errors.name?.message}>
            <input
              {...form.register("name")}
              {...describedBy("invite-name", errors.name?.message)}
              autoComplete="off"
              className={inputClass}
            />
          </Field>
          <Field id="invite-email" label="Email" error={errors.email?.message}>
            <input
              {...form.register("email")}
              {...describedBy("invite-email", errors.email?.message)}
              type="email"
              autoComplete="off"
              className={inputClass}
            />
          </Field>
          <Field id="invite-role" label="Account role" error={errors.accountRole?.message}>
            <Select
              {...form.register("accountRole")}
              {...describedBy("invite-role", errors.accountRole?.message)}
            >
              <option value="admin">Admin</option>
              <option value="member">Member</option>
            </Select>
          </Field>
          <fieldset>
            <legend id="invite-with-label" className="text-sm font-medium text-slate-800 dark:text-slate-200">
              Invite with
            </legend>
            <div
              role="radiogroup"
              aria-labelledby="invite-with-label"
              className="mt-2 grid grid-cols-1 gap-2 sm:grid-cols-2"
            >
              {(
                [
                  [
                    "temporary_password",
                    "Temporary password",
                    "You pass it on; they change it at first sign-in.",
                  ],
                  [
                    "invite_link",
                    "Invite link",
                    "A one-time link, valid 7 days (also emailed when mail is set up).",
                  ],
                ] as const
              ).map(([value, label, hint]) => (
                <div
                  key={value}
                  className="rounded-md border border-slate-300 px-3 py-2 text-sm has-[:checked]:border-indigo-600 has-[:checked]:bg-indigo-50 has-[:focus-visible]:ring-2 has-[:focus-visible]:ring-indigo-500 dark:has-[:checked]:bg-indigo-950"
                >
                  <label className="flex cursor-pointer items-center gap-2 font-medium">
                    <input
                      type="radio"
                      value={value}
                      aria-describedby={`invite-with-${value}`}
                      {...form.register("inviteWith")}
                    />
                    {label}
                  </label>
                  <p
                    id={`invite-with-${value}`}
                    className="mt-0.5 pl-6 text-xs text-slate-600 dark:text-slate-400"
                  >
                    {hint}
                  </p>
                </div>
              ))}
            </div>
          </fieldset>
          <FormError message={errors.root?.message} />
          <div className="flex justify-end gap-2 pt-2">
            <Button onClick={onClose} disabled={invite.isPending}>
              Cancel
            </Button>
            <Button type="submit" variant="primary" disabled={invite.isPending}>
              {invite.isPending ? "Inviting…" : "Invite"}
            </Button>
          </div>
        </form>
      </DialogContent>
    </Dialog>
  );
}
