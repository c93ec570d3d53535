"use client";

import { useId, useRef, useState, type KeyboardEvent } from "react";
import { Button } from "@/components/ui/button";
import { clientSnippets, serverOrigin } from "./client-snippets";

/**
 * "Use it with Arize's clients": one tab per client family, each with the settings that point it at
 * this server and a Copy of its own. The address is computed here, in the browser: PUBLIC_URL when the
 * server has one, else the page's own origin. Arrow keys, Home and End move between the tabs.
 */
export function ClientSnippetTabs({
  secret,
  publicUrl,
  onCopied,
}: {
  secret: string;
  /** The server's PUBLIC_URL, when set. */
  publicUrl?: string;
  /** Called once a snippet (which carries the key) is on the clipboard. */
  onCopied: () => void;
}) {
  const origin = serverOrigin(publicUrl, typeof window === "undefined" ? "" : window.location.origin);
  const snippets = clientSnippets({ origin, key: secret });
  const [selected, setSelected] = useState(0);
  const [copied, setCopied] = useState<number | null>(null);
  const base = useId();
  const tabs = useRef<(HTMLButtonElement | null)[]>([]);
  const code = useRef<HTMLElement>(null);
  const current = snippets[selected] ?? snippets[0];
  if (!current) return null;

  const select = (index: number) => {
    const next = (index + snippets.length) % snippets.length;
    setSelected(next);
    tabs.current[next]?.focus();
  };
  const onKeyDown = (e: KeyboardEvent<HTMLButtonElement>) => {
    const moves: Record<string, number> = {
      ArrowRight: selected + 1,
      ArrowLeft: selected - 1,
      Home: 0,
      End: snippets.length - 1,
    };
    const to = moves[e.key];
    if (to === undefined) return;
    e.preventDefault();
    select(to);
  };

  const copy = async () => {
    try {
      await navigator.clipboard.writeText(current.snippet);
    } catch {
      // No clipboard API (e.g. plain http on another host): select the snippet for a manual copy.
      const node = code.current;
      const selection = window.getSelection();
      if (node && selection) {
        const range = document.createRange();
        range.selectNodeContents(node);
        selection.removeAllRanges();
        selection.addRange(range);
        document.execCommand("copy");
      }
    }
    setCopied(selected);
    onCopied();
  };

  return (
    <div className="space-y-2">
      <p className="text-sm font-medium">Use it with Arize&apos;s clients</p>
      <p className="text-sm text-slate-600 dark:text-slate-400">
        Arize&apos;s clients send keys to Arize&apos;s cloud unless told otherwise; these settings point them
        at this server.
      </p>
      <div
        role="tablist"
        aria-label="Client"
        className="flex flex-wrap gap-1 border-b border-slate-200 dark:border-slate-800"
      >
        {snippets.map((s, i) => (
          <button
            key={s.family}
            ref={(el) => {
              tabs.current[i] = el;
            }}
            id={`${base}-tab-${s.family}`}
            role="tab"
            type="button"
            aria-selected={i === selected}
            aria-controls={`${base}-panel`}
            tabIndex={i === selected ? 0 : -1}
            onKeyDown={onKeyDown}
            onClick={() => select(i)}
            className={`-mb-px border-b-2 px-3 py-1.5 text-sm font-medium focus-visible:outline focus-visible:outline-2 focus-visible:outline-indigo-600 ${
              i === selected
                ? "border-indigo-600 text-indigo-700 dark:text-indigo-300"
                : "border-transparent text-slate-600 hover:text-slate-900 dark:text-slate-400"
            }`}
          >
            {s.label}
          </button>
        ))}
      </div>
      <div
        id={`${base}-panel`}
        role="tabpanel"
        aria-labelledby={`${base}-tab-${current.family}`}
        className="space-y-2"
      >
        {/* Wrapped rather than scrolled: a scrolling <pre> is unreachable by keyboard (axe). */}
        <pre className="whitespace-pre-wrap break-all rounded-md bg-slate-900 p-3 font-mono text-xs text-slate-100">
          <code ref={code}>{current.snippet}</code>
        </pre>
        <div className="flex flex-wrap items-start justify-between gap-2">
          <p className="min-w-0 flex-1 text-xs text-slate-600 dark:text-slate-400">{current.note}</p>
          <Button onClick={copy} aria-live="polite" className="px-2 py-1 text-xs">
            {copied === selected ? "Snippet copied" : "Copy snippet"}
          </Button>
        </div>
      </div>
    </div>
  );
}
