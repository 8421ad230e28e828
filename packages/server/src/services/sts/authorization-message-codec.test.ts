import { hkdfSync, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { KeystreamBox } from '../../crypto/keystream-box.js';
import { SecretBox } from '../../crypto/secret-box.js';
import type { Principal } from '../../domain/context.js';
import type { AuthorizationDecision } from '../../domain/ports/authorizer.js';
import { AuthorizationMessageCodec, type DecodedAuthorizationMessage, MAX_ENCODED_MESSAGE_CHARS } from './authorization-message-codec.js';

const caller: Principal = { type: 'IAMUser', accountId: '123456789012', arn: 'arn:aws:iam::123456789012:user/bob', principalId: 'AIDABOB', userName: 'bob', mfaAuthenticated: false };
const denial = (context: Record<string, string | string[]>): AuthorizationDecision => ({
  decision: {
    effect: 'explicitDeny',
    decidedBy: [{ policyId: 'user:bob:deny', policyName: 'deny', policyKind: 'identity', statementIndex: 0, sid: 'NoUsers', effect: 'Deny' }],
    matched: [],
    missingContextKeys: [],
    errors: [],
    reason: { kind: 'explicitDeny', layer: 'identity' },
  },
  evaluated: { principal: { arn: caller.arn, accountId: caller.accountId }, action: 'iam:CreateUser', resource: 'arn:aws:iam::123456789012:user/x', context, now: new Date(0) },
});

/** A decision in AWS's DecodedMessage shape, built directly from the decision: what a sealed message must decode to. */
function decodedMessage({ decision, evaluated }: AuthorizationDecision, caller: Principal): DecodedAuthorizationMessage {
  const values = (v: unknown): DecodedAuthorizationMessage['context']['conditions']['items'][number]['values'] => ({
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
          .map(([key, v]) => ({ key, values: values(v) })),
      },
    },
  };
}

