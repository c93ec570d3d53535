/** A rule's answer: allowed, or refused with the reason a screen shows and a 403 carries. */
export type Decision = { allowed: true } | { allowed: false; reason: string };

export const ALLOWED: Decision = { allowed: true };
export const refused = (reason: string): Decision => ({ allowed: false, reason });
