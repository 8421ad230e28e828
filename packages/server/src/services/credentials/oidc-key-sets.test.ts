import { describe, expect, it } from 'vitest';
import { IdpUnreachable, OidcKeySets } from './oidc-key-sets.js';

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
});
