"use client";

import { zodResolver } from "@hookform/resolvers/zod";
import { Suspense, useState } from "react";
import { useForm } from "react-hook-form";
import type { Viewer } from "@/components/api-keys/types";
import { Button } from "@/components/ui/button";
import { Dialog, DialogContent, DialogFooter } from "@/components/ui/dialog";
import { describedBy, Field, inputClass } from "@/components/ui/field";
import { FormError } from "@/components/ui/form-error";
import { lazyComponent } from "@/components/ui/lazy-component";
import { getApiKeyAction } from "@/lib/dashboard/actions/api-key-details";
import { lookupApiKeyAction } from "@/lib/dashboard/actions/api-key-lookup";
import { LookupApiKeySchema, type LookupApiKeyResultJson } from "@/lib/schemas/api-key-lookup";
import { CheckKeyResult } from "./check-key-result";

const HINT = "Starts with ak-. Spaces and line breaks around it are ignored.";

const revokeKey = lazyComponent(() =>
  import("@/components/api-keys/revoke-key-dialog").then((m) => m.RevokeKeyDialog),
);
const RevokeKeyDialog = revokeKey.Component;
const preloadRevoke = () => void revokeKey.preload().catch(() => undefined);

/** The one text for "no such key" and "a key you may not see": the API does not tell them apart either. */
const NO_MATCH = "No key you can see matches.";

type Form = { key: string };
type Outcome = { found: LookupApiKeyResultJson } | { missing: true } | null;

/**
 * Check a key: paste a key, see which key it is (name, owner, status, last used) and revoke it. The
 * key stays in the form field: it is sent in the action's body, and kept in no cache, URL or log.
 */
export function CheckKeyDialog({ viewer, onClose }: { viewer: Viewer; onClose: () => void }) {
  const form = useForm<Form>({ resolver: zodResolver(LookupApiKeySchema), defaultValues: { key: "" } });
  const [outcome, setOutcome] = useState<Outcome>(null);
  const [revoking, setRevoking] = useState(false);
  const pending = form.formState.isSubmitting;
  const error = form.formState.errors.key?.message;

  const onSubmit = form.handleSubmit(async ({ key }) => {
    setOutcome(null);
    const result = await lookupApiKeyAction({ key });
    if (result.ok) setOutcome({ found: result.data });
    else if (result.error.code === "not_found") setOutcome({ missing: true });
    else if (result.error.fieldErrors?.key) form.setError("key", { message: result.error.fieldErrors.key });
    else form.setError("root", { message: result.error.message });
  });

  // After the revoke dialog closes (revoked or not), show the key as it is now.
  const afterRevoke = async () => {
    setRevoking(false);
    if (!outcome || !("found" in outcome)) return;
    const { matched, id } = outcome.found;
    const result = await getApiKeyAction({ id });
    if (result.ok) setOutcome({ found: { ...result.data, matched } });
  };

  return (
    <Dialog open onOpenChange={(open) => (!open && !pending ? onClose() : undefined)}>
      <DialogContent
        title="Check a key"
        description="Paste a key found in a log, a chat or a repository to see whose it is."
      >
        <form onSubmit={onSubmit} noValidate className="space-y-4">
          <Field id="check-key-input" label="Key" hint={HINT} error={error}>
            <textarea
              {...form.register("key")}
              {...describedBy("check-key-input", error, HINT)}
              rows={2}
              autoComplete="off"
              autoCapitalize="none"
              autoCorrect="off"
              spellCheck={false}
              placeholder="ak-…"
              className={`${inputClass} resize-none break-all font-mono text-xs`}
              onKeyDown={(event) => {
                // Enter checks, as in a one-line field; a key has no line breaks of its own.
                if (event.key === "Enter" && !event.shiftKey) {
                  event.preventDefault();
                  void onSubmit();
                }
              }}
            />
          </Field>
          <FormError message={form.formState.errors.root?.message} />
          <div aria-live="polite" role="status">
            {outcome && "missing" in outcome ? (
              <p className="rounded-md bg-slate-100 px-3 py-2 text-sm text-slate-800 dark:bg-slate-800 dark:text-slate-200">
                {NO_MATCH}
              </p>
            ) : null}
          </div>
          {outcome && "found" in outcome ? (
            <CheckKeyResult
              viewer={viewer}
              apiKey={outcome.found}
              onRevoke={() => setRevoking(true)}
              onRevokeIntent={preloadRevoke}
            />
          ) : null}
          <DialogFooter>
            <Button onClick={onClose} disabled={pending}>
              Close
            </Button>
            <Button type="submit" variant="primary" disabled={pending}>
              {pending ? "Checking…" : "Check"}
            </Button>
          </DialogFooter>
        </form>
        <Suspense fallback={null}>
          {revoking && outcome && "found" in outcome ? (
            <RevokeKeyDialog target={outcome.found} onClose={() => void afterRevoke()} />
          ) : null}
        </Suspense>
      </DialogContent>
    </Dialog>
  );
}
