/**
 * Encoded authorization messages (what AWS appends to some AccessDenied errors as "Encoded
 * authorization failure message: …" and sts:DecodeAuthorizationMessage reads back): the decision's
 * facts in AWS's DecodedMessage JSON shape, sealed with AES-256-GCM under a key derived from the
 * master key, so only this deployment (any node of it) can read them. A message that fits STS's
 * limit is sealed as its JSON text, a larger one compressed first.
 *
 * @module
 */
import { hkdfSync } from 'node:crypto';
import { deflateRawSync, inflateRawSync } from 'node:zlib';
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

/** Builds and seals, and opens, encoded authorization messages. */
export class AuthorizationMessageCodec {
  readonly #box: SecretBox;

  constructor(masterKey: Uint8Array) {
    this.#box = new SecretBox(Buffer.from(hkdfSync('sha256', masterKey, 'castellan', 'sts/authorization-message/v1', 32)));
  }

  /**
   * The sealed message of a decision about `caller`. A message that fits STS's limit as it is is
   * sealed as its JSON text (compressing it would cost a denial more than the rest of its answer);
   * a larger one is compressed, and context values are dropped, last first, until it fits.
   */
  encode(answer: AuthorizationDecision, caller: Principal): string {
    const json = decodedMessageJson(answer, caller);
    if (json.length <= MAX_PLAIN_JSON_CHARS) {
      const sealed = this.#box.seal(json, CONTEXT);
      if (sealed.length <= MAX_ENCODED_MESSAGE_CHARS) return sealed;
    }
    const message = decodedMessage(answer, caller);
    for (;;) {
      const sealed = this.#box.seal(deflateRawSync(JSON.stringify(message), { level: 1 }).toString('base64'), CONTEXT);
      if (sealed.length <= MAX_ENCODED_MESSAGE_CHARS || message.context.conditions.items.length === 0) return sealed;
      message.context.conditions.items.splice(Math.ceil(message.context.conditions.items.length / 2));
    }
  }

  /** The DecodedMessage JSON text, or undefined when the message is not one of this deployment's or was altered. */
  decode(encoded: string): string | undefined {
    try {
      const text = this.#box.open(encoded, CONTEXT);
      // Plain JSON starts with `{`, which base64 (the compressed form) never does.
      return text.startsWith('{') ? text : inflateRawSync(Buffer.from(text, 'base64')).toString('utf8');
    } catch {
      return undefined;
    }
  }
}

/** What `JSON.stringify` escapes in a string (surrogates of a pair too, which it would not: those take the slow path). */
const NEEDS_ESCAPE = /["\\\u0000-\u001f\ud800-\udfff]/;

/** `String(x)` as a JSON string literal. */
function str(x: unknown): string {
  const s = String(x);
  return NEEDS_ESCAPE.test(s) ? JSON.stringify(s) : `"${s}"`;
}

/** A `{"items":[{"value":…},…]}` list of `values` (undefined members left out), as {@link decodedMessage} builds it. */
function valuesJson(v: unknown): string {
  let out = '{"items":[';
  let first = true;
  for (const x of Array.isArray(v) ? v : [v]) {
    if (x === undefined) continue;
    out += `${first ? '' : ','}{"value":${str(x)}}`;
    first = false;
  }
  return `${out}]}`;
}

/**
 * `JSON.stringify(decodedMessage(answer, caller))`, written directly: building the document's
 * sixty-odd small objects and then walking them again cost a denial more than sealing the text
 * (bench/api profile of GetUserDenied). The two must stay identical (a test compares them).
 */
export function decodedMessageJson({ decision, evaluated }: AuthorizationDecision, caller: Principal): string {
  const principalId = str(caller.principalId);
  let out = `{"allowed":${decision.effect === 'allow'},"explicitDeny":${decision.effect === 'explicitDeny'},"matchedStatements":{"items":[`;
  decision.decidedBy.forEach((s, i) => {
    const statementId = s.sid ? `${s.policyId}#${s.sid}` : `${s.policyId}#${s.statementIndex}`;
    out += `${i > 0 ? ',' : ''}{"statementId":${str(statementId)},"effect":"${s.effect === 'Deny' ? 'DENY' : 'ALLOW'}","principals":{"items":[{"value":${principalId}}]},`
      + '"principalGroups":{"items":[]},"actions":{"items":[]},"resources":{"items":[]},"conditions":{"items":[]}}';
  });
  out += ']},"failures":{"items":[';
  decision.errors.forEach((e, i) => {
    out += `${i > 0 ? ',' : ''}{"message":${str(`${e.policyId}#${e.statementIndex}: ${e.message}`)}}`;
  });
  out += `]},"context":{"principal":{"id":${principalId}${caller.userName !== undefined ? `,"name":${str(caller.userName)}` : ''},"arn":${str(caller.arn)}},`;
  out += `"action":${str(evaluated.action)},"resource":${str(evaluated.resource)},"conditions":{"items":[`;
  const entries = Object.entries(evaluated.context).sort(([a], [b]) => a.localeCompare(b));
  entries.forEach(([key, v], i) => {
    out += `${i > 0 ? ',' : ''}{"key":${str(key)},"values":${valuesJson(v)}}`;
  });
  return `${out}]}}}`;
}

/** A decision in AWS's DecodedMessage shape. */
export function decodedMessage({ decision, evaluated }: AuthorizationDecision, caller: Principal): DecodedAuthorizationMessage {
  const values = (v: string | readonly string[] | boolean | number | undefined | readonly unknown[]): ValueItems => ({
    items: (Array.isArray(v) ? v : [v]).filter((x) => x !== undefined).map((x) => ({ value: String(x) })),
  });
  return {
    allowed: decision.effect === 'allow',
    explicitDeny: decision.effect === 'explicitDeny',
    matchedStatements: {
      items: decision.decidedBy.map((s) => ({
        // AWS names the statement by its policy; Castellan's policy id and the statement's index do that here.
        statementId: s.sid ? `${s.policyId}#${s.sid}` : `${s.policyId}#${s.statementIndex}`,
        effect: s.effect === 'Deny' ? 'DENY' : 'ALLOW',
        principals: values(caller.principalId),
        principalGroups: { items: [] },
        actions: { items: [] },
        resources: { items: [] },
        conditions: { items: [] },
      })),
    },
    failures: { items: decision.errors.map((e) => ({ message: `${e.policyId}#${e.statementIndex}: ${e.message}` })) },
    context: {
      principal: { id: caller.principalId, ...(caller.userName !== undefined ? { name: caller.userName } : {}), arn: caller.arn },
      action: evaluated.action,
      resource: evaluated.resource,
      conditions: {
        items: Object.entries(evaluated.context)
          .sort(([a], [b]) => a.localeCompare(b))
          .map(([key, v]) => ({ key, values: values(v as string | string[]) })),
      },
    },
  };
}
