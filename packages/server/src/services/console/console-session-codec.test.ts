import { describe, expect, it } from 'vitest';
import { ConsoleSessionCodec, cookieValue, type ConsoleSession } from './console-session-codec.js';

const KEY = new Uint8Array(32).fill(7);
const session: ConsoleSession = {
  sessionId: 'c2Vzc2lvbi1pZA',
  accountId: '123456789012',
  userId: 'AIDAEXAMPLEUSER00001',
  userName: 'alice',
  arn: 'arn:aws:iam::123456789012:user/alice',
  issuedAt: new Date('2026-01-01T00:00:00Z'),
  expiresAt: new Date('2026-01-01T01:00:00Z'),
};

describe('ConsoleSessionCodec', () => {
  it.each([
    { name: 'without MFA', given: session },
    { name: 'with MFA', given: { ...session, mfaAuthenticatedAt: new Date('2026-01-01T00:00:00Z') } },
  ])('opens what it sealed ($name)', ({ given }) => {
    const codec = new ConsoleSessionCodec(KEY);
    expect(codec.open(codec.seal(given))).toEqual(given);
  });

  it('does not open a value sealed under another master key, altered, or garbage', () => {
    const sealed = new ConsoleSessionCodec(KEY).seal(session);
    const other = new ConsoleSessionCodec(new Uint8Array(32).fill(8));
    const i = Math.floor(sealed.length / 2);
    const altered = sealed.slice(0, i) + (sealed[i] === 'A' ? 'B' : 'A') + sealed.slice(i + 1);
    expect([other.open(sealed), new ConsoleSessionCodec(KEY).open(altered), other.open('not-a-session'), other.open('')]).toEqual([undefined, undefined, undefined, undefined]);
  });

  it('binds the CSRF token to the session id and the key', () => {
    const codec = new ConsoleSessionCodec(KEY);
    const token = codec.csrfToken(session.sessionId);
    expect(codec.csrfMatches(session.sessionId, token)).toBe(true);
    expect(codec.csrfMatches('another-session', token)).toBe(false);
    expect(codec.csrfMatches(session.sessionId, undefined)).toBe(false);
    expect(codec.csrfMatches(session.sessionId, `${token}x`)).toBe(false);
    expect(new ConsoleSessionCodec(new Uint8Array(32).fill(8)).csrfMatches(session.sessionId, token)).toBe(false);
  });
});

describe('cookieValue', () => {
  it.each([
    { header: undefined, expected: undefined },
    { header: 'a=1; castellan-console=xyz; b=2', expected: 'xyz' },
    { header: 'castellan-console-other=1', expected: undefined },
    { header: 'castellan-console=v=with=equals', expected: 'v=with=equals' },
  ])('$header', ({ header, expected }) => {
    expect(cookieValue(header, 'castellan-console')).toBe(expected);
  });

  describe('WebAuthn challenges', () => {
    const codec = new ConsoleSessionCodec(KEY);
    const now = new Date('2026-01-01T00:00:00Z');
    const made = codec.challenge('signin/ana', new Uint8Array(16).fill(1), new Date(now.getTime() + 60_000));
    const tampered = made.replace(/^\d+/, (ms) => String(Number(ms) + 1000));
    it.each([
      { name: 'its own purpose before expiry', challenge: made, purpose: 'signin/ana', at: now, ok: true },
      { name: 'another purpose', challenge: made, purpose: 'signin/bob', at: now, ok: false },
      { name: 'at its expiry', challenge: made, purpose: 'signin/ana', at: new Date(now.getTime() + 60_000), ok: false },
      { name: 'a lengthened expiry', challenge: tampered, purpose: 'signin/ana', at: now, ok: false },
      { name: 'another key', challenge: new ConsoleSessionCodec(new Uint8Array(32).fill(8)).challenge('signin/ana', new Uint8Array(16), new Date(now.getTime() + 60_000)), purpose: 'signin/ana', at: now, ok: false },
      { name: 'garbage', challenge: 'a.b', purpose: 'signin/ana', at: now, ok: false },
    ])('accepts a challenge for $name: $ok', ({ challenge, purpose, at, ok }) => {
      expect(codec.challengeExpiry(challenge, purpose, at) !== undefined).toBe(ok);
    });
  });

  it('keeps a sign-in name as a keyed hash: one per name and key, never the name', () => {
    const codec = new ConsoleSessionCodec(KEY);
    const hashes = [codec.guardName('nobody'), new ConsoleSessionCodec(KEY).guardName('nobody'), codec.guardName('nobody2'), new ConsoleSessionCodec(new Uint8Array(32).fill(8)).guardName('nobody')];
    expect(hashes[0]).toBe(hashes[1]);
    expect(new Set(hashes).size).toBe(3);
    expect(hashes[0]).not.toContain('nobody');
  });
});
