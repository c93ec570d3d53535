import type { ReactNode } from "react";

/** The centred card of the signed-out pages: sign in, setup, choose a password, join. */
export function AuthCard({
  title,
  intro,
  children,
}: {
  title: string;
  intro?: ReactNode;
  children?: ReactNode;
}) {
  return (
    <main className="flex min-h-screen items-center justify-center bg-slate-50 px-4 py-10 dark:bg-slate-950">
      <div className="w-full max-w-md rounded-xl border border-slate-200 bg-white p-8 shadow-sm dark:border-slate-800 dark:bg-slate-900">
        <p className="text-sm font-semibold tracking-wide text-indigo-700 dark:text-indigo-300">Keydesk</p>
        <h1 className="mt-1 text-2xl font-semibold text-slate-900 dark:text-white">{title}</h1>
        {intro ? (
          <div className="mt-2 space-y-2 text-sm text-slate-600 dark:text-slate-300">{intro}</div>
        ) : null}
        {children}
      </div>
    </main>
  );
}
