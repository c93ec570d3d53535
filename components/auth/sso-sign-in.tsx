import { buttonClass } from "@/components/ui/button";
import { cn } from "@/components/ui/cn";

/**
 * Single sign-on's button: a plain link to the keys API's `/auth/oidc/start` (a full navigation to the
 * provider, no client code). Primary when it is the page's only way in; with the password form below,
 * the form keeps the primary look and an "or" sets them apart.
 */
export function SsoSignIn({
  name,
  startPath,
  next,
  only,
}: {
  name: string;
  startPath: string;
  next?: string;
  only: boolean;
}) {
  const href = next ? `${startPath}?next=${encodeURIComponent(next)}` : startPath;
  return (
    <div className="mt-6">
      <a href={href} className={cn(buttonClass(only ? "primary" : "secondary"), "w-full")}>
        Sign in with {name}
      </a>
      {only ? null : (
        <p className="mt-6 flex items-center gap-3 text-xs uppercase tracking-wide text-slate-500 dark:text-slate-400">
          <span aria-hidden="true" className="h-px flex-1 bg-slate-200 dark:bg-slate-700" />
          or with your password
          <span aria-hidden="true" className="h-px flex-1 bg-slate-200 dark:bg-slate-700" />
        </p>
      )}
    </div>
  );
}