describe('AuthorizationMessageCodec', () => {
  const codec = new AuthorizationMessageCodec(new Uint8Array(32).fill(5));

  it('decodes into AWS’s DecodedMessage shape', () => {
    const decoded = JSON.parse(codec.decode(codec.encode(denial({ 'aws:username': 'bob', 'aws:TagKeys': ['a', 'b'] }), caller))!);
    expect(decoded).toEqual({
      allowed: false,
      explicitDeny: true,
      matchedStatements: {
        items: [
          {
            statementId: 'user:bob:deny#NoUsers',
            effect: 'DENY',
            principals: { items: [{ value: 'AIDABOB' }] },
            principalGroups: { items: [] },
            actions: { items: [] },
            resources: { items: [] },
            conditions: { items: [] },
          },
        ],
      },
      failures: { items: [] },
      context: {
        principal: { id: 'AIDABOB', name: 'bob', arn: caller.arn },
        action: 'iam:CreateUser',
        resource: 'arn:aws:iam::123456789012:user/x',
        conditions: {
          items: [
            { key: 'aws:TagKeys', values: { items: [{ value: 'a' }, { value: 'b' }] } },
            { key: 'aws:username', values: { items: [{ value: 'bob' }] } },
          ],
        },
      },
    });
  });

  it.each([
    { name: 'an altered message', text: (m: string) => m.slice(0, -3) + (m.at(-3) === 'A' ? 'B' : 'A') + m.slice(-2) },
    { name: 'another deployment’s message', text: () => new AuthorizationMessageCodec(new Uint8Array(32).fill(6)).encode(denial({}), caller) },
    { name: 'garbage', text: () => 'garbage' },
  ])('does not decode $name', ({ text }) => {
    expect(codec.decode(text(codec.encode(denial({}), caller)))).toBeUndefined();
  });

  it('keeps the message within STS’s EncodedMessage limit by dropping context values', () => {
    const context: Record<string, string> = {};
    for (let i = 0; i < 400; i++) context[`aws:RequestTag/k${i}`] = randomBytes(64).toString('hex');
    const encoded = codec.encode(denial(context), caller);
    expect(encoded.length).toBeLessThanOrEqual(MAX_ENCODED_MESSAGE_CHARS);
    const decoded = JSON.parse(codec.decode(encoded)!);
    expect(decoded.context.action).toBe('iam:CreateUser');
    expect(decoded.context.conditions.items.length).toBeLessThan(400);
  });

  it('keeps within the limit when one incompressible context value, failures and statements are each over it', () => {
    // A single context value over the limit once used to loop for ever (halving one left one).
    const base = denial({ 'aws:RequestTag/k': randomBytes(12_000).toString('base64'), 'aws:username': 'bob' });
    const many = Array.from({ length: 300 }, (_, i) => ({ policyId: `user:bob:p${i}`, policyKind: 'identity', statementIndex: i, sid: randomBytes(24).toString('hex'), effect: 'Deny' as const }));
    const errors = many.map((s) => ({ policyId: s.policyId, statementIndex: s.statementIndex, message: randomBytes(40).toString('hex') }));
    const big: AuthorizationDecision = { ...base, decision: { ...base.decision, decidedBy: many, errors } as AuthorizationDecision['decision'] };
    const encoded = codec.encode(big, caller);
    expect(encoded.length).toBeLessThanOrEqual(MAX_ENCODED_MESSAGE_CHARS);
    const decoded = JSON.parse(codec.decode(encoded)!);
    expect(decoded).toMatchObject({ explicitDeny: true, context: { action: 'iam:CreateUser', resource: 'arn:aws:iam::123456789012:user/x', conditions: { items: [] } } });
    expect(decoded.matchedStatements.items.length).toBeGreaterThan(0);
    expect(decoded.matchedStatements.items.length).toBeLessThan(300);
  });

  it('seals a message that fits as plain JSON, and still reads a compressed one', () => {
    const small = codec.encode(denial({ 'aws:username': 'bob' }), caller);
    const context: Record<string, string> = {};
    for (let i = 0; i < 80; i++) context[`aws:RequestTag/k${i}`] = 'v'.repeat(100);
    const large = codec.encode(denial(context), caller);
    expect(JSON.parse(codec.decode(small)!).context.conditions.items).toHaveLength(1);
    // 80 tags of 100 characters are over the plain limit (sealed as they are, some 13 000
    // characters) but compress well: the message is a fraction of that, and none is dropped.
    expect(JSON.parse(codec.decode(large)!).context.conditions.items).toHaveLength(80);
    expect(large.length).toBeLessThan(2_500);
  });

  it('still reads a message sealed in the first format (the whole DecodedMessage under AES-256-GCM)', () => {
    const masterKey = new Uint8Array(32).fill(5);
    const json = JSON.stringify(decodedMessage(denial({ 'aws:username': 'bob' }), caller));
    const old = new SecretBox(Buffer.from(hkdfSync('sha256', masterKey, 'castellan', 'sts/authorization-message/v1', 32))).seal(json, 'castellan:authorization-message');
    expect(codec.decode(old)).toBe(json);
    expect(codec.decode(old.slice(0, -2))).toBeUndefined();
  });

  it('writes the principal’s facts in the context as references, and still reads a text written without them', () => {
    const context = { 'aws:PrincipalArn': caller.arn, 'aws:userid': 'AIDABOB', 'aws:username': 'bob', 'aws:PrincipalAccount': '123456789012', 'aws:SecureTransport': 'false' };
    const expected = JSON.stringify(decodedMessage(denial(context), caller));
    const withReferences = codec.encode(denial(context), caller);
    expect(codec.decode(withReferences)).toBe(expected);
    // Under a prefix of its own, which a node of the previous build does not know (rather than
    // misreading a reference as malformed), compressed or not
    expect(withReferences.startsWith('cm3.')).toBe(true);
    const tags: Record<string, string> = {};
    for (let i = 0; i < 80; i++) tags[`aws:RequestTag/k${i}`] = 'v'.repeat(100);
    expect(codec.encode(denial(tags), caller).startsWith('cm3.')).toBe(true);
    // Given the same facts as the plain text was written before references (every value spelled out)
    const tok = (t: string): string => `${t.length}:${t}`;
    const spelledOut = `pe1:${tok('user:bob:deny#NoUsers')}D0:${tok('AIDABOB')}${tok('bob')}${tok(caller.arn)}${tok('iam:CreateUser')}${tok('arn:aws:iam::123456789012:user/x')}`
      + `=F${tok(caller.arn)}=H${tok('AIDABOB')}=M${tok('bob')}=G${tok('123456789012')}=D${tok('false')}`;
    const box = new KeystreamBox(Buffer.from(hkdfSync('sha256', new Uint8Array(32).fill(5), 'castellan', 'sts/authorization-message/v2', 32)));
    const old = box.seal(spelledOut, 'cm2.');
    // Then it decodes to the same message, and the references made the new one shorter
    expect(codec.decode(old)).toBe(expected);
    expect(codec.decode(`cm9.${old.slice(4)}`)).toBeUndefined();
    expect(withReferences.length).toBeLessThan(old.length - 80);
  });

  it('shows none of the facts it seals', () => {
    const sealed = codec.encode(denial({ 'aws:username': 'bob' }), caller);
    const bytes = Buffer.from(sealed.slice('cm3.'.length).split('.')[0]!, 'base64url').toString('latin1');
    for (const fact of ['iam:CreateUser', 'AIDABOB', 'NoUsers', 'aws:username']) expect(bytes).not.toContain(fact);
  });

  it('seals each denial afresh: the same facts twice give two sealed values that open to the same text', () => {
    const first = codec.encode(denial({ 'aws:username': 'bob' }), caller);
    const second = codec.encode(denial({ 'aws:username': 'bob' }), caller);
    expect(second).not.toBe(first);
    expect(codec.decode(second)).toBe(codec.decode(first));
  });
});

