"use client";

import { useRef, useState } from "react";
import { Button } from "@/components/ui/button";
import { Dialog, DialogContent } from "@/components/ui/dialog";
import { inputClass } from "@/components/ui/field";
import type { Invitation } from "@/lib/keys-client/reshape";

/**
 * The one-time Share the invitation dialog. The temporary password or invitation link lives only in
 * this dialog's props and state, as a key in the reveal does: not in the URL, the query cache,
 * storage or any server-rendered payload. Closing before copying asks first.
 */
export function ShareInvitationDialog({
  invitation,
  onClose,
}: {
  invitation: Invitation | null;
  onClose: () => void;
}) {
  const [copied, setCopied] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const field = useRef<HTMLInputElement>(null);
  const password = invitation?.kind === "temporary_password";
  const label = password ? "Temporary password" : "Invitation link";
  const signInUrl = password ? invitation?.signInUrl : undefined;
  // With a temporary password, Copy gives everything they need: where to sign in, as whom, with what.
  const copyText = (secret: string) =>
    signInUrl
      ? [
          `Sign in to Keydesk at ${signInUrl}`,
          ...(invitation?.email ? [`Email: ${invitation.email}`] : []),
          `Temporary password: ${secret}`,
          "You choose your own password when you first sign in.",
        ].join("\n")
      : secret;

  const close = () => {
    setCopied(false);
    setConfirming(false);
    onClose();
  };
  const requestClose = () => (copied ? close() : setConfirming(true));

  const copy = async () => {
    if (!invitation) return;
    try {
      await navigator.clipboard.writeText(copyText(invitation.secret));
    } catch {
      field.current?.select();
      document.execCommand("copy");
    }
    setCopied(true);
  };

  return (
    <Dialog open={invitation !== null} onOpenChange={(open) => (open ? undefined : requestClose())}>
      <DialogContent
        title="Share the invitation"
        description={
          password
            ? `Give ${invitation?.name ?? "them"} this temporary password${signInUrl ? " and the sign-in page" : ""}. They choose their own password when they first sign in.`
            : `Send ${invitation?.name ?? "them"} this link. It works once, for 7 days.`
        }
        onEscapeKeyDown={(e) => {
          e.preventDefault();
          requestClose();
        }}
        onPointerDownOutside={(e) => e.preventDefault()}
      >
        {confirming ? (
          <div className="space-y-4">
            <p role="alert" className="font-medium text-slate-900 dark:text-white">
              Close without copying?
            </p>
            <p className="text-sm text-slate-600 dark:text-slate-400">
              It cannot be shown again. If you lose it, use Resend invitation or Reset password on their row.
            </p>
            <div className="flex justify-end gap-2">
              <Button onClick={() => setConfirming(false)} autoFocus>
                Go back
              </Button>
              <Button variant="danger" onClick={close}>
                Close anyway
              </Button>
            </div>
          </div>
        ) : (
          <div className="space-y-4">
            {signInUrl ? (
              <div className="space-y-1">
                <label htmlFor="shared-sign-in" className="block text-sm font-medium">
                  Sign-in page
                </label>
                <input
                  id="shared-sign-in"
                  readOnly
                  value={signInUrl}
                  onFocus={(e) => e.currentTarget.select()}
                  className={`${inputClass} font-mono text-xs`}
                  autoComplete="off"
                  spellCheck={false}
                />
              </div>
            ) : null}
            <div className="space-y-1">
              <label htmlFor="shared-secret" className="block text-sm font-medium">
                {label}
              </label>
              <div className="flex gap-2">
                <input
                  ref={field}
                  id="shared-secret"
                  readOnly
                  value={invitation?.secret ?? ""}
                  onFocus={(e) => e.currentTarget.select()}
                  className={`${inputClass} font-mono text-xs`}
                  autoComplete="off"
                  spellCheck={false}
                />
                <Button variant="primary" onClick={copy} aria-live="polite">
                  {copied ? "Copied" : "Copy"}
                </Button>
              </div>
            </div>
            {signInUrl ? (
              <p className="text-sm text-slate-600 dark:text-slate-400">
                Copy copies the sign-in page, their email and the temporary password together.
              </p>
            ) : null}
            <p className="rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-900 dark:bg-amber-950 dark:text-amber-200">
              This will not be shown again.
            </p>
            <div className="flex justify-end">
              <Button variant="primary" onClick={requestClose}>
                Done
              </Button>
            </div>
          </div>
        )}
      </DialogContent>
    </Dialog>
  );
}
