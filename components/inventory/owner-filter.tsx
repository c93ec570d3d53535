"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { Combobox } from "@/components/ui/combobox";
import { Button } from "@/components/ui/button";
import { unwrap } from "@/components/ui/action-failure";
import { searchPeopleAction } from "@/lib/dashboard/actions/members";

const SEARCH_PAUSE_MS = 250;

/** Owner: a combobox of the account's people, searched by name or email; its choice goes to the URL. */
export function OwnerFilter({
  ownerId,
  onOwner,
}: {
  ownerId: string | undefined;
  onOwner: (id: string | null) => void;
}) {
  const [text, setText] = useState("");
  const [search, setSearch] = useState("");
  useEffect(() => {
    const timer = setTimeout(() => setSearch(text.trim()), SEARCH_PAUSE_MS);
    return () => clearTimeout(timer);
  }, [text]);
  const people = useQuery({
    queryKey: ["people", search] as const,
    queryFn: async () => unwrap(await searchPeopleAction(search ? { search } : {})),
    placeholderData: keepPreviousData,
  });
  const options = (people.data ?? []).map((p) => ({
    value: p.id,
    label: p.name,
    detail: p.email ?? undefined,
  }));
  // A link with an owner: the box shows their name once it is known.
  const chosen = options.find((o) => o.value === ownerId);
  const [named, setNamed] = useState<string | undefined>(undefined);
  if (chosen && named !== chosen.value && text === "") {
    setNamed(chosen.value);
    setText(chosen.label);
  }

  return (
    <div className="min-w-0 sm:w-64">
      <label htmlFor="owner-filter" className="block text-sm font-medium">
        Owner
      </label>
      <div className="flex gap-1">
        <div className="min-w-0 flex-1">
          <Combobox
            id="owner-filter"
            options={options}
            value={ownerId ?? ""}
            onChange={(id) => onOwner(id)}
            query={text}
            onQueryChange={setText}
            placeholder="Anyone"
            loading={people.isFetching}
          />
        </div>
        {ownerId ? (
          <Button
            onClick={() => {
              setText("");
              onOwner(null);
            }}
            aria-label="Clear owner"
          >
            ×
          </Button>
        ) : null}
      </div>
    </div>
  );
}
