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
/** A plain text of more bytes cannot fit the limit sealed as it is (base64 grows it by a third), so it is compressed at once. */
const MAX_PLAIN_BYTES = Math.floor((MAX_ENCODED_MESSAGE_CHARS * 3) / 4);

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

/**
 * The prefix of a sealed message: this format (a compact document under a {@link KeystreamBox}, its
 * plain text possibly with `^` references). A new prefix for the references, so that a node of the
 * previous build (a rolling upgrade on one database) finds a format it does not know rather than
 * a malformed message.
 */
const PREFIX = 'cm3.';
/** The prefix of the same format before references: its texts read as this format's, still read. */
const NO_REFERENCES_PREFIX = 'cm2.';
/** The prefix of the first format (the whole DecodedMessage JSON under a {@link SecretBox}), still read. */
const OLD_PREFIX = 'cs1.';

/**
 * The decision's facts, expanded into AWS's DecodedMessage on decode. A message is sealed as
 * {@link writePlainText}'s text of them (a third of the DecodedMessage's size) or, when that does not fit, as this
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
  encode(answer: AuthorizationDecision, caller: Principal, otherAccountsPolicyId?: string): string {
    // Another account's policy (the trust policy of its role): its statement ids and failures are
    // that account's, which the caller's account must not read (IAM would not show them either).
    if (otherAccountsPolicyId !== undefined) answer = withoutPolicy(answer, otherAccountsPolicyId);
    const plain = this.#box.sealWritten((out, at, max) => writePlainText(answer, caller, out, at, Math.min(max, MAX_PLAIN_BYTES)), PREFIX);
    if (plain !== undefined && plain.length <= MAX_ENCODED_MESSAGE_CHARS) return plain;
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
      const prefix = [PREFIX, NO_REFERENCES_PREFIX].find((p) => encoded.startsWith(p));
      if (prefix === undefined) return undefined;
      const text = this.#box.open(encoded.slice(prefix.length));
      if (text === undefined) return undefined;
      const compact = text.startsWith('p') ? parsePlainText(text) : (JSON.parse(inflateRawSync(Buffer.from(text.slice(1), 'base64')).toString('utf8')) as Compact);
      return compact[0] === 1 ? JSON.stringify(expand(compact)) : undefined;
    } catch {
      return undefined;
    }
  }
}

/**
 * The global condition keys `pipeline/condition-context.ts` sets, which {@link writePlainText} writes as
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

/**
 * The facts as `p`, the effect's letter, the statements (a count, then each id and `D` or `A`), the
 * failures (a count, then each), the principal's id, name (`-` for none) and ARN, the action and
 * the resource, then each condition key (`=` and a letter for {@link COMMON_KEYS}) with its value
 * (a string; `^` and a letter for one that is the principal's ARN `a`, id `i`, name `n`, the ARN's
 * account `c`, `false` `f` or `true` `t`; or `*`, a count and the strings). Texts sealed before the
 * references were added have none and read the same. Strings are length-prefixed (`<length>:<text>`, the
 * length in UTF-16 code units): written with no escaping, which cost `JSON.stringify` more than
 * sealing the result.
 *
 * Written as UTF-8 straight into `out` from `at` (the sealing buffer): joining the parts into a
 * string first, to have it encoded again, was most of a denial's message cost. Answers the bytes
 * written, or undefined when they would pass `max` or a string is not well-formed UTF-16 (a lone
 * surrogate would not survive UTF-8): compressed JSON then carries the facts.
 */
function writePlainText({ decision, evaluated }: AuthorizationDecision, caller: Principal, out: Buffer, at: number, max: number): number | undefined {
  const w = new PlainTextWriter(out, at, at + max);
  w.ascii('p');
  w.ascii(EFFECT_CODES[decision.effect]);
  w.count(decision.decidedBy.length);
  for (const s of decision.decidedBy) {
    w.tok(s.sid ? `${s.policyId}#${s.sid}` : `${s.policyId}#${s.statementIndex}`);
    w.ascii(s.effect === 'Deny' ? 'D' : 'A');
  }
  w.count(decision.errors.length);
  for (const e of decision.errors) w.tok(`${e.policyId}#${e.statementIndex}: ${e.message}`);
  w.tok(caller.principalId);
  if (caller.userName !== undefined) w.tok(caller.userName);
  else w.ascii('-');
  w.tok(caller.arn);
  w.tok(evaluated.action);
  w.tok(evaluated.resource);
  const context = evaluated.context;
  const account = accountField(caller.arn);
  for (const key in context) {
    const value = context[key];
    const code = KEY_CODES.get(key);
    if (code !== undefined) w.ascii(code);
    else w.tok(key);
    if (typeof value === 'string') {
      // Several global keys repeat the principal's facts, or say `false`: a reference is two characters.
      if (value === caller.arn) w.ascii('^a');
      else if (value === caller.principalId) w.ascii('^i');
      else if (value === caller.userName) w.ascii('^n');
      else if (value === account) w.ascii('^c');
      else if (value === 'false') w.ascii('^f');
      else if (value === 'true') w.ascii('^t');
      else w.tok(value);
    } else {
      // Anything but a string is written as the list of texts the DecodedMessage shows for it.
      const texts = valueTexts(value);
      w.ascii('*');
      w.count(texts.length);
      for (const x of texts) w.tok(x);
    }
  }
  return w.failed ? undefined : w.at - at;
}

