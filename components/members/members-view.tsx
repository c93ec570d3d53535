"use client";

import { useInfiniteQuery } from "@tanstack/react-query";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { Suspense, useEffect, useMemo, useState } from "react";
import { ActionFailure } from "@/components/ui/action-failure";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { ReasonButton } from "@/components/ui/disabled-reason";
import { inputClass } from "@/components/ui/field";
import { RowMenu } from "@/components/ui/row-menu";
import { useToast } from "@/components/ui/toast";
import type { Invitation, Member, Page, UserStatus } from "@/lib/keys-client/reshape";
import { memberActions, mayInviteMembers, unblockAction, type DirectoryViewer } from "@/lib/roles/directory";
import { lazyComponent } from "@/components/ui/lazy-component";
import { memberQueries } from "./queries";
import { membersQuery, membersStateFromParams } from "./url-state";
import { LoadError } from "@/components/ui/load-error";
import { EmptyState, Skeleton } from "@/components/ui/list-states";

// The dialogs (react-hook-form, zod, Radix) load when first wanted, not with the page: a pointer over or
// focus on the button that opens one starts the download. Share comes with the dialogs that issue a secret.
const share = lazyComponent(() => import("./share-invitation-dialog").then((m) => m.ShareInvitationDialog));
const invite = lazyComponent(() =>
  Promise.all([import("./invite-member-dialog"), share.preload()]).then(([m]) => m.InviteMemberDialog),
);
const changeRole = lazyComponent(() =>
  import("./change-account-role-dialog").then((m) => m.ChangeAccountRoleDialog),
);
const reissue = lazyComponent(() =>
  Promise.all([import("./reissue-dialog"), share.preload()]).then(([m]) => m.ReissueDialog),
);
const block = lazyComponent(() => import("./block-member-dialog").then((m) => m.BlockMemberDialog));
const unblock = lazyComponent(() => import("./unblock-member-dialog").then((m) => m.UnblockMemberDialog));
const preloadUnblock = () => void unblock.preload().catch(() => undefined);
const preloadRowDialogs = () =>
  void Promise.all([changeRole.preload(), reissue.preload(), block.preload()]).catch(() => undefined);
const preloadInvite = () => void invite.preload().catch(() => undefined);
const InviteMemberDialog = invite.Component;
const ChangeAccountRoleDialog = changeRole.Component;
const ReissueDialog = reissue.Component;
const BlockMemberDialog = block.Component;
const UnblockMemberDialog = unblock.Component;
const ShareInvitationDialog = share.Component;

const STATUS_BADGE: Record<UserStatus, { label: string; tone: "green" | "indigo" | "amber" | "red" }> = {
  active: { label: "Active", tone: "green" },
  invited: { label: "Invited", tone: "indigo" },
  expired: { label: "Expired", tone: "amber" },
  blocked: { label: "Blocked", tone: "red" },
};

const DATE = new Intl.DateTimeFormat("en", { year: "numeric", month: "short", day: "numeric" });
const th =
  "px-3 py-2 text-left text-xs font-semibold uppercase tracking-wide text-slate-600 dark:text-slate-400";
const td = "px-3 py-3 align-top text-sm";

type Pending =
  | { kind: "role"; member: Member }
  | { kind: "reset" | "resend"; member: Member }
  | { kind: "block"; member: Member }
  | { kind: "unblock"; member: Member }
  | null;

