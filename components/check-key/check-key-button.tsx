"use client";

import { Suspense, useState } from "react";
import type { Viewer } from "@/components/api-keys/types";
import { Button } from "@/components/ui/button";
import { lazyComponent } from "@/components/ui/lazy-component";

// The dialog (react-hook-form, zod, Radix) is not in the page's first load: a pointer over or focus on
// the button starts the download.
const checkKey = lazyComponent(() => import("./check-key-dialog").then((m) => m.CheckKeyDialog));
const CheckKeyDialog = checkKey.Component;
const preload = () => void checkKey.preload().catch(() => undefined);

/** API Keys → Check a key (lifecycle.md §6): whose is a key found in a log or a chat? */
export function CheckKeyButton({ viewer }: { viewer: Viewer }) {
  const [open, setOpen] = useState(false);
  // Each opening starts from an empty form: the pasted key does not outlive the dialog.
  const [session, setSession] = useState(0);
  return (
    <>
      <Button
        onClick={() => {
          setSession((n) => n + 1);
          setOpen(true);
        }}
        onPointerEnter={preload}
        onFocus={preload}
      >
        Check a key
      </Button>
      <Suspense fallback={null}>
        {open ? <CheckKeyDialog key={session} viewer={viewer} onClose={() => setOpen(false)} /> : null}
      </Suspense>
    </>
  );
}
