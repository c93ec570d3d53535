import "server-only";
import { cache } from "react";
import { keysClient, type Me } from "../keys-client";
import { getSessionToken } from "./session";

/** The signed-in person (GET /v2/me with their session), once per request; null when signed out. */
export const getViewer = cache(async (): Promise<Me | null> => {
  const token = await getSessionToken();
  if (!token) return null;
  const { data, response } = await keysClient({ token }).GET("/v2/me");
  if (response.status === 401) return null;
  if (!data) throw new Error(`The keys API answered ${response.status} to /v2/me.`);
  return data;
});
