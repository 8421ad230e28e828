/**
 * Encoded authorization messages (what AWS appends to some AccessDenied errors as "Encoded
 * authorization failure message: …" and sts:DecodeAuthorizationMessage reads back): the decision's
 * facts, sealed (AES-256-CTR and HMAC-SHA256, `crypto/keystream-box.ts`) under a key derived from the
 * master key, so only this deployment (any node of it) can read them, and read back in AWS's
 * DecodedMessage JSON shape. A message that fits STS's limit is sealed as its compact JSON text, a
 * larger one compressed first.
 *
 * @module
 */
import { hkdfSync } from 'node:crypto';
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import type { AuthzRequest } from '@castellan/policy';
import { KeystreamBox } from '../../crypto/keystream-box.js';
import { SecretBox } from '../../crypto/secret-box.js';
import type { Principal } from '../../domain/context.js';
import type { AuthorizationDecision } from '../../domain/ports/authorizer.js';

/** STS's limit on `EncodedMessage` (the model's `encodedMessageType`). */
export const MAX_ENCODED_MESSAGE_CHARS = 10_240;
const CONTEXT = 'castellan:authorization-message';
/** JSON longer than this cannot fit the limit sealed as it is (base64 grows it by a third), so it is compressed at once. */
const MAX_PLAIN_JSON_CHARS = Math.floor((MAX_ENCODED_MESSAGE_CHARS * 3) / 4);

type Items<T> = { items: T[] };
type ValueItems = Items<{ value: string }>;

/** AWS's DecodedMessage document. */
export interface DecodedAuthorizationMessage {
  allowed: boolean;
  explicitDeny: boolean;
  matchedStatements: Items<{
    statementId: string;
    effect: 'ALLOW' | 'DENY';
    principals: ValueItems;
    principalGroups: ValueItems;
    actions: ValueItems;
    resources: ValueItems;
    conditions: ValueItems;
  }>;
  failures: Items<{ message: string }>;
  context: {
    principal: { id: string; name?: string; arn: string };
    action: string;
    resource: string;
    conditions: Items<{ key: string; values: ValueItems }>;
  };
}

/** The prefix of a sealed message: this format (a compact document under a {@link KeystreamBox}). */
const PREFIX = 'cm2.';
/** The prefix of the first format (the whole DecodedMessage JSON under a {@link SecretBox}), still read. */
const OLD_PREFIX = 'cs1.';

/**
 * What is sealed: the decision's facts, a JSON array, expanded into AWS's DecodedMessage on decode
 * (a third of its size, and `JSON.stringify` writes it from the request's own objects).
 */
type Compact = [
  version: 1,
  effect: AuthorizationDecision['decision']['effect'],
  /** Per deciding statement: its id and `DENY` or `ALLOW`. */
  statements: [string, 'DENY' | 'ALLOW'][],
  failures: string[],
  principalId: string,
  userName: string | null,
  arn: string,
  action: string,
  resource: string,
  /** The condition keys as evaluated (string or string list values), or their sorted entries once some were dropped to fit. */
  conditions: Record<string, string | string[]> | [string, string | string[]][],
];

/** Builds and seals, and opens, encoded authorization messages. */
export class AuthorizationMessageCodec {
  readonly #box: KeystreamBox;
  readonly #oldBox: SecretBox;

  constructor(masterKey: Uint8Array) {
    this.#box = new KeystreamBox(Buffer.from(hkdfSync('sha256', masterKey, 'castellan', 'sts/authorization-message/v2', 32)));
    this.#oldBox = new SecretBox(Buffer.from(hkdfSync('sha256', masterKey, 'castellan', 'sts/authorization-message/v1', 32)));
  }

  /**
   * The sealed message of a decision about `caller`. A message that fits STS's limit as it is is
   * sealed as its JSON text (compressing it would cost a denial more than the rest of its answer);
   * a larger one is compressed, and context values are dropped, last first, until it fits.
   */
  encode(answer: AuthorizationDecision, caller: Principal): string {
    const compact = compactMessage(answer, caller);
    const json = JSON.stringify(compact);
    if (json.length <= MAX_PLAIN_JSON_CHARS) {
      const sealed = this.#box.seal(json, PREFIX);
      if (sealed.length <= MAX_ENCODED_MESSAGE_CHARS) return sealed;
    }
    const conditions = Object.entries(compact[9]).sort(byKey);
    compact[9] = conditions;
    for (;;) {
      const sealed = this.#box.seal(deflateRawSync(JSON.stringify(compact), { level: 1 }).toString('base64'), PREFIX);
      if (sealed.length <= MAX_ENCODED_MESSAGE_CHARS || conditions.length === 0) return sealed;
      conditions.splice(Math.ceil(conditions.length / 2));
    }
  }