describe('the sealed compact form', () => {
  const codec = new AuthorizationMessageCodec(new Uint8Array(32).fill(5));
  const withDecision = (base: AuthorizationDecision, decision: Partial<AuthorizationDecision['decision']>): AuthorizationDecision => ({ ...base, decision: { ...base.decision, ...decision } });
  const odd = 'q"uote\\back\nline\u0001ctl\u2028sep é 😀 \ud800lone';
  it.each([
    { name: 'a plain denial', answer: denial({ 'aws:username': 'bob' }), who: caller },
    { name: 'no context', answer: denial({}), who: caller },
    { name: 'list values and keys out of order', answer: denial({ 'iam:ResourceTag/b': 'x', 'aws:TagKeys': ['a', 'b', ''], 'aws:CurrentTime': 'now', 'aws:userid': 'u', 'aws:UserAgent': 'ua' }), who: caller },
    { name: 'text that JSON escapes', answer: denial({ [`aws:RequestTag/${odd}`]: odd, 'aws:TagKeys': [odd, 'plain'] }), who: { ...caller, userName: odd, arn: `arn:aws:iam::123456789012:user/${odd}` } },
    { name: 'a caller without a user name', answer: denial({ 'aws:userid': 'AROA:s' }), who: { ...caller, userName: undefined, type: 'AssumedRole' as const } },
    { name: 'an undefined value', answer: denial({ 'aws:x': undefined as unknown as string }), who: caller },
    {
      name: 'an implicit denial with errors and statements with and without a sid',
      answer: withDecision(denial({ 'aws:username': 'bob' }), {
        effect: 'implicitDeny',
        decidedBy: [
          { policyId: 'p1', policyName: 'n', policyKind: 'identity', statementIndex: 3, effect: 'Allow' },
          { policyId: 'p"2', policyName: 'n', policyKind: 'identity', statementIndex: 0, sid: odd, effect: 'Deny' },
        ],
        errors: [{ policyId: 'p3', statementIndex: 1, message: odd }] as AuthorizationDecision['decision']['errors'],
      }),
      who: caller,
    },
    { name: 'an allow', answer: withDecision(denial({}), { effect: 'allow', decidedBy: [] }), who: caller },
    { name: 'text with the plain form’s own marks and no lone surrogate', answer: denial({ '=A': '12:x', 'aws:SourceIp': '', '3:abc': ['*2:', '-', ''], 'aws:TagKeys': [], [`aws:RequestTag/${odd.replace('\ud800', '')}`]: odd.replace('\ud800', '') }), who: { ...caller, userName: '-', principalId: '0:' } },
    { name: 'values JSON would not carry as they are', answer: denial({ 'aws:n': 1 as unknown as string, 'aws:b': [true, undefined, 'x'] as unknown as string[], 'aws:d': new Date(0) as unknown as string }), who: caller },
  ])('decodes to the DecodedMessage of $name', ({ answer, who }) => {
    expect(codec.decode(codec.encode(answer, who))).toBe(JSON.stringify(decodedMessage(answer, who)));
  });

  it('decodes random facts to their DecodedMessage', () => {
    const alphabet = ['a', 'Z', '0', '9', ':', '*', '=', '-', '#', 'p', 'z', ' ', 'é', '😀', '"', '\\', '\n', '^', 'arn:aws:iam::'];
    const text = (): string => Array.from({ length: Math.floor(Math.random() * 6) }, () => alphabet[Math.floor(Math.random() * alphabet.length)]).join('');
    for (let i = 0; i < 300; i++) {
      const who = { ...caller, principalId: text(), arn: text(), userName: Math.random() < 0.5 ? undefined : text() };
      // Values that are the principal's facts (or `false`, `true`) are written as references.
      const facts = [who.principalId, who.arn, who.userName ?? 'x', who.arn.split(':')[4] ?? '', 'false', 'true'];
      const value = (): string => (Math.random() < 0.3 ? facts[Math.floor(Math.random() * facts.length)]! : text());
      const context: Record<string, string | string[]> = {};
      for (let k = Math.floor(Math.random() * 6); k > 0; k--) {
        const key = Math.random() < 0.3 ? 'aws:SourceIp' : Math.random() < 0.3 ? 'aws:userid' : text();
        context[key] = Math.random() < 0.7 ? value() : Array.from({ length: Math.floor(Math.random() * 3) }, value);
      }
      const answer = { ...denial(context), evaluated: { ...denial(context).evaluated, action: text(), resource: text() } };
      expect(codec.decode(codec.encode(answer, who))).toBe(JSON.stringify(decodedMessage(answer, who)));
    }
  });
});
