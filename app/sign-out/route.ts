import { signOut } from "@/lib/dashboard/sign-out";

/**
 * Sign out as a plain form post, so it works without JavaScript. (A server action cannot: its form
 * post arrives with `Origin: null` under our `Referrer-Policy: no-referrer`, which Next.js refuses.)
 */
export async function POST(request: Request): Promise<Response> {
  return signOut(request.headers);
}
