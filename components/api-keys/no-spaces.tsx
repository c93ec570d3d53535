import Link from "next/link";
import { mayCreateOrganization, mayCreateSpace } from "@/lib/roles/directory";
import type { Viewer } from "./types";
import { EmptyState } from "@/components/ui/list-states";

/**
 * Service keys live in spaces: with none to reach, say how to get one. A server component, passed to
 * the view as an element, so the directory rules it asks stay out of the page's JavaScript.
 */
export function NoSpaces({ viewer }: { viewer: Viewer }) {
  const mayCreate = mayCreateSpace(viewer).allowed || mayCreateOrganization(viewer).allowed;
  return (
    <EmptyState
      title="No spaces yet"
      hint={
        <>
          Service keys work in one space.{" "}
          {mayCreate ? (
            <Link
              href="/settings/spaces"
              className="font-medium text-indigo-700 underline dark:text-indigo-300"
            >
              Create a space
            </Link>
          ) : (
            "Ask an admin to add you to a space."
          )}
        </>
      }
    />
  );
}
