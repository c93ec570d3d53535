"use client";

import { useRef, useState } from "react";
import { Button } from "@/components/ui/button";
import { Dialog, DialogContent, DialogFooter } from "@/components/ui/dialog";
import { inputClass } from "@/components/ui/field";
import { ClientSnippetTabs } from "./client-snippet-tabs";

/** What the reveal says: an API key's texts by default; a webhook's signing secret gives its own. */
export interface RevealTexts {
  title: string;
  /** After the name in quotes: `“name” …`. */
  ready: string;
  label: string;
  warning: string;
  lost: string;
}

const API_KEY_TEXTS: RevealTexts = {
  title: "Save your API key",
  ready: "is ready. Copy it now and store it somewhere safe.",
  label: "API key",
  warning: "This key will not be shown again.",
  lost: "The key cannot be shown again. If you lose it, refresh the key to get a new one.",
};

/**
 * The one-time reveal. The raw key lives only in this component's props and state: not in the URL,
 * the query cache, storage or any server-rendered payload. Closing before copying (the key, or a
 * snippet that carries it) asks first.
 */
export function RevealKeyDialog({
  secret,
  name,
  publicUrl,
  onClose,
  texts,
}: {
  secret: string | null;
  name: string;
  /** Another secret than an API key (then without the clients' snippets). */
  texts?: RevealTexts;
  /** The server's PUBLIC_URL, when set: the address the snippets give Arize's clients. */
  publicUrl?: string;
  onClose: () => void;
}) {
  const say = texts ?? API_KEY_TEXTS;
  const [copied, setCopied] = useState(false);
  const [snippetCopied, setSnippetCopied] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const field = useRef<HTMLTextAreaElement>(null);

  const close = () => {
    setCopied(false);
    setSnippetCopied(false);
    setConfirming(false);
    onClose();
  };
  const requestClose = () => (copied || snippetCopied ? close() : setConfirming(true));

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
        title={say.title}
        description={`“${name}” ${say.ready}`}
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
            <p className="text-sm text-slate-600 dark:text-slate-400">{say.lost}</p>
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
                {say.label}
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
              {say.warning}
            </p>
            {secret && !texts ? (
              <ClientSnippetTabs
                secret={secret}
                publicUrl={publicUrl}
                onCopied={() => setSnippetCopied(true)}
              />
            ) : null}
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
