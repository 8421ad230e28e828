/**
 * "Why was this denied?" under a refusal any page shows: the encoded authorization message the
 * denial came with, decoded by STS DecodeAuthorizationMessage as the signed-in user (so only for a
 * user allowed sts:DecodeAuthorizationMessage), and the way to the audit trail's refused calls,
 * where the call's record carries the same decision for whoever may read the trail.
 */
import { useState } from 'react';
import { errorText, query } from '../api/aws-call.js';
import { DecidingStatements } from './deciding-statements.js';
import { splitStatementId } from './policy-ref.js';

/** The members of AWS's DecodedMessage the console shows. */
interface DecodedMessage {
  explicitDeny?: boolean;
  matchedStatements?: { items?: Array<{ statementId?: string; effect?: string }> };
  context?: { principal?: { arn?: string }; action?: string; resource?: string };
}

type Outcome = { decoded: DecodedMessage } | { error: string };

export function DenialExplainer({ encoded }: { encoded: string }) {
  const [open, setOpen] = useState(false);
  const [outcome, setOutcome] = useState<Outcome>();
  const toggle = async () => {
    setOpen(!open);
    if (open || outcome) return;
    try {
      const r = await query('sts', 'DecodeAuthorizationMessage', { EncodedMessage: encoded });
      setOutcome({ decoded: JSON.parse(String(r['DecodedMessage'])) as DecodedMessage });
    } catch (e) {
      setOutcome({ error: errorText(e) });
    }
  };
  return (
    <div className="denial">
      <button type="button" className="link" aria-expanded={open} onClick={() => void toggle()}>
        Why was this denied?
      </button>
      {open && (
        <div className="explain" role="region" aria-label="Why this was denied">
          {!outcome && <p role="status">Decoding the authorization message…</p>}
          {outcome && 'decoded' in outcome && <Decoded message={outcome.decoded} />}
          {outcome && 'error' in outcome && (
            <>
              <p>The authorization message could not be decoded as you ({outcome.error}). Someone allowed sts:DecodeAuthorizationMessage can paste it under Audit trail, “Decode an authorization message”:</p>
              <label>
                Encoded authorization message
                <textarea readOnly rows={3} value={encoded} />
              </label>
            </>
          )}
          <p>
            <a href="#/trail/refused">Find it in the audit trail’s refused calls</a> (for whoever may look up events): its record names the same statements.
          </p>
        </div>
      )}
    </div>
  );
}

function Decoded({ message }: { message: DecodedMessage }) {
  const statements = (message.matchedStatements?.items ?? []).map((s) => {
    const { policyId, statement } = splitStatementId(s.statementId ?? '');
    return { policyId, statement: /^\d+$/.test(statement) ? `Statement[${statement}]` : `Sid ${statement}` };
  });
  return (
    <dl>
      <dt>Decision</dt>
      <dd>{message.explicitDeny ? 'Explicitly denied: a Deny statement matched.' : 'Implicitly denied: no statement allowed it.'}</dd>
      <dt>Request</dt>
      <dd>
        <code>{message.context?.action}</code> on <code>{message.context?.resource}</code> by <code>{message.context?.principal?.arn}</code>
      </dd>
      <dt>Deciding statements</dt>
      <dd>
        <DecidingStatements statements={statements} none="None: nothing in the identity policies, boundary or session policies allows this action." />
      </dd>
    </dl>
  );
}
