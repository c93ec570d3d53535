import Link from "next/link";
import { mayCreateOrganization, mayCreateSpace } from "@/lib/roles/directory";
import type { Viewer } from "./types";

/**
 * Service keys live in spaces: with none to reach, say how to get one. A server component, passed to
 * the view as an element, so the directory rules it asks stay out of the page's JavaScript.
 */
export function NoSpaces({ viewer }: { viewer: Viewer }) {
  const mayCreate = mayCreateSpace(viewer).allowed || mayCreateOrganization(viewer).allowed;
  return (
    <div className="rounded-lg border border-dashed border-slate-300 bg-white p-10 text-center dark:border-slate-700 dark:bg-slate-900">
      <p className="font-medium text-slate-900 dark:text-white">No spaces yet</p>
      <p className="mt-1 text-sm text-slate-600 dark:text-slate-400">
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
      </p>
    </div>
  );
}
