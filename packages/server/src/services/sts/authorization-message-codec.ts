/**
 * Encoded authorization messages (what AWS appends to some AccessDenied errors as "Encoded
 * authorization failure message: …" and sts:DecodeAuthorizationMessage reads back): the decision's
 * facts, sealed (AES-256-CTR and HMAC-SHA256, `crypto/keystream-box.ts`) under a key derived from the
 * master key, so only this deployment (any node of it) can read them, and read back in AWS's
 * DecodedMessage JSON shape. A message that fits STS's limit is sealed as a compact text, a
 * larger one compressed first.
 *
 * @module
 */
import { hkdfSync } from 'node:crypto';
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import { KeystreamBox } from '../../crypto/keystream-box.js';
import { SecretBox } from '../../crypto/secret-box.js';
import type { Principal } from '../../domain/context.js';
import type { AuthorizationDecision } from '../../domain/ports/authorizer.js';

/** STS's limit on `EncodedMessage` (the model's `encodedMessageType`). */
export const MAX_ENCODED_MESSAGE_CHARS = 10_240;
const CONTEXT = 'castellan:authorization-message';
/** A text longer than this cannot fit the limit sealed as it is (base64 grows it by a third), so it is compressed at once. */
const MAX_PLAIN_CHARS = Math.floor((MAX_ENCODED_MESSAGE_CHARS * 3) / 4);

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
 * The decision's facts, expanded into AWS's DecodedMessage on decode. A message is sealed as
 * {@link plainText} of them (a third of the DecodedMessage's size) or, when that does not fit, as this
 * array in compressed JSON.
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
  /** The condition keys and their values (a string, or the texts of a list), sorted by key. */
  conditions: [string, string | string[]][],
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
   * sealed as its plain text (compressing it would cost a denial more than the rest of its answer);
   * a larger one is compressed, and context values, then failures, then deciding statements are
   * dropped, last first, until it fits.
   */
  encode(answer: AuthorizationDecision, caller: Principal): string {
    const text = plainText(answer, caller);
    if (text !== undefined && text.length <= MAX_PLAIN_CHARS) {
      const sealed = this.#box.seal(text, PREFIX);
      if (sealed.length <= MAX_ENCODED_MESSAGE_CHARS) return sealed;
    }
    const compact = compactMessage(answer, caller);
    // What is cut while the message is too long: context values first, then failures, then
    // deciding statements, each halved (the last ones go). What remains (principal, action,
    // resource) is bounded by the model's lengths, so the loop ends.
    const cuttable = [compact[9], compact[3], compact[2]];
    for (;;) {
      const sealed = this.#box.seal(`z${deflateRawSync(JSON.stringify(compact), { level: 1 }).toString('base64')}`, PREFIX);
      const list = sealed.length > MAX_ENCODED_MESSAGE_CHARS ? cuttable.find((l) => l.length > 0) : undefined;
      if (!list) return sealed;
      list.length = Math.floor(list.length / 2);
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
      const compact = text.startsWith('p') ? parsePlainText(text) : (JSON.parse(inflateRawSync(Buffer.from(text.slice(1), 'base64')).toString('utf8')) as Compact);
      return compact[0] === 1 ? JSON.stringify(expand(compact)) : undefined;
    } catch {
      return undefined;
    }
  }
}

/**
 * The global condition keys `pipeline/condition-context.ts` sets, which {@link plainText} writes as
 * `=` and one letter. Sealed messages name them by position: append only.
 */
const COMMON_KEYS = [
  'aws:SourceIp', 'aws:CurrentTime', 'aws:EpochTime', 'aws:SecureTransport', 'aws:UserAgent', 'aws:PrincipalArn', 'aws:PrincipalAccount',
  'aws:userid', 'aws:PrincipalType', 'aws:RequestedRegion', 'aws:ViaAWSService', 'aws:PrincipalIsAWSService', 'aws:username',
  'aws:MultiFactorAuthPresent', 'aws:TokenIssueTime', 'aws:MultiFactorAuthAge', 'aws:SourceIdentity',
];
const KEY_CODES = new Map(COMMON_KEYS.map((k, i) => [k, `=${String.fromCharCode(0x41 + i)}`]));
const EFFECT_CODES = { allow: 'a', explicitDeny: 'e', implicitDeny: 'i' } as const;
const EFFECTS: Record<string, Compact[1]> = { a: 'allow', e: 'explicitDeny', i: 'implicitDeny' };

/** A text as `<length>:<text>`: nothing in it needs escaping. */
const tok = (s: string): string => `${s.length}:${s}`;

/**
 * The facts as `p`, the effect's letter, the statements (a count, then each id and `D` or `A`), the
 * failures (a count, then each), the principal's id, name (`-` for none) and ARN, the action and
 * the resource, then each condition key (`=` and a letter for {@link COMMON_KEYS}) with its value
 * (a string, or `*`, a count and the strings). Strings are length-prefixed ({@link tok}): written
 * with no escaping, which cost `JSON.stringify` more than sealing the result. Undefined when the
 * text is not well-formed UTF-16 (a lone surrogate would not survive UTF-8): JSON then carries it.
 */
