"use client";

import { useEffect, useRef } from "react";

/**
 * The last control focused outside any dialog or menu, for the reveal dialog to give focus back to on
 * close. Radix returns it to what had focus when that dialog opened, but that is inside the dialog that
 * issued the key (New API Key, Refresh API Key), gone by then, so focus would drop to <body>; the New API
 * Key button or the row's Actions button that started it all is the place. Tracked by the page from its
 * first paint, so the reveal dialog itself can load only when a key is issued.
 */
export function useReturnFocus() {
  const returnFocus = useRef<HTMLElement | null>(null);
  useEffect(() => {
    const remember = (event: FocusEvent) => {
      const target = event.target;
      if (
        target instanceof HTMLElement &&
        !target.closest('[role="dialog"],[role="alertdialog"],[role="menu"]')
      )
        returnFocus.current = target;
    };
    document.addEventListener("focusin", remember);
    return () => document.removeEventListener("focusin", remember);
  }, []);
  return returnFocus;
}
