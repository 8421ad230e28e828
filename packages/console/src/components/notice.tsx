import type { ReactNode } from 'react';
import { encodedMessageFor } from '../api/aws-call.js';
import { DenialExplainer } from './denial-explainer.js';

/**
 * An error (AWS's code and message) or a confirmation, announced to screen readers. An error that is
 * a denial the server explained (an encoded authorization message came with it) is followed by
 * "Why was this denied?".
 */
export function Notice({ kind, children }: { kind: 'error' | 'ok'; children: ReactNode }) {
  if (!children) return null;
  const encoded = kind === 'error' && typeof children === 'string' ? encodedMessageFor(children) : undefined;
  return (
    <>
      <p className={`notice notice-${kind}`} role={kind === 'error' ? 'alert' : 'status'}>
        {children}
      </p>
      {encoded && <DenialExplainer key={encoded} encoded={encoded} />}
    </>
  );
}
