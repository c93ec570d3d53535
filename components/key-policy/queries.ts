"use client";

import { queryOptions } from "@tanstack/react-query";
import { getKeyPolicyAction } from "@/lib/dashboard/actions/key-policy";

/**
 * The account's key policy, for the key dialogs: null when it cannot be read (the dialog then offers
 * every choice; the keys API holds creates and refreshes to the policy anyway).
 */
export const keyPolicyQuery = queryOptions({
  queryKey: ["key-policy"] as const,
  queryFn: async () => {
    const result = await getKeyPolicyAction({});
    return result.ok ? result.data : null;
  },
  staleTime: 30_000,
});
