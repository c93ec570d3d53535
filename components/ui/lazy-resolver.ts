import type { FieldValues, Resolver } from "react-hook-form";

/**
 * A form's resolver that loads itself — zod and the schema — when the form is first used rather than
 * with the page. The sign-in pages are their form, and zod alone would take them past the 160 KiB page
 * budget. `preload` (on the form's first input) starts the download; a validation before it has
 * arrived waits for it. A failed download is tried again on the next validation.
 */
export function lazyResolver<T extends FieldValues>(load: () => Promise<Resolver<T>>) {
  let loading: Promise<Resolver<T>> | undefined;
  const ready = () =>
    (loading ??= load().catch((err: unknown) => {
      loading = undefined;
      throw err;
    }));
  const resolver: Resolver<T> = async (values, context, options) => (await ready())(values, context, options);
  return {
    resolver,
    preload: () => {
      ready().catch(() => undefined);
    },
  };
}