function plainText({ decision, evaluated }: AuthorizationDecision, caller: Principal): string | undefined {
  let out = `p${EFFECT_CODES[decision.effect]}${decision.decidedBy.length}:`;
  for (const s of decision.decidedBy) out += `${tok(s.sid ? `${s.policyId}#${s.sid}` : `${s.policyId}#${s.statementIndex}`)}${s.effect === 'Deny' ? 'D' : 'A'}`;
  out += `${decision.errors.length}:`;
  for (const e of decision.errors) out += tok(`${e.policyId}#${e.statementIndex}: ${e.message}`);
  out += `${tok(caller.principalId)}${caller.userName !== undefined ? tok(caller.userName) : '-'}${tok(caller.arn)}${tok(evaluated.action)}${tok(evaluated.resource)}`;
  const context = evaluated.context;
  for (const key in context) {
    // Anything but a string is written as the list of texts the DecodedMessage shows for it.
    const v = typeof context[key] === 'string' ? (context[key] as string) : valueTexts(context[key]);
    out += KEY_CODES.get(key) ?? tok(key);
    if (typeof v === 'string') out += tok(v);
    else {
      out += `*${v.length}:`;
      for (const x of v) out += tok(x);
    }
  }
  return wellFormed(out) ? out : undefined;
}

/** Whether `s` has no lone surrogate (`String.prototype.isWellFormed`, Node 20; without it, no surrogate at all). */
const wellFormed: (s: string) => boolean =
  typeof (String.prototype as { isWellFormed?: unknown }).isWellFormed === 'function'
    ? (s) => (s as unknown as { isWellFormed(): boolean }).isWellFormed()
    : (s) => !/[\ud800-\udfff]/.test(s);

/** {@link plainText}'s facts; throws on a malformed text. */
function parsePlainText(text: string): Compact {
  let at = 1;
  const count = (): number => {
    const colon = text.indexOf(':', at);
    const digits = text.slice(at, colon);
    if (colon === -1 || !/^\d{1,9}$/.test(digits)) throw new Error('malformed authorization message');
    at = colon + 1;
    return Number(digits);
  };
  const str = (): string => {
    const n = count();
    if (at + n > text.length) throw new Error('malformed authorization message');
    at += n;
    return text.slice(at - n, at);
  };
  const effect = EFFECTS[text[at++]!];
  if (effect === undefined) throw new Error('malformed authorization message');
  const statements: Compact[2] = [];
  for (let n = count(); n > 0; n--) statements.push([str(), text[at++] === 'D' ? 'DENY' : 'ALLOW']);
  const failures: string[] = [];
  for (let n = count(); n > 0; n--) failures.push(str());
  const principalId = str();
  const userName = text[at] === '-' ? (at++, null) : str();
  const arn = str();
  const action = str();
  const resource = str();
  const conditions: [string, string | string[]][] = [];
  while (at < text.length) {
    let key: string;
    if (text[at] === '=') {
      key = COMMON_KEYS[text.charCodeAt(at + 1) - 0x41]!;
      if (key === undefined) throw new Error('malformed authorization message');
      at += 2;
    } else key = str();
    if (text[at] === '*') {
      at++;
      const values: string[] = [];
      for (let n = count(); n > 0; n--) values.push(str());
      conditions.push([key, values]);
    } else conditions.push([key, str()]);
  }
  return [1, effect, statements, failures, principalId, userName, arn, action, resource, conditions.sort(byKey)];
}

/** Condition keys in the order the DecodedMessage lists them. */
const byKey = ([a]: [string, unknown], [b]: [string, unknown]): number => a.localeCompare(b);

/** The values of a condition key as the DecodedMessage lists them: each as text, undefined ones left out. */
function valueTexts(v: unknown): string[] {
  return (Array.isArray(v) ? v : [v]).filter((x) => x !== undefined).map((x) => String(x));
}

/** The facts as {@link expand} takes them, condition keys sorted (the compressed form, which drops the last ones to fit). */
function compactMessage({ decision, evaluated }: AuthorizationDecision, caller: Principal): Compact {
  const conditions = Object.entries(evaluated.context).map(([key, v]): [string, string | string[]] => [key, typeof v === 'string' ? v : valueTexts(v)]);
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
    conditions.sort(byKey),
  ];
}

/** The DecodedMessage document of sealed facts. */
function expand([, effect, statements, failures, principalId, userName, arn, action, resource, conditions]: Compact): DecodedAuthorizationMessage {
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
      conditions: { items: conditions.map(([key, v]) => ({ key, values: { items: valueTexts(v).map((value) => ({ value })) } })) },
    },
  };
}
