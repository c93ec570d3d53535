"use client";

import { useRef, useState } from "react";
import { Button } from "@/components/ui/button";
import { Dialog, DialogContent, DialogFooter } from "@/components/ui/dialog";
import { inputClass } from "@/components/ui/field";

/**
 * The one-time reveal. The raw key lives only in this component's props and state: not in the URL,
 * the query cache, storage or any server-rendered payload. Closing before copying asks first.
 */
export function RevealKeyDialog({
  secret,
  name,
  onClose,
}: {
  secret: string | null;
  name: string;
  onClose: () => void;
}) {
  const [copied, setCopied] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const field = useRef<HTMLTextAreaElement>(null);

  const close = () => {
    setCopied(false);
    setConfirming(false);
    onClose();
  };
  const requestClose = () => (copied ? close() : setConfirming(true));

  const copy = async () => {
    if (!secret) return;
    try {
      await navigator.clipboard.writeText(secret);
    } catch {
      // No clipboard API (e.g. plain http on another host): select the text for a manual copy.
      field.current?.select();
      document.execCommand("copy");
    }
    setCopied(true);
  };

  return (
    <Dialog open={secret !== null} onOpenChange={(open) => (open ? undefined : requestClose())}>
      <DialogContent
        title="Save your API key"
        description={`“${name}” is ready. Copy it now and store it somewhere safe.`}
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
              The key cannot be shown again. If you lose it, refresh the key to get a new one.
            </p>
            <DialogFooter>
              <Button onClick={() => setConfirming(false)} autoFocus>
                Go back
              </Button>
              <Button variant="danger" onClick={close}>
                Close anyway
              </Button>
            </DialogFooter>
          </div>
        ) : (
          <div className="space-y-4">
            <div className="space-y-1">
              <label htmlFor="revealed-key" className="block text-sm font-medium">
                API key
              </label>
              <div className="flex items-start gap-2">
                {/* A textarea that wraps and grows, so the whole key is visible at any width. */}
                <textarea
                  ref={field}
                  id="revealed-key"
                  readOnly
                  rows={2}
                  value={secret ?? ""}
                  onFocus={(e) => e.currentTarget.select()}
                  className={`${inputClass} field-sizing-content resize-none break-all font-mono text-xs`}
                  autoComplete="off"
                  spellCheck={false}
                />
                <Button variant="primary" onClick={copy} aria-live="polite">
                  {copied ? "Copied" : "Copy"}
                </Button>
              </div>
            </div>
            <p className="rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-900 dark:bg-amber-950 dark:text-amber-200">
              This key will not be shown again.
            </p>
            <div className="space-y-1">
              <p className="text-sm font-medium">Use it with Arize&apos;s clients</p>
              {/* Wrapped rather than scrolled: a scrolling <pre> is unreachable by keyboard (axe). */}
              <pre className="whitespace-pre-wrap break-all rounded-md bg-slate-900 p-3 font-mono text-xs text-slate-100">
                <code>export ARIZE_API_KEY={secret ?? ""}</code>
              </pre>
            </div>
            <DialogFooter>
              <Button variant="primary" onClick={requestClose}>
                Done
              </Button>
            </DialogFooter>
          </div>
        )}
      </DialogContent>
    </Dialog>
  );
}
