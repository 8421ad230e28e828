import { describe, expect, it } from 'vitest';
import { IdpUnreachable, MAX_IDP_DOCUMENT_BYTES, OidcKeySets } from './oidc-key-sets.js';

/** A fetch that answers discovery documents from a table and counts the calls. */
function fakeFetch(documents: Record<string, unknown>) {
  const calls: string[] = [];
  const f = (async (url: string | URL) => {
    calls.push(String(url));
    const body = documents[String(url)];
    return body === undefined ? new Response('', { status: 404 }) : Response.json(body);
  }) as typeof fetch;
  return { f, calls };
}

describe('OidcKeySets', () => {
  it.each([
    { name: 'an http issuer on a public name', issuer: 'http://idp.example.com', documents: {}, allowHttpLoopback: true },
    { name: 'an http loopback issuer when not allowed', issuer: 'http://127.0.0.1:9000', documents: {}, allowHttpLoopback: false },
    { name: 'an issuer answering 404', issuer: 'https://idp.example.com', documents: {}, allowHttpLoopback: false },
    {
      name: 'a discovery document naming another issuer',
      issuer: 'https://idp.example.com',
      documents: { 'https://idp.example.com/.well-known/openid-configuration': { issuer: 'https://evil.example.com', jwks_uri: 'https://idp.example.com/keys' } },
      allowHttpLoopback: false,
    },
    {
      name: 'a jwks_uri over plain http',
      issuer: 'https://idp.example.com',
      documents: { 'https://idp.example.com/.well-known/openid-configuration': { issuer: 'https://idp.example.com', jwks_uri: 'http://idp.example.com/keys' } },
      allowHttpLoopback: false,
    },
  ])('refuses $name as unreachable', async ({ issuer, documents, allowHttpLoopback }) => {
    const { f } = fakeFetch(documents);
    await expect(new OidcKeySets({ fetch: f, allowHttpLoopback }).keysFor(issuer)).rejects.toBeInstanceOf(IdpUnreachable);
  });

  it('keeps a discovery document for its maximum age, then fetches it again', async () => {
    let now = 0;
    const { f, calls } = fakeFetch({ 'https://idp.example.com/tenant/.well-known/openid-configuration': { issuer: 'https://idp.example.com/tenant', jwks_uri: 'https://idp.example.com/keys' } });
    const sets = new OidcKeySets({ fetch: f, now: () => now, discoveryMaxAgeMs: 1000 });
    await Promise.all([sets.keysFor('https://idp.example.com/tenant'), sets.keysFor('https://idp.example.com/tenant')]);
    now = 999;
    await sets.keysFor('https://idp.example.com/tenant');
    expect(calls).toHaveLength(1);
    now = 1000;
    await sets.keysFor('https://idp.example.com/tenant');
    expect(calls).toHaveLength(2);
  });

  /** A body of `bytes` JSON bytes, streamed in 64 KiB chunks without a Content-Length, or declared. */
  const bigJson = (value: Record<string, unknown>, bytes: number, declared: boolean): Response => {
    const text = JSON.stringify({ ...value, padding: 'x'.repeat(bytes) });
    if (declared) return new Response(text, { headers: { 'content-length': String(Buffer.byteLength(text)) } });
    const data = new TextEncoder().encode(text);
    let at = 0;
    return new Response(new ReadableStream({ pull(c) { if (at >= data.length) c.close(); else { c.enqueue(data.subarray(at, at + 65536)); at += 65536; } } }));
  };
  const ISSUER = 'https://idp.example.com';
  const DISCOVERY = { issuer: ISSUER, jwks_uri: `${ISSUER}/keys` };

  it.each([
    { name: 'a discovery document streamed beyond the limit', declared: false, what: 'discovery' },
    { name: 'a discovery document declared beyond the limit', declared: true, what: 'discovery' },
    { name: 'a key set streamed beyond the limit', declared: false, what: 'keys' },
    { name: 'a key set declared beyond the limit', declared: true, what: 'keys' },
  ])('refuses $name as unreachable, without reading it whole', async ({ declared, what }) => {
    const f = (async (url: string | URL) => {
      if (String(url).endsWith('/keys')) return what === 'keys' ? bigJson({ keys: [] }, 2 * MAX_IDP_DOCUMENT_BYTES, declared) : Response.json({ keys: [] });
      return what === 'discovery' ? bigJson(DISCOVERY, 2 * MAX_IDP_DOCUMENT_BYTES, declared) : Response.json(DISCOVERY);
    }) as typeof fetch;
    const fetchKey = async () => (await new OidcKeySets({ fetch: f }).keysFor(ISSUER))({ alg: 'RS256', kid: 'k1' }, { payload: '', signature: '' });
    await expect(fetchKey()).rejects.toBeInstanceOf(IdpUnreachable);
  });

  it('reads documents within the limit, however they are sent', async () => {
    const f = (async (url: string | URL) => String(url).endsWith('/keys') ? bigJson({ keys: [] }, 1000, false) : bigJson(DISCOVERY, 1000, true)) as typeof fetch;
    const keys = await new OidcKeySets({ fetch: f }).keysFor(ISSUER);
    // The key set was read and holds no such key.
    await expect(keys({ alg: 'RS256', kid: 'k1' }, { payload: '', signature: '' })).rejects.toMatchObject({ code: 'ERR_JWKS_NO_MATCHING_KEY' });
  });
});
