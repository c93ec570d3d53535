/**
 * The audit log's action names: the operation id each row reports as `operation_name` (1.28's
 * AuditLog), and the words the audit log page and its CSV export show for it. One table for the API,
 * the domain's filter and the dashboard.
 */

/** Legacy action names of rows written before the directory API, as operation ids. */
const LEGACY_OPERATION_NAMES: Readonly<Record<string, string>> = {
  "api_key.create": "create_api_key",
  "api_key.revoke": "revoke_api_key",
  "api_key.refresh": "refresh_api_key",
  "user.block": "delete_user",
  "session.create": "create_session",
  "session.delete": "delete_session",
};

/** The operation name a stored action reports as. */
export function operationNameOf(action: string): string {
  return Object.hasOwn(LEGACY_OPERATION_NAMES, action) ? (LEGACY_OPERATION_NAMES[action] ?? action) : action;
}

/** Every stored action that reports as `operationName` (itself, and any legacy spelling of it). */
export function actionsNamed(operationName: string): string[] {
  const legacy = Object.entries(LEGACY_OPERATION_NAMES)
    .filter(([, name]) => name === operationName)
    .map(([action]) => action);
  return [operationName, ...legacy];
}

const LABELS: Readonly<Record<string, string>> = {
  create_api_key: "API key created",
  refresh_api_key: "API key refreshed",
  revoke_api_key: "API key revoked",
  "api_key.leak_reported": "API key leak reported",
  "api_key.lookup": "API key checked",
  create_session: "Signed in",
  "session.sign_in": "Signed in (single sign-on)",
  delete_session: "Signed out",
  "session.sign_in_failed": "Sign-in failed",
  change_password: "Password changed",
  create_user: "Person invited",
  update_user: "Person updated",
  delete_user: "Person blocked",
  "user.unblock": "Person unblocked",
  request_password_reset: "Password reset requested",
  resend_user_invitation: "Invitation resent",
  reset_user_password: "Password reset",
  accept_invitation: "Invitation accepted",
  reset_password_by_link: "Password reset by link",
  setup: "Account set up",
  "user.create_admin": "Admin created (CLI)",
  create_organization: "Organization created",
  update_organization: "Organization updated",
  delete_organization: "Organization deleted",
  add_organization_user: "Organization member added",
  remove_organization_user: "Organization member removed",
  create_space: "Space created",
  update_space: "Space updated",
  delete_space: "Space deleted",
  add_space_user: "Space member added",
  remove_space_user: "Space member removed",
  "backup.create": "Backup downloaded",
  "backup.restore": "Backup restored (CLI)",
  "oauth.authorize": "ax CLI sign-in approved",
  "oauth.token_refresh": "ax CLI token refreshed",
  "oauth.revoke": "ax CLI signed out",
};

/**
 * What a person reads for an operation: a fixed label, or for an operation this table does not know
 * yet (a newer feature's) its name in words, `api_key.leak_reported` → "Api key leak reported".
 */
export function auditActionLabel(operationName: string): string {
  if (Object.hasOwn(LABELS, operationName)) return LABELS[operationName] ?? operationName;
  const words = operationName.replace(/[._]+/g, " ").trim();
  return words ? words.charAt(0).toUpperCase() + words.slice(1) : operationName;
}

const TARGET_TYPE_LABELS: Readonly<Record<string, string>> = {
  api_key: "API key",
  user: "Person",
  space: "Space",
  organization: "Organization",
  session: "Session",
  account: "Account",
};

/** A target's kind in words: `api_key` → "API key". */
export function auditTargetTypeLabel(type: string): string {
  return Object.hasOwn(TARGET_TYPE_LABELS, type) ? (TARGET_TYPE_LABELS[type] ?? type) : type;
}

/**
 * Who a row names as its actor: their name, or for a row nobody signed in made, what made it. A failed
 * sign-in is "Unknown": the person whose email was tried did not do it.
 */
export function auditActorLabel(
  actor: { name: string } | null | undefined,
  credential: string | undefined,
): string {
  if (actor) return actor.name;
  if (credential === "cli") return "Admin CLI";
  if (credential === "system") return "Keydesk";
  return "Unknown";
}
