import { useEffect, useRef, useState } from 'react';

/**
 * A destructive action asked twice, inline (no `window.confirm`, so it stays keyboard- and test-friendly).
 * `name` is the opening button's accessible name when its visible `label` alone is ambiguous (one
 * "Delete" per row): it should start with the label, so a speech user can say what they see.
 * Cancel or Escape closes the question and gives the keyboard back to the button that asked; so does
 * Yes, or, when the action removed that button, the heading of its section.
 */
export function ConfirmButton({ label, name, question, onConfirm, disabled }: { label: string; name?: string; question: string; onConfirm: () => void; disabled?: boolean }) {
  const [asking, setAsking] = useState(false);
  const button = useRef<HTMLButtonElement>(null);
  const answered = useRef(false);
  // The section a confirmed action was asked in: where the keyboard goes if the action removes this button.
  const section = useRef<HTMLElement | null>(null);
  // Answering removes the focused button: give the keyboard back to the one that asked.
  useEffect(() => {
    if (!asking && answered.current) {
      answered.current = false;
      button.current?.focus();
    }
  }, [asking]);
  // A confirmed deletion usually takes this button's row with it, which drops the keyboard on the page:
  // start again at the section's heading (its notice says what happened), unless focus went elsewhere.
  useEffect(
    () => () => {
      const landing = section.current;
      if (!landing) return;
      setTimeout(() => {
        const active = document.activeElement;
        if (!landing.isConnected || (active && active !== document.body)) return;
        const heading = landing.querySelector<HTMLElement>('h2, h3, h4');
        if (!heading) return;
        if (!heading.hasAttribute('tabindex')) heading.tabIndex = -1;
        heading.focus();
      }, 0);
    },
    [],
  );
  const cancel = () => {
    answered.current = true;
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
        onClick={(e) => {
          section.current = e.currentTarget.closest('section');
          answered.current = true;
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
