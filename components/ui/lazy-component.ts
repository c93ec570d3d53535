import { lazy, type ComponentType } from "react";

/**
 * A component that is not part of the page's first load: `Component` loads it on first render (inside
 * a <Suspense>), `preload` starts the download earlier, on a pointer over or focus on what opens it.
 * React.lazy rather than next/dynamic: these render only after an interaction, never on the server,
 * and next/dynamic's loader would add its own code to the first load. A failed download is retried on
 * the next preload.
 */
export function lazyComponent<P extends object>(load: () => Promise<ComponentType<P>>) {
  let loading: Promise<ComponentType<P>> | undefined;
  const preload = () =>
    (loading ??= load().catch((error: unknown) => {
      loading = undefined;
      throw error;
    }));
  return { Component: lazy(() => preload().then((component) => ({ default: component }))), preload };
}
