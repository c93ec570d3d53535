import "server-only";
import { redirect } from "next/navigation";
import { cache } from "react";
import { keysClient, type Me, type Problem } from "../keys-client";
import { getSessionToken } from "./session";

/** The API's answer to a temporary-password session calling anything but POST /v2/me/password. */
function isPasswordChangeRequired(status: number, problem?: Problem): boolean {
  return status === 403 && problem?.code === "password_change_required";
}

/**
 * The signed-in person (GET /v2/me with their session), once per request; null when signed out.
 * A session that must first choose a new password goes to /change-password, from every page.
 */
export const getViewer = cache(async (): Promise<Me | null> => {
  const token = await getSessionToken();
  if (!token) return null;
  const { data, error, response } = await keysClient({ token }).GET("/v2/me");
  if (response.status === 401) return null;
  if (isPasswordChangeRequired(response.status, error)) redirect("/change-password");
  if (!data) throw new Error(`The keys API answered ${response.status} to /v2/me.`);
  return data;
});

/** For /change-password: does this session still have to choose a password? */
export async function passwordChangeState(): Promise<"signed-out" | "required" | "done"> {
  const token = await getSessionToken();
  if (!token) return "signed-out";
  const { error, response } = await keysClient({ token }).GET("/v2/me");
  if (response.status === 401) return "signed-out";
  return isPasswordChangeRequired(response.status, error) ? "required" : "done";
}
