"use client";

import { useEffect, useState } from "react";

/**
 * Where focus goes when a dialog closes. Radix gives it back to the dialog's own `Trigger`, and ours
 * have none: they open from buttons and row menus through state (and load on demand), so Radix
 * focused nothing and focus fell to <body> — a keyboard user started over from the top of the page.
 * Here the page remembers the last control focused outside any dialog or menu (the button, or the
 * row's Actions button whose menu opened the dialog), and a dialog takes that as its way back when
 * it opens.
 */
const OVERLAYS = '[role="dialog"],[role="alertdialog"],[role="menu"]';
let lastOutside: HTMLElement | null = null;

function remember(event: FocusEvent) {
  const target = event.target;
  if (target instanceof HTMLElement && !target.closest(OVERLAYS)) lastOutside = target;
}

/** Starts remembering (once per page, from the settings layout, before any dialog has loaded). */
export function useFocusTracking() {
  useEffect(() => {
    document.addEventListener("focusin", remember);
    return () => document.removeEventListener("focusin", remember);
  }, []);
}

/**
 * For a dialog's content, as `onCloseAutoFocus`: focus goes back to the control the dialog was opened
 * from, when it is still on the page and no other dialog has taken focus. A handler of the dialog's
 * own that prevents the default wins.
 */
export function useFocusReturn(own?: (event: Event) => void) {
  // Taken when the content mounts, that is when the dialog opens.
  const [returnTo] = useState(() => lastOutside);
  return (event: Event) => {
    own?.(event);
    if (event.defaultPrevented) return;
    event.preventDefault();
    // A dialog that closes as another opens (New API Key → the reveal) leaves focus in the new one.
    if (document.activeElement?.closest('[role="dialog"],[role="alertdialog"]')) return;
    if (returnTo?.isConnected) returnTo.focus();
  };
}
