import { useEffect, useRef, useState } from 'react';

/**
 * A destructive action asked twice, inline (no `window.confirm`, so it stays keyboard- and test-friendly).
 * `name` is the opening button's accessible name when its visible `label` alone is ambiguous (one
 * "Delete" per row): it should start with the label, so a speech user can say what they see.
 * Cancel or Escape closes the question and gives the keyboard back to the button that asked.
 */
export function ConfirmButton({ label, name, question, onConfirm, disabled }: { label: string; name?: string; question: string; onConfirm: () => void; disabled?: boolean }) {
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
  const cancel = () => {
    cancelled.current = true;
    setAsking(false);
  };
  if (!asking) {
    return (
      <button ref={button} type="button" className="danger" aria-label={name} disabled={disabled} onClick={() => setAsking(true)}>
        {label}
      </button>
    );
  }
  return (
    <span
      className="confirm"
      role="group"
      aria-label={question}
      onKeyDown={(e) => {
        if (e.key !== 'Escape') return;
        // Escape answers this question only, not an enclosing dialog or form.
        e.stopPropagation();
        cancel();
      }}
    >
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
      <button type="button" onClick={cancel}>
        Cancel
      </button>
    </span>
  );
}
