import { useEffect, useRef, useState } from 'react';

/** A destructive action asked twice, inline (no `window.confirm`, so it stays keyboard- and test-friendly). */
export function ConfirmButton({ label, question, onConfirm, disabled }: { label: string; question: string; onConfirm: () => void; disabled?: boolean }) {
  const [asking, setAsking] = useState(false);
  const button = useRef<HTMLButtonElement>(null);
  const cancelled = useRef(false);
  // Cancel removes the focused button: give the keyboard back to the one that asked.
  useEffect(() => {
    if (!asking && cancelled.current) {
      cancelled.current = false;
      button.current?.focus();
    }
  }, [asking]);
  if (!asking) {
    return (
      <button ref={button} type="button" className="danger" disabled={disabled} onClick={() => setAsking(true)}>
        {label}
      </button>
    );
  }
  return (
    <span className="confirm" role="group" aria-label={question}>
      <span>{question}</span>
      <button
        type="button"
        className="danger"
        autoFocus
        onClick={() => {
          setAsking(false);
          onConfirm();
        }}
      >
        Yes, {label.toLowerCase()}
      </button>
      <button
        type="button"
        onClick={() => {
          cancelled.current = true;
          setAsking(false);
        }}
      >
        Cancel
      </button>
    </span>
  );
}
