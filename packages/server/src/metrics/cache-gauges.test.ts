import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { registerCacheGauges, registerUnreadablePolicyCounter } from './cache-gauges.js';
import { CompiledPolicyCache } from '../services/authorization/compiled-policy-cache.js';

describe('registerCacheGauges', () => {
  it('reads each cache at every scrape', async () => {
    const keys = { stats: { entries: 2, hits: 10, misses: 3 } };
    const users = { stats: { entries: 0, hits: 0, misses: 0 } };
    const registry = new Registry();
    registerCacheGauges(registry, { access_keys: keys, users });
    const first = await registry.metrics();
    keys.stats = { entries: 5, hits: 12, misses: 4 };
    const second = await registry.metrics();
    const cases: Array<[string, string, string]> = [
      ['entries', 'castellan_cache_entries{cache="access_keys"} 2', 'castellan_cache_entries{cache="access_keys"} 5'],
      ['hits', 'castellan_cache_lookups_total{cache="access_keys",result="hit"} 10', 'castellan_cache_lookups_total{cache="access_keys",result="hit"} 12'],
      ['misses', 'castellan_cache_lookups_total{cache="access_keys",result="miss"} 3', 'castellan_cache_lookups_total{cache="access_keys",result="miss"} 4'],
      ['an empty cache', 'castellan_cache_entries{cache="users"} 0', 'castellan_cache_entries{cache="users"} 0'],
    ];
    for (const [name, before, after] of cases) {
      expect(first.split('\n'), name).toContain(before);
      expect(second.split('\n'), name).toContain(after);
    }
  });
});

describe('registerUnreadablePolicyCounter', () => {
  it('counts the stored documents the policy cache compiled to deny everything', async () => {
    const cache = new CompiledPolicyCache();
    const registry = new Registry();
    registerUnreadablePolicyCounter(registry, () => cache.unreadableCount);
    expect((await registry.metrics()).split('\n')).toContain('castellan_unreadable_policies_total 0');
    cache.compile({ kind: 'identity', policyId: 'broken', name: 'broken', document: '{"Version":' });
    cache.compile({ kind: 'identity', policyId: 'fine', name: 'fine', document: '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"arn:*:s3:::b"}]}' });
    expect((await registry.metrics()).split('\n')).toContain('castellan_unreadable_policies_total 1');
  });
});
