import { relativeTime } from "@/components/api-keys/format";
import type { ApiKeyDetailsJson } from "@/lib/schemas/api-key-details";
import { at } from "./format";
import { Section, Term } from "./section";

const th =
  "px-3 py-2 text-left text-xs font-medium uppercase tracking-wide text-slate-600 dark:text-slate-400";
const td = "px-3 py-2 align-top text-sm text-slate-900 dark:text-slate-100";

/** Last use, whether the previous secret is still used during a grace, and the addresses it was used from. */
export function KeyActivity({ apiKey }: { apiKey: ApiKeyDetailsJson }) {
  const usage = apiKey.usage;
  const lastUsed = usage?.last_used_at ?? apiKey.last_used_at;
  const addresses = usage?.addresses ?? [];
  const inGrace = apiKey.status === "active" && apiKey.grace_until;
  const previous = usage?.previous_secret_last_used_at;
  return (
    <Section title="Activity">
      <dl className="grid gap-x-6 gap-y-3 sm:grid-cols-[10rem_1fr]">
        <Term label="Last used">
          {lastUsed ? (
            <time dateTime={lastUsed} title={at(lastUsed)}>
              {relativeTime(lastUsed)}
            </time>
          ) : (
            "Never"
          )}
        </Term>
        {inGrace && apiKey.grace_until ? (
          <Term label="Previous secret">
            <p>
              {previous ? (
                <>
                  Previous secret last used <time dateTime={previous}>{relativeTime(previous)}</time> (
                  {at(previous)})
                </>
              ) : (
                "Previous secret not used since the refresh"
              )}
            </p>
            <p className="text-xs text-slate-600 dark:text-slate-400">
              It works until <time dateTime={apiKey.grace_until}>{at(apiKey.grace_until)}</time>.
            </p>
          </Term>
        ) : null}
      </dl>
      <h3 id="addresses-heading" className="mb-2 mt-5 text-sm font-semibold text-slate-900 dark:text-white">
        Addresses
      </h3>
      {addresses.length === 0 ? (
        <p className="text-sm text-slate-600 dark:text-slate-400">
          No requests recorded yet. Addresses appear here a few seconds after the key is used.
        </p>
      ) : (
        // Focusable, so the table can be scrolled sideways from the keyboard on a narrow screen.
        <div
          tabIndex={0}
          role="region"
          aria-label="Addresses (scrolls sideways)"
          className="overflow-x-auto rounded-md border border-slate-200 focus-visible:outline focus-visible:outline-2 focus-visible:outline-indigo-600 dark:border-slate-800"
        >
          <table
            aria-labelledby="addresses-heading"
            className="w-full min-w-[32rem] divide-y divide-slate-200 dark:divide-slate-800"
          >
            <thead className="bg-slate-50 dark:bg-slate-950">
              <tr>
                <th scope="col" className={th}>
                  Address
                </th>
                <th scope="col" className={th}>
                  First seen
                </th>
                <th scope="col" className={th}>
                  Last seen
                </th>
                <th scope="col" className={`${th} text-right`}>
                  Requests
                </th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-200 dark:divide-slate-800">
              {addresses.map((a) => (
                <tr key={a.address}>
                  <td className={td}>
                    <div className="font-mono text-xs">{a.address}</div>
                    {a.user_agent ? (
                      <div
                        className="mt-0.5 max-w-[20rem] truncate text-xs text-slate-600 dark:text-slate-400"
                        title={a.user_agent}
                      >
                        {a.user_agent}
                      </div>
                    ) : null}
                  </td>
                  <td className={td}>
                    <time dateTime={a.first_seen_at}>{at(a.first_seen_at)}</time>
                  </td>
                  <td className={td}>
                    <time dateTime={a.last_seen_at}>{at(a.last_seen_at)}</time>
                  </td>
                  <td className={`${td} text-right tabular-nums`}>{a.requests.toLocaleString("en")}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </Section>
  );
}
