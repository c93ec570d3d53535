"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useEffect, useMemo, useState } from "react";
import { failureMessage, unwrap } from "@/components/ui/action-failure";
import { Button } from "@/components/ui/button";
import { Combobox } from "@/components/ui/combobox";
import { Dialog, DialogContent } from "@/components/ui/dialog";
import { Field } from "@/components/ui/field";
import { FormError } from "@/components/ui/form-error";
import { useToast } from "@/components/ui/toast";
import { searchPeopleAction } from "@/lib/dashboard/actions/members";
import { addScopeMemberAction } from "@/lib/dashboard/actions/spaces";
import type { ScopeDetail, ScopeMember } from "@/lib/keys-client/reshape";
import { clampedChoice, clampNote, scopeRoleOptions } from "@/lib/roles/directory";
import { ROLE_LABEL, type ScopeRole } from "@/lib/roles/names";
import { directoryQueries } from "./queries";
import { RoleSelect } from "./role-select";

export function AddMemberDialog({
  scope,
  members,
  onClose,
}: {
  scope: ScopeDetail;
  members: ScopeMember[];
  onClose: () => void;
}) {
  const router = useRouter();
  const toast = useToast();
  const queryClient = useQueryClient();
  const options = scopeRoleOptions(scope.name, scope.role ?? "read-only");
  const [role, setRole] = useState<ScopeRole>(clampedChoice(options, "member") ?? "read-only");
  const [personId, setPersonId] = useState("");
  const [text, setText] = useState("");
  const [search, setSearch] = useState("");
  const [error, setError] = useState<string | null>(null);

  // The account's people, searched on the server by name or email as the box is typed into (after a pause).
  useEffect(() => {
    const timer = setTimeout(() => setSearch(personId ? "" : text.trim()), 250);
    return () => clearTimeout(timer);
  }, [text, personId]);
  const people = useQuery({
    queryKey: ["members", "people", search],
    queryFn: async () => unwrap(await searchPeopleAction({ search })),
  });
  const memberIds = useMemo(() => new Set(members.map((m) => m.userId)), [members]);
  const candidates = useMemo(() => {
    const typed = personId ? "" : text.trim().toLowerCase();
    return (people.data ?? [])
      .filter((p) => !memberIds.has(p.id))
      .filter((p) => !typed || p.name.toLowerCase().includes(typed) || p.email.toLowerCase().includes(typed))
      .map((p) => ({
        value: p.id,
        label: p.name,
        detail: `${p.email}${p.status === "invited" ? " · Invited" : ""}`,
      }));
  }, [people.data, memberIds, personId, text]);
  const person = (people.data ?? []).find((p) => p.id === personId);

  // A space's members must belong to its organization (directory.md): say what Add will do about it.
  const organization = scope.kind === "space" ? scope.organization : null;
  const orgMembers = useQuery({
    ...directoryQueries.organizationMemberIds(organization?.id ?? ""),
    enabled: organization !== null,
  });
  const outsideOrg = organization && person && orgMembers.data ? !orgMembers.data.includes(person.id) : false;
  const mayJoinOrg = organization?.role === "admin";

  const add = useMutation({
    mutationFn: async () =>
      unwrap(
        await addScopeMemberAction({
          kind: scope.kind,
          id: scope.id,
          userId: personId,
          role,
          ...(organization && outsideOrg ? { joinOrganization: true } : {}),
        }),
      ),
    onSuccess: () => {
      // Joining the organization too is part of what happened: say so (directory.md).
      const joined = organization && outsideOrg ? `, and to ${organization.name} as Read-Only` : "";
      toast(`${person?.name ?? "They"} was added to ${scope.name} as ${ROLE_LABEL[role]}${joined}.`, {
        action: "member-added",
      });
      onClose();
      void queryClient.invalidateQueries({ queryKey: directoryQueries.all });
      router.refresh();
    },
    onError: (e) => setError(failureMessage(e, "They could not be added. Try again.")),
  });

  const submit = () => {
    if (!personId) return setError("Choose a person.");
    setError(null);
    add.mutate();
  };
  const note = clampNote(options);

  return (
    <Dialog open onOpenChange={(open) => (!open && !add.isPending ? onClose() : undefined)}>
      <DialogContent title="Add member" description={`Give someone a role in ${scope.name}.`}>
        <form
          onSubmit={(e) => {
            e.preventDefault();
            submit();
          }}
          noValidate
          className="space-y-4"
        >
          <Field
            id="person"
            label="Person"
            hint="Search by name or email. Invited people can be added before they join."
          >
            <Combobox
              id="person"
              describedBy="person-hint"
              options={candidates}
              value={personId}
              onChange={setPersonId}
              query={text}
              onQueryChange={setText}
              placeholder="Name or email"
              loading={people.isFetching}
            />
          </Field>
          {outsideOrg && organization ? (
            <p
              role="status"
              className="rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-900 dark:bg-amber-950 dark:text-amber-200"
            >
              {mayJoinOrg
                ? `${person?.name} is not in ${organization.name} yet: Add also adds them to ${organization.name} as Read-Only.`
                : `${person?.name} is not a member of ${organization.name}. Ask an admin of ${organization.name} to add them first.`}
            </p>
          ) : null}
          <RoleSelect id="member-role" options={options} value={role} onChange={setRole} note={note} />
          <FormError message={error} />
          <div className="flex justify-end gap-2 pt-2">
            <Button onClick={onClose} disabled={add.isPending}>
              Cancel
            </Button>
            <Button type="submit" variant="primary" disabled={add.isPending || (outsideOrg && !mayJoinOrg)}>
              {add.isPending ? "Adding…" : "Add"}
            </Button>
          </div>
        </form>
      </DialogContent>
    </Dialog>
  );
}