/** Writes {@link writePlainText}'s parts as UTF-8, giving up (`failed`) past `end` or at a lone surrogate. */
class PlainTextWriter {
  failed = false;
  constructor(
    private readonly out: Buffer,
    public at: number,
    private readonly end: number,
  ) {}

  /** Text known to be ASCII (the format's own marks). */
  ascii(s: string): void {
    if (this.at + s.length > this.end) {
      this.failed = true;
      return;
    }
    for (let i = 0; i < s.length; i++) this.out[this.at++] = s.charCodeAt(i);
  }

  /** `<n>:`, `n` a count or length. */
  count(n: number): void {
    if (n >= 100) {
      this.ascii(`${n}:`);
      return;
    }
    if (this.at + 3 > this.end) {
      this.failed = true;
      return;
    }
    // 0x30 is `0`, 0x3a `:`.
    if (n >= 10) this.out[this.at++] = 0x30 + Math.floor(n / 10);
    this.out[this.at++] = 0x30 + (n % 10);
    this.out[this.at++] = 0x3a;
  }

  /** `<length>:<text>`: nothing in it needs escaping. */
  tok(s: string): void {
    const n = s.length;
    this.count(n);
    if (this.failed) return;
    const out = this.out;
    let at = this.at;
    let i = 0;
    // Three bytes at most per code unit (a surrogate pair's two take four): an ASCII run is copied
    // without further checks when the whole string would fit even at three bytes a unit.
    if (at + 3 * n <= this.end) {
      for (let c = 0; i < n && (c = s.charCodeAt(i)) < 0x80; i++) out[at++] = c;
    }
    for (; i < n; i++) {
      if (at + 4 > this.end) {
        this.failed = true;
        return;
      }
      const c = s.charCodeAt(i);
      if (c < 0x80) out[at++] = c;
      else if (c < 0x800) {
        out[at++] = 0xc0 | (c >> 6);
        out[at++] = 0x80 | (c & 0x3f);
      } else if (c < 0xd800 || c > 0xdfff) {
        out[at++] = 0xe0 | (c >> 12);
        out[at++] = 0x80 | ((c >> 6) & 0x3f);
        out[at++] = 0x80 | (c & 0x3f);
      } else {
        const next = i + 1 < n ? s.charCodeAt(i + 1) : 0;
        if (c > 0xdbff || next < 0xdc00 || next > 0xdfff) {
          this.failed = true;
          return;
        }
        const cp = 0x10000 + ((c - 0xd800) << 10) + (next - 0xdc00);
        out[at++] = 0xf0 | (cp >> 18);
        out[at++] = 0x80 | ((cp >> 12) & 0x3f);
        out[at++] = 0x80 | ((cp >> 6) & 0x3f);
        out[at++] = 0x80 | (cp & 0x3f);
        i++;
      }
    }
    this.at = at;
  }
}

/** The account field of an ARN (`arn:aws:iam::<account>:user/x`), when it has one. */
function accountField(arn: string): string | undefined {
  let at = 0;
  for (let i = 0; i < 4; i++) {
    at = arn.indexOf(':', at) + 1;
    if (at === 0) return undefined;
  }
  const end = arn.indexOf(':', at);
  return end > at ? arn.slice(at, end) : undefined;
}

/** The value a `^` reference of {@link writePlainText} stands for, or undefined for none. */
function referenced(letter: string | undefined, p: { principalId: string; userName: string | null; arn: string }): string | undefined {
  switch (letter) {
    case 'a':
      return p.arn;
    case 'i':
      return p.principalId;
    case 'n':
      return p.userName ?? undefined;
    case 'c':
      return accountField(p.arn);
    case 'f':
      return 'false';
    case 't':
      return 'true';
    default:
      return undefined;
  }
}

/** {@link writePlainText}'s facts; throws on a malformed text. */
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
    } else if (text[at] === '^') {
      const value = referenced(text[at + 1], { principalId, userName, arn });
      if (value === undefined) throw new Error('malformed authorization message');
      at += 2;
      conditions.push([key, value]);
    } else conditions.push([key, str()]);
  }
  return [1, effect, statements, failures, principalId, userName, arn, action, resource, conditions.sort(byKey)];
}

/** The decision without the statements and failures of one policy. */
function withoutPolicy(answer: AuthorizationDecision, policyId: string): AuthorizationDecision {
  const { decision } = answer;
  return {
    ...answer,
    decision: { ...decision, decidedBy: decision.decidedBy.filter((s) => s.policyId !== policyId), errors: decision.errors.filter((e) => e.policyId !== policyId) },
  };
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
