/**
 * The temporary password someone just signed in with, handed from the sign-in form to Choose a new
 * password (which the API asks it for) across the client-side navigation between them. Memory only:
 * never storage, the URL or the server; gone on reload (the page then asks for it) and once used.
 */
let temporaryPassword: string | null = null;

export function rememberTemporaryPassword(password: string): void {
  temporaryPassword = password;
}

export function recallTemporaryPassword(): string | null {
  return temporaryPassword;
}

export function forgetTemporaryPassword(): void {
  temporaryPassword = null;
}