  /** The DecodedMessage JSON text, or undefined when the message is not one of this deployment's or was altered. */
  decode(encoded: string): string | undefined {
    try {
      if (encoded.startsWith(OLD_PREFIX)) {
        const text = this.#oldBox.open(encoded, CONTEXT);
        return text.startsWith('{') ? text : inflateRawSync(Buffer.from(text, 'base64')).toString('utf8');
      }
      if (!encoded.startsWith(PREFIX)) return undefined;
      const text = this.#box.open(encoded.slice(PREFIX.length));
      if (text === undefined) return undefined;
      // Plain JSON starts with `[`, which base64 (the compressed form) never does.
      const json = text.startsWith('[') ? text : inflateRawSync(Buffer.from(text, 'base64')).toString('utf8');
      const compact = JSON.parse(json) as Compact;
      return compact[0] === 1 ? JSON.stringify(expand(compact)) : undefined;
    } catch {
      return undefined;
    }
  }
}

/** Condition keys in the order the DecodedMessage lists them. */
const byKey = ([a]: [string, unknown], [b]: [string, unknown]): number => a.localeCompare(b);

/** Whether every value is a string or a list of strings, as JSON carries them back unchanged. */
function plainConditions(context: AuthzRequest['context']): context is Record<string, string | string[]> {
  for (const key in context) {
    const v = context[key];
    if (typeof v === 'string') continue;
    if (!Array.isArray(v)) return false;
    for (const x of v) if (typeof x !== 'string') return false;
  }
  return true;
}

/** The values of a condition key as the DecodedMessage lists them: each as text, undefined ones left out. */
function valueTexts(v: unknown): string[] {
  return (Array.isArray(v) ? v : [v]).filter((x) => x !== undefined).map((x) => String(x));
}

/** The facts {@link expand} turns into {@link decodedMessage}'s document. */
function compactMessage({ decision, evaluated }: AuthorizationDecision, caller: Principal): Compact {
  let conditions: Compact[9] = evaluated.context as Record<string, string | string[]>;
  if (!plainConditions(evaluated.context)) {
    conditions = {};
    for (const [key, v] of Object.entries(evaluated.context)) conditions[key] = valueTexts(v);
  }
  return [
    1,
    decision.effect,
    decision.decidedBy.map((s) => [s.sid ? `${s.policyId}#${s.sid}` : `${s.policyId}#${s.statementIndex}`, s.effect === 'Deny' ? 'DENY' : 'ALLOW']),
    decision.errors.map((e) => `${e.policyId}#${e.statementIndex}: ${e.message}`),
    caller.principalId,
    caller.userName ?? null,
    caller.arn,
    evaluated.action,
    evaluated.resource,
    conditions,
  ];
}

/** The DecodedMessage document of sealed facts. */
function expand([, effect, statements, failures, principalId, userName, arn, action, resource, conditions]: Compact): DecodedAuthorizationMessage {
  const entries = Array.isArray(conditions) ? conditions : Object.entries(conditions).sort(byKey);
  return {
    allowed: effect === 'allow',
    explicitDeny: effect === 'explicitDeny',
    matchedStatements: {
      items: statements.map(([statementId, statementEffect]) => ({
        statementId,
        effect: statementEffect,
        principals: { items: [{ value: principalId }] },
        principalGroups: { items: [] },
        actions: { items: [] },
        resources: { items: [] },
        conditions: { items: [] },
      })),
    },
    failures: { items: failures.map((message) => ({ message })) },
    context: {
      principal: { id: principalId, ...(userName !== null ? { name: userName } : {}), arn },
      action,
      resource,
      conditions: { items: entries.map(([key, v]) => ({ key, values: { items: valueTexts(v).map((value) => ({ value })) } })) },
    },
  };
}
