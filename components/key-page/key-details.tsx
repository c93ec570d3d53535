import { relativeTime, shortDate, isExpired } from "@/components/api-keys/format";
import type { Viewer } from "@/components/api-keys/types";
import { DateTime } from "@/components/ui/date-time";
import { ROLE_LABEL } from "@/lib/roles/names";
import { spaceContext } from "@/lib/roles/roles";
import type { ApiKeyDetailsJson } from "@/lib/schemas/api-key-details";
import { Section, Term } from "./section";

/** Type, owner or bot, space and roles, who made it and when, and when it expires (never for a revoked key). */
export function KeyDetails({ viewer, apiKey }: { viewer: Viewer; apiKey: ApiKeyDetailsJson }) {
  const service = apiKey.key_type === "service";
  const context = apiKey.space_id ? spaceContext(viewer, apiKey.space_id) : null;
  const expired = isExpired(apiKey.expires_at);
  return (
    <Section title="Details">
      <dl className="grid gap-x-6 gap-y-3 sm:grid-cols-[10rem_1fr]">
        <Term label="Type">{service ? "Service key" : "User key"}</Term>
        <Term label={service ? "Acts as" : "Owner"}>
          {service ? `A bot user of its own, “${apiKey.name}”` : (apiKey.created_by?.name ?? "—")}
        </Term>
        {service ? (
          <>
            <Term label="Space">
              {context
                ? `${context.space.name} (${context.organization.name})`
                : "A space you cannot see, or deleted"}
            </Term>
            <Term label="Roles">
              {apiKey.roles ? (
                <ul className="flex flex-wrap gap-x-4 gap-y-1">
                  <li>Space: {ROLE_LABEL[apiKey.roles.space_role]}</li>
                  <li>Organization: {ROLE_LABEL[apiKey.roles.org_role]}</li>
                  <li>Account: {ROLE_LABEL[apiKey.roles.account_role]}</li>
                </ul>
              ) : (
                "—"
              )}
            </Term>
          </>
        ) : (
          <Term label="Access">Everything its owner can reach, with the owner’s roles</Term>
        )}
        <Term label="Created">
          by {apiKey.created_by?.name ?? "an unknown user"} on <DateTime iso={apiKey.created_at} />
        </Term>
        {apiKey.refreshed_at ? (
          <Term label="Last refreshed">
            <time dateTime={apiKey.refreshed_at}>{shortDate(apiKey.refreshed_at)}</time>
          </Term>
        ) : null}
        {apiKey.status === "revoked" ? null : (
          <Term label="Expires">
            {!apiKey.expires_at ? (
              "Never"
            ) : (
              <time dateTime={apiKey.expires_at} title={shortDate(apiKey.expires_at)}>
                {expired
                  ? `Expired ${relativeTime(apiKey.expires_at)}`
                  : `${relativeTime(apiKey.expires_at)} (${shortDate(apiKey.expires_at)})`}
              </time>
            )}
          </Term>
        )}
      </dl>
    </Section>
  );
}
