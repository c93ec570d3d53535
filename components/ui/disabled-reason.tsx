"use client";

import { useId, useLayoutEffect, useRef, useState, type ComponentProps } from "react";
import { Button } from "./button";
import { cn } from "./cn";

/** Room kept between the tooltip and the viewport's edges. */
const EDGE = 8;

/**
 * A button that may be off for a reason the viewer should know ("Read-only members can't create
 * service keys"). With a reason it is `aria-disabled`, not `disabled`: a disabled <button> takes no
 * focus and no hover, so neither a keyboard nor a pointer could ask why. Its click does nothing; the
 * reason is the button's accessible description (`aria-describedby`), always in the DOM, and shows
 * as a tooltip on hover and focus (Escape hides it). Without a reason it is a plain Button.
 */
export function ReasonButton({
  reason,
  onClick,
  onFocus,
  onPointerEnter,
  ...props
}: ComponentProps<typeof Button> & { reason: string | null | undefined }) {
  const id = useId();
  const [open, setOpen] = useState(false);
  const tip = useRef<HTMLSpanElement>(null);

  // Kept inside the viewport: at 390 px a header's button may sit at the left edge.
  useLayoutEffect(() => {
    const node = tip.current;
    if (!open || !node) return;
    node.style.transform = "";
    const box = node.getBoundingClientRect();
    const max = document.documentElement.clientWidth - EDGE;
    const shift = box.left < EDGE ? EDGE - box.left : box.right > max ? max - box.right : 0;
    node.style.transform = shift ? `translateX(${shift}px)` : "";
  }, [open]);

  if (!reason)
    return <Button onClick={onClick} onFocus={onFocus} onPointerEnter={onPointerEnter} {...props} />;
  return (
    <span
      className="relative inline-flex"
      onPointerEnter={() => setOpen(true)}
      onPointerLeave={() => setOpen(false)}
      onFocus={() => setOpen(true)}
      onBlur={() => setOpen(false)}
      onKeyDown={(event) => {
        if (event.key === "Escape" && open) {
          event.stopPropagation();
          setOpen(false);
        }
      }}
    >
      <Button
        {...props}
        aria-disabled="true"
        aria-describedby={id}
        onClick={(event) => event.preventDefault()}
      />
      <span
        ref={tip}
        id={id}
        role="tooltip"
        className={cn(
          "absolute right-0 top-full z-30 mt-2 w-max max-w-64 rounded-md bg-slate-900 px-2.5 py-1.5 text-left text-xs font-normal text-white shadow-lg dark:bg-slate-700",
          open ? "visible" : "invisible",
        )}
      >
        {reason}
      </span>
    </span>
  );
}
