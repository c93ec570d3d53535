import { Badge } from "@/components/ui/badge";

/**
 * A service key whose creator's role has since dropped below one of the key's roles: it keeps working
 * (that is what service keys are for), so admins are told to review it.
 */
export function ExceedsRoleNote() {
  return (
    <div className="mt-1 space-y-0.5">
      <Badge tone="amber">Exceeds creator&apos;s role</Badge>
      <p className="max-w-56 text-xs text-slate-600 dark:text-slate-400">
        Its creator&apos;s role is now lower than a role this key holds. It keeps working: review it, then
        refresh or revoke it.
      </p>
    </div>
  );
}
