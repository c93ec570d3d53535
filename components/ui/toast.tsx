"use client";

import { createContext, useCallback, useContext, useEffect, useRef, useState, type ReactNode } from "react";

type Tone = "success" | "error";

interface Toast {
  /** Identifies this showing, so a replaced toast gets a fresh timer. */
  id: number;
  /** The action it reports: a new toast for the same action replaces the old one. */
  action: string;
  message: string;
  tone: Tone;
}

type ShowToast = (message: string, options: { action: string; tone?: Tone }) => void;

const ToastContext = createContext<ShowToast>(() => undefined);

export function useToast() {
  return useContext(ToastContext);
}

/**
 * Announces completed actions politely. One toast per action at a time: a second "key issued" replaces
 * the first instead of stacking under it. Each leaves on its own after a few seconds.
 */
export function ToastProvider({ children }: { children: ReactNode }) {
  const [toasts, setToasts] = useState<Toast[]>([]);
  const next = useRef(1);
  const show = useCallback<ShowToast>((message, { action, tone = "success" }) => {
    const id = next.current++;
    setToasts((list) => [...list.filter((t) => t.action !== action), { id, action, message, tone }]);
  }, []);
  const dismiss = useCallback((id: number) => setToasts((list) => list.filter((t) => t.id !== id)), []);
  return (
    <ToastContext.Provider value={show}>
      {children}
      <div
        role="status"
        aria-live="polite"
        className="pointer-events-none fixed bottom-4 right-4 z-[60] flex w-[calc(100vw-2rem)] max-w-sm flex-col gap-2"
      >
        {toasts.map((toast) => (
          <ToastItem key={toast.id} toast={toast} onDone={dismiss} />
        ))}
      </div>
    </ToastContext.Provider>
  );
}

function ToastItem({ toast, onDone }: { toast: Toast; onDone: (id: number) => void }) {
  useEffect(() => {
    const timer = setTimeout(() => onDone(toast.id), 5000);
    return () => clearTimeout(timer);
  }, [onDone, toast.id]);
  return (
    <p
      className={
        toast.tone === "success"
          ? "pointer-events-auto rounded-lg bg-slate-900 px-4 py-3 text-sm text-white shadow-lg dark:bg-white dark:text-slate-900"
          : "pointer-events-auto rounded-lg bg-red-700 px-4 py-3 text-sm text-white shadow-lg"
      }
    >
      {toast.message}
    </p>
  );
}
