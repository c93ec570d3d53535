/** Whether the audit log (its page, its navigation item, its export) is for this viewer: account admins only. */
export function mayOpenAuditLog(viewer: { account_role: string }): boolean {
  return viewer.account_role === "admin";
}