/** Settings → Members. Search and paging live in the URL. */
export function MembersView({ viewer, first }: { viewer: DirectoryViewer; first?: Page<Member> }) {
  const router = useRouter();
  const pathname = usePathname();
  const params = useSearchParams();
  const toast = useToast();
  const { search, pages } = useMemo(() => membersStateFromParams(params), [params]);
  const setUrl = (next: { search: string; pages: number }) =>
    router.replace(
      `${pathname}${membersQuery(next, new URLSearchParams(params.toString()))}` as "/settings/members",
      {
        scroll: false,
      },
    );

  // Typed into local state; reaches the URL (and the query) after a short pause.
  const [searchText, setSearchText] = useState(search);
  const [urlSearch, setUrlSearch] = useState(search);
  if (search !== urlSearch) {
    setUrlSearch(search);
    if (searchText.trim() !== search) setSearchText(search);
  }
  useEffect(() => {
    const wanted = searchText.trim();
    if (wanted === search) return;
    const timer = setTimeout(() => setUrl({ search: wanted, pages: 1 }), 300);
    return () => clearTimeout(timer);
  });

  const [opening] = useState(first);
  const query = useInfiniteQuery(memberQueries.list(search, search === "" ? opening : undefined));
  const rows = useMemo(() => query.data?.pages.flatMap((p) => p.items) ?? [], [query.data]);
  const loadedPages = query.data?.pages.length ?? 0;

  // A reload or a shared link with pages=N shows the same N pages.
  useEffect(() => {
    if (query.isSuccess && query.hasNextPage && !query.isFetchingNextPage && loadedPages < pages)
      void query.fetchNextPage();
  }, [query, loadedPages, pages]);

  useEffect(() => {
    if (query.error instanceof ActionFailure && query.error.error.code === "authentication_required")
      router.replace(`/login?next=${encodeURIComponent(pathname)}` as "/login");
  }, [query.error, router, pathname]);

  const mayInvite = mayInviteMembers(viewer);
  const [inviting, setInviting] = useState(0);
  const [pending, setPendingState] = useState<Pending>(null);
  const [shared, setShared] = useState<Invitation | null>(null);
  // The Share dialog mounts (closed) with the first dialog that can issue a secret, so it is loaded and
  // in place when the secret comes: it opens in the same render that closes the issuing dialog.
  const [shareMounted, setShareMounted] = useState(false);
  const openInvite = () => {
    setInviting((n) => n + 1);
    setShareMounted(true);
  };
  const setPending = (next: Pending) => {
    setPendingState(next);
    if (next?.kind === "reset" || next?.kind === "resend") setShareMounted(true);
  };
  // The Share dialog says it all when there is a secret to pass on; a toast only when there is none.
  const onShare = (invitation: Invitation | null, message: string) => {
    if (invitation) setShared(invitation);
    else toast(message, { action: "invited" });
  };

  return (
    <div className="space-y-5">
      <div className="flex flex-wrap items-start justify-between gap-3">
        <div>
          <h1 className="text-2xl font-semibold text-slate-900 dark:text-white">Members</h1>
          <p className="mt-1 text-sm text-slate-600 dark:text-slate-400">
            Everyone in this account. Account admins invite people and manage their access.
          </p>
        </div>
        <ReasonButton
          variant="primary"
          onClick={openInvite}
          onPointerEnter={preloadInvite}
          onFocus={preloadInvite}
          reason={mayInvite.allowed ? null : mayInvite.reason}
        >
          <span aria-hidden="true">+</span> Invite member
        </ReasonButton>
      </div>

      <div>
        <label htmlFor="member-search" className="sr-only">
          Search members
        </label>
        <input
          id="member-search"
          type="search"
          placeholder="Search by name or email"
          value={searchText}
          onChange={(e) => setSearchText(e.target.value)}
          className={inputClass}
        />
      </div>

      {query.isPending ? (
        <Skeleton label="Loading members" className="h-40" />
      ) : query.isError ? (
        <LoadError what="members" message={query.error.message} onRetry={() => void query.refetch()} />
      ) : rows.length === 0 ? (
        <EmptyState
          title={search ? "No members match" : "No members yet"}
          hint={search ? "Try another search." : "Invite the people who need keys."}
        />
      ) : (
        <>
          <div className="relative overflow-x-auto rounded-lg border border-slate-200 bg-white dark:border-slate-800 dark:bg-slate-900">
            <table className="min-w-full divide-y divide-slate-200 dark:divide-slate-800">
              <thead className="bg-slate-50 dark:bg-slate-900">
                <tr>
                  <th scope="col" className={th}>
                    Name
                  </th>
                  <th scope="col" className={th}>
                    Email
                  </th>
                  <th scope="col" className={th}>
                    Account role
                  </th>
                  <th scope="col" className={th}>
                    Status
                  </th>
                  <th scope="col" className={th}>
                    Joined
                  </th>
                  <th scope="col" className={th}>
                    <span className="sr-only">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100 dark:divide-slate-800">
                {rows.map((member) => {
                  const actions = memberActions(viewer, member);
                  const unblocking = unblockAction(viewer, member);
                  const badge = STATUS_BADGE[member.status];
                  return (
                    <tr key={member.id}>
                      <td className={`${td} font-medium text-slate-900 dark:text-white`}>
                        {member.name}
                        {member.id === viewer.user.id ? (
                          <span className="ml-1 text-xs text-slate-500">(you)</span>
                        ) : null}
                      </td>
                      <td className={`${td} break-all text-slate-700 dark:text-slate-300`}>{member.email}</td>
                      <td className={`${td} text-slate-700 dark:text-slate-300`}>
                        {member.accountRole === "admin" ? "Admin" : "Member"}
                      </td>
                      <td className={td}>
                        <Badge tone={badge.tone}>{badge.label}</Badge>
                      </td>
                      <td className={`${td} whitespace-nowrap text-slate-700 dark:text-slate-300`}>
                        {/* Until they join, the date is the invitation's, and says so. */}
                        {member.status === "invited" ? "Invited " : null}
                        <time dateTime={member.createdAt}>{DATE.format(new Date(member.createdAt))}</time>
                      </td>
                      <td className={`${td} text-right`}>
                        {actions ? (
                          <RowMenu
                            name={member.name}
                            onIntent={preloadRowDialogs}
                            items={[
                              {
                                label: "Change account role",
                                onSelect: () => setPending({ kind: "role", member }),
                              },
                              {
                                label: "Reset password",
                                disabledReason: actions.resetPassword.allowed
                                  ? undefined
                                  : actions.resetPassword.reason,
                                onSelect: () => setPending({ kind: "reset", member }),
                              },
                              ...(actions.resendInvitation
                                ? [
                                    {
                                      label: "Resend invitation",
                                      onSelect: () => setPending({ kind: "resend", member }),
                                    },
                                  ]
                                : []),
                              {
                                label: "Block",
                                danger: true,
                                disabledReason: actions.block.allowed ? undefined : actions.block.reason,
                                onSelect: () => setPending({ kind: "block", member }),
                              },
                            ]}
                          />
                        ) : unblocking ? (
                          <RowMenu
                            name={member.name}
                            onIntent={preloadUnblock}
                            items={[
                              {
                                label: "Unblock",
                                disabledReason: unblocking.allowed ? undefined : unblocking.reason,
                                onSelect: () => setPending({ kind: "unblock", member }),
                              },
                            ]}
                          />
                        ) : null}
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
          {query.hasNextPage ? (
            <div className="flex justify-center">
              <Button
                onClick={() => {
                  setUrl({ search, pages: loadedPages + 1 });
                  void query.fetchNextPage();
                }}
                disabled={query.isFetchingNextPage}
              >
                {query.isFetchingNextPage ? "Loading…" : "Load more"}
              </Button>
            </div>
          ) : null}
          {query.isFetchNextPageError ? (
            <p role="alert" className="text-center text-sm text-red-700">
              More members could not be loaded. Try again.
            </p>
          ) : null}
        </>
      )}

      {/* One boundary each: a dialog loading must not hide one already open. */}
      <Suspense fallback={null}>
        {inviting > 0 ? (
          <InviteMemberDialog
            key={inviting}
            onClose={() => setInviting(0)}
            onInvited={(member, invitation) =>
              onShare(
                invitation,
                invitation ? `${member.name} is invited.` : `${member.name} is invited by email.`,
              )
            }
          />
        ) : null}
      </Suspense>
      <Suspense fallback={null}>
        {pending?.kind === "role" ? (
          <ChangeAccountRoleDialog viewer={viewer} member={pending.member} onClose={() => setPending(null)} />
        ) : null}
      </Suspense>
      <Suspense fallback={null}>
        {pending?.kind === "reset" || pending?.kind === "resend" ? (
          <ReissueDialog
            kind={pending.kind}
            member={pending.member}
            onClose={() => setPending(null)}
            onIssued={(invitation) =>
              onShare(
                invitation,
                pending.kind === "reset"
                  ? `${pending.member.name}'s password is reset.`
                  : invitation
                    ? `A new invitation for ${pending.member.name} is ready.`
                    : `A new invitation link was emailed to ${pending.member.email}.`,
              )
            }
          />
        ) : null}
      </Suspense>
      <Suspense fallback={null}>
        {pending?.kind === "block" ? (
          <BlockMemberDialog member={pending.member} onClose={() => setPending(null)} />
        ) : null}
      </Suspense>
      <Suspense fallback={null}>
        {pending?.kind === "unblock" ? (
          <UnblockMemberDialog member={pending.member} onClose={() => setPending(null)} />
        ) : null}
      </Suspense>
      <Suspense fallback={null}>
        {shareMounted ? <ShareInvitationDialog invitation={shared} onClose={() => setShared(null)} /> : null}
      </Suspense>
    </div>
  );
}
