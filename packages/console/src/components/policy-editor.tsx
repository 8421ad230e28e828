/**
 * A policy's JSON with line numbers, validated as you type by `@castellan/policy` — the same parser
 * and validator the server runs — with every problem listed and marked at its line. Lines named in
 * `highlight` (the simulator's deciding statements) are marked too.
 */
import { parsePolicy, type Diagnostic, type PolicyKind, type PolicySizeClass } from '@castellan/policy';
import { useId, useMemo, useRef, type UIEvent } from 'react';

/**
 * The problems the server would find in `text` where it is used. `sizeClass` is the quota of that
 * place: a managed policy's by default for identity policies, an entity's inline quota for its
 * inline policies, and none for the simulator's pasted policies (SimulateCustomPolicy takes up to
 * 131,072 characters, whatever the policy's kind).
 */
export function validatePolicy(text: string, kind: PolicyKind, sizeClass: PolicySizeClass = kind === 'identity' ? 'managed' : 'none'): Diagnostic[] {
  const result = parsePolicy(text, { kind, sizeClass });
  return result.ok ? result.warnings : result.diagnostics;
}

export interface PolicyEditorProps {
  label: string;
  value: string;
  onChange?: (text: string) => void;
  kind: PolicyKind;
  /** The size quota of where the policy goes ({@link validatePolicy}'s default when left out). */
  sizeClass?: PolicySizeClass;
  readOnly?: boolean;
  /** Empty means "leave it out": no problems are listed for an empty text. */
  optional?: boolean;
  /** 1-based line ranges to mark (inclusive). */
  highlight?: ReadonlyArray<{ from: number; to: number }>;
}

export function PolicyEditor({ label, value, onChange, kind, sizeClass, readOnly, optional, highlight = [] }: PolicyEditorProps) {
  const id = useId();
  const gutter = useRef<HTMLDivElement>(null);
  const omitted = optional === true && value.trim() === '';
  const diagnostics = useMemo(() => (readOnly || omitted ? [] : validatePolicy(value, kind, sizeClass)), [value, kind, sizeClass, readOnly, omitted]);
  const lineCount = value.split('\n').length;
  const problemLines = new Map<number, Diagnostic['severity']>();
  for (const d of diagnostics) if (d.position && problemLines.get(d.position.line) !== 'error') problemLines.set(d.position.line, d.severity);
  const marked = (line: number) => highlight.some((h) => line >= h.from && line <= h.to);
  const syncScroll = (e: UIEvent<HTMLTextAreaElement>) => {
    if (gutter.current) gutter.current.scrollTop = e.currentTarget.scrollTop;
  };
  const errors = diagnostics.filter((d) => d.severity === 'error').length;
  return (
    <div className="policy-editor">
      <label htmlFor={id}>{label}</label>
      <div className="editor-frame">
        <div className="gutter" ref={gutter} aria-hidden="true">
          {Array.from({ length: lineCount }, (_, i) => {
            const line = i + 1;
            const problem = problemLines.get(line);
            return (
              <div key={line} className={`gutter-line${problem ? ` problem-${problem}` : ''}${marked(line) ? ' decided' : ''}`} data-line={line}>
                {line}
              </div>
            );
          })}
        </div>
        <textarea
          id={id}
          className="editor-text"
          value={value}
          spellCheck={false}
          readOnly={readOnly}
          wrap="off"
          rows={Math.min(Math.max(lineCount + 1, 8), 28)}
          aria-describedby={`${id}-problems`}
          aria-invalid={errors > 0}
          onScroll={syncScroll}
          onChange={(e) => onChange?.(e.target.value)}
        />
      </div>
      <div id={`${id}-problems`} aria-live="polite">
        {readOnly ? null : omitted ? (
          <p className="hint-line">Optional: left out while empty.</p>
        ) : diagnostics.length === 0 ? (
          <p className="valid">No problems: the policy is valid.</p>
        ) : (
          <ul className="problems">
            {diagnostics.map((d, i) => (
              <li key={i} className={`problem-${d.severity}`}>
                <strong>{d.position ? `Line ${d.position.line}` : 'Document'}</strong> ({d.severity}
                {d.path ? `, ${d.path}` : ''}): {d.message}
              </li>
            ))}
          </ul>
        )}
      </div>
    </div>
  );
}
