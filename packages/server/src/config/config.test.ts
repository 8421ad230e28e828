import { describe, expect, it } from 'vitest';
import { configFromEnv, configFromFile, parseConsoleOrigin, resolveConfig, type ConfigSource } from './config.js';

describe('resolveConfig', () => {
  const cases: { name: string; sources: ConfigSource[]; expect: Record<string, unknown> | { problems: string[] } }[] = [
    { name: 'defaults', sources: [], expect: { host: '127.0.0.1', port: 8910, dataDir: './data', ephemeral: false, region: 'us-east-1' } },
    { name: 'first source wins', sources: [{ port: '9000' }, { port: '9100', host: '0.0.0.0' }], expect: { port: 9000, host: '0.0.0.0' } },
    { name: 'fixed root keys', sources: [{ rootAccessKeyId: 'minio', rootSecretAccessKey: 'minio123' }], expect: { rootAccessKeyId: 'minio', rootSecretAccessKey: 'minio123' } },
    { name: 'short secret', sources: [{ rootAccessKeyId: 'abc', rootSecretAccessKey: 'short' }], expect: { problems: ['rootSecretAccessKey'] } },
    { name: 'key id without secret', sources: [{ rootAccessKeyId: 'abc' }], expect: { problems: ['rootSecretAccessKey'] } },
    { name: 'bad account id', sources: [{ accountId: '1234' }], expect: { problems: ['accountId'] } },
    { name: 'bad port', sources: [{ port: 'http' }], expect: { problems: ['port'] } },
    { name: 'mysql url refused', sources: [{ databaseUrl: 'mysql://x' }], expect: { problems: ['databaseUrl'] } },
    { name: 'ephemeral from env text', sources: [{ ephemeral: 'true' }], expect: { ephemeral: true } },
    { name: 'metrics on their own port', sources: [{ metricsPort: '9464', metricsHost: '10.0.0.5' }], expect: { metricsPort: 9464, metricsHost: '10.0.0.5' } },
    { name: 'bad metrics port', sources: [{ metricsPort: '70000' }], expect: { problems: ['metricsPort'] } },
    { name: 'rate limits on by default', sources: [], expect: { rateLimitPerKey: 100, rateLimitPerAddress: 500 } },
    { name: 'rate limits off by default in ephemeral mode', sources: [{ ephemeral: true }], expect: { rateLimitPerKey: 0, rateLimitPerAddress: 0 } },
    { name: 'rate limits as asked, ephemeral or not', sources: [{ ephemeral: 'true', rateLimitPerKey: '5', rateLimitPerAddress: 0 }], expect: { rateLimitPerKey: 5, rateLimitPerAddress: 0 } },
    { name: 'bad rate limit', sources: [{ rateLimitPerKey: '-1' }], expect: { problems: ['rateLimitPerKey'] } },
    { name: 'federation defaults: https issuers only, AWS\'s SAML endpoint only', sources: [], expect: { oidcAllowHttpLoopback: false, samlAudiences: [] } },
    { name: 'loopback http issuers and a SAML audience of our own', sources: [{ oidcAllowHttpLoopback: 'true', samlAudiences: 'https://castellan.example.com/saml, urn:castellan' }], expect: { oidcAllowHttpLoopback: true, samlAudiences: ['https://castellan.example.com/saml', 'urn:castellan'] } },
    { name: 'trusted proxies of both families', sources: [{ trustedProxies: '10.0.0.0/8, fd00::/8,2001:db8::1' }], expect: { trustedProxies: ['10.0.0.0/8', 'fd00::/8', '2001:db8::1'] } },
    { name: 'bad trusted proxy prefix', sources: [{ trustedProxies: '10.0.0.0/8,fd00::/129' }], expect: { problems: ['trustedProxies'] } },
    { name: 'trusted proxy that is no address', sources: [{ trustedProxies: 'proxy.internal' }], expect: { problems: ['trustedProxies'] } },
    { name: 'bad SAML audience', sources: [{ samlAudiences: 'http://plain.example.com/saml' }], expect: { problems: ['samlAudiences'] } },
    // The three list settings share one reading: a file's array must hold only strings.
    { name: 'list settings from a file with a non-string entry', sources: [{ trustedProxies: ['10.0.0.1', 7], oidcAllowNetwork: [null], samlAudiences: ['urn:castellan', 42] } as ConfigSource], expect: { problems: ['trustedProxies', 'oidcAllowNetwork', 'samlAudiences'] } },
    { name: 'list settings from a file, trimmed, empty entries dropped', sources: [{ trustedProxies: [' 10.0.0.1 ', ''], samlAudiences: ['urn:castellan ', ' '] }], expect: { trustedProxies: ['10.0.0.1'], samlAudiences: ['urn:castellan'] } },
    { name: 'no internal OpenID Connect networks by default', sources: [], expect: { oidcAllowNetwork: [] } },
    { name: 'internal OpenID Connect networks: ranges, addresses and host names', sources: [{ oidcAllowNetwork: '127.0.0.1, 10.0.0.0/8,fd00::/8, IdP.Corp.example.' }], expect: { oidcAllowNetwork: ['127.0.0.1', '10.0.0.0/8', 'fd00::/8', 'IdP.Corp.example.'] } },
    { name: 'internal OpenID Connect networks from a file', sources: [{ oidcAllowNetwork: ['::1', 'localhost'] }], expect: { oidcAllowNetwork: ['::1', 'localhost'] } },
    { name: 'bad internal OpenID Connect network prefix', sources: [{ oidcAllowNetwork: '10.0.0.0/33' }], expect: { problems: ['oidcAllowNetwork'] } },
    { name: 'internal OpenID Connect network that is neither name nor address', sources: [{ oidcAllowNetwork: 'https://idp.example.com' }], expect: { problems: ['oidcAllowNetwork'] } },
    { name: 'a console origin, written as browsers write it', sources: [{ consoleOrigin: 'https://IAM.example.com:443/' }], expect: { consoleOrigin: 'https://iam.example.com' } },
    { name: 'a console origin with a port', sources: [{ consoleOrigin: 'https://iam.example.com:8443' }], expect: { consoleOrigin: 'https://iam.example.com:8443' } },
    { name: 'a plain-http console origin on localhost', sources: [{ consoleOrigin: 'http://localhost:8910' }], expect: { consoleOrigin: 'http://localhost:8910' } },
    { name: 'a plain-http console origin elsewhere', sources: [{ consoleOrigin: 'http://iam.example.com' }], expect: { problems: ['consoleOrigin'] } },
    { name: 'a console origin with a path', sources: [{ consoleOrigin: 'https://iam.example.com/console/' }], expect: { problems: ['consoleOrigin'] } },
    { name: 'a console origin that is a host name only', sources: [{ consoleOrigin: 'iam.example.com' }], expect: { problems: ['consoleOrigin'] } },
    { name: 'bad loopback flag', sources: [{ oidcAllowHttpLoopback: 'maybe' }], expect: { problems: ['oidcAllowHttpLoopback'] } },
    { name: 'cache sizes by default', sources: [], expect: { accessKeyCacheSize: 10_000, principalCacheSize: 10_000, sessionCacheSize: 10_000 } },
    { name: 'cache sizes as asked, 0 turns off', sources: [{ accessKeyCacheSize: '500', principalCacheSize: 0, sessionCacheSize: '20' }], expect: { accessKeyCacheSize: 500, principalCacheSize: 0, sessionCacheSize: 20 } },
    { name: 'bad cache sizes', sources: [{ accessKeyCacheSize: '1.5', principalCacheSize: '-3', sessionCacheSize: 'many' }], expect: { problems: ['accessKeyCacheSize', 'principalCacheSize', 'sessionCacheSize'] } },
    { name: 'audit batching by default', sources: [], expect: { auditFlushMs: 200, auditBatchSize: 1000 } },
    { name: 'audit batching as asked', sources: [{ auditFlushMs: '20', auditBatchSize: 32 }], expect: { auditFlushMs: 20, auditBatchSize: 32 } },
    { name: 'bad audit batching', sources: [{ auditFlushMs: '0', auditBatchSize: '2.5' }], expect: { problems: ['auditFlushMs', 'auditBatchSize'] } },
    { name: 'health after 30 s of failing audit writes by default', sources: [], expect: { healthAuditFailureSeconds: 30 } },
    { name: 'health after failing audit writes as asked', sources: [{ healthAuditFailureSeconds: '5' }], expect: { healthAuditFailureSeconds: 5 } },
    { name: 'bad health delay', sources: [{ healthAuditFailureSeconds: '3601' }], expect: { problems: ['healthAuditFailureSeconds'] } },
    { name: 'trusted proxies list', sources: [{ trustedProxies: '10.0.0.0/8, 127.0.0.1/32' }], expect: { trustedProxies: ['10.0.0.0/8', '127.0.0.1/32'] } },
    { name: 'quotas are AWS\'s unless set', sources: [], expect: { quotas: {} } },
    { name: 'quotas from a flag or the environment', sources: [{ quotas: 'usersPerAccount=100000, rolesPerAccount=5000' }], expect: { quotas: { usersPerAccount: 100000, rolesPerAccount: 5000 } } },
    { name: 'quotas from a file', sources: [{ quotas: { customerManagedPoliciesPerAccount: 20000 } }], expect: { quotas: { customerManagedPoliciesPerAccount: 20000 } } },
    { name: 'a quota that cannot be set', sources: [{ quotas: 'tagsPerResource=100' }], expect: { problems: ['quotas'] } },
    { name: 'a quota that is not a count', sources: [{ quotas: { usersPerAccount: '1e5' } }], expect: { problems: ['quotas'] } },
    { name: 'a zero quota', sources: [{ quotas: 'usersPerAccount=0' }], expect: { problems: ['quotas'] } },
    { name: 'a quota without a value', sources: [{ quotas: 'usersPerAccount' }], expect: { problems: ['quotas'] } },
    { name: 'a master key of 64 hex digits', sources: [{ masterKey: 'ab'.repeat(32) }], expect: { masterKey: 'ab'.repeat(32) } },
    { name: 'a master key too short', sources: [{ masterKey: 'short' }], expect: { problems: ['masterKey'] } },
    { name: 'a master key of 31 bytes', sources: [{ masterKey: 'ab'.repeat(31) }], expect: { problems: ['masterKey'] } },
    { name: 'no platform principals by default', sources: [], expect: { platformPrincipals: [] } },
    { name: 'platform principals from a flag or the environment, each once', sources: [{ platformPrincipals: 'arn:aws:iam::123456789012:role/platform/s3, arn:aws:iam::123456789012:user/s3-service,arn:aws:iam::123456789012:role/platform/s3' }], expect: { platformPrincipals: ['arn:aws:iam::123456789012:role/platform/s3', 'arn:aws:iam::123456789012:user/s3-service'] } },
    { name: 'platform principals from a file', sources: [{ platformPrincipals: ['arn:aws:iam::123456789012:role/s3'] }], expect: { platformPrincipals: ['arn:aws:iam::123456789012:role/s3'] } },
    { name: 'a platform principal that is a role session', sources: [{ platformPrincipals: 'arn:aws:sts::123456789012:assumed-role/s3/worker' }], expect: { problems: ['platformPrincipals'] } },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const r = resolveConfig(c.sources);
      if ('problems' in c.expect) {
        expect(r.ok).toBe(false);
        if (!r.ok) expect(r.problems.map((p) => p.setting)).toEqual(c.expect.problems);
      } else {
        expect(r.ok).toBe(true);
        if (r.ok) expect(r.config).toMatchObject(c.expect);
      }
    });
  }

  // Every numeric setting, with a value that is no number of it: a file's null or boolean, an empty
  // flag (`--port ""`) or object. `Number()` read null, false and "" as 0 (a random port, a limit or
  // the export off) and true as 1 (port 1, one day).
  const NUMERIC_SETTINGS = ['port', 'metricsPort', 'trailExportMinutes', 'auditRetentionDays', 'rateLimitPerKey', 'rateLimitPerAddress', 'accessKeyCacheSize', 'principalCacheSize', 'sessionCacheSize', 'auditFlushMs', 'auditBatchSize', 'healthAuditFailureSeconds', 'databaseTimeoutSeconds'] as const;
  const NOT_NUMBERS: Array<[string, unknown]> = [['null', null], ['true', true], ['false', false], ['an empty string', ''], ['blanks', '  '], ['an object', {}], ['a list', [8910]]];
  for (const setting of NUMERIC_SETTINGS) {
    it.each(NOT_NUMBERS)(`refuses ${setting} given %s, naming it`, (_name, value) => {
      const r = resolveConfig([{ [setting]: value } as ConfigSource]);
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.problems.map((p) => p.setting)).toEqual([setting]);
    });
  }
  it.each([['0.0001'], [0.5], ['0'], [-1], ['1.5']])('refuses auditRetentionDays %s: whole days of at least 1, as trail export --retention-days', (value) => {
    const r = resolveConfig([{ auditRetentionDays: value } as ConfigSource]);
    expect(r.ok ? r.config.auditRetentionDays : r.problems.map((p) => p.setting)).toEqual(['auditRetentionDays']);
  });
  it('takes a number or a string of one for each numeric setting', () => {
    const r = resolveConfig([{ port: '9000', metricsPort: 9464, trailExportMinutes: '0.5', auditRetentionDays: '30', rateLimitPerKey: '0', rateLimitPerAddress: 7, accessKeyCacheSize: '0', auditFlushMs: 200 }]);
    expect(r.ok && r.config).toMatchObject({ port: 9000, metricsPort: 9464, trailExportMinutes: 0.5, auditRetentionDays: 30, rateLimitPerKey: 0, rateLimitPerAddress: 7, accessKeyCacheSize: 0, auditFlushMs: 200 });
  });

  it('has no metrics endpoint unless a metrics port is given', () => {
    const r = resolveConfig([]);
    expect(r.ok && r.config).toMatchObject({ metricsHost: '127.0.0.1' });
    expect(r.ok && r.config).not.toHaveProperty('metricsPort');
  });

  it('never echoes the secret in a problem', () => {
    const r = resolveConfig([{ rootAccessKeyId: 'abc', rootSecretAccessKey: 'sec\u0001ret-value' }]);
    expect(JSON.stringify(r)).not.toContain('ret-value');
  });

  it('reads CASTELLAN_* variables', () => {
    expect(configFromEnv({ CASTELLAN_ACCOUNT_ID: '123456789012', CASTELLAN_PORT: '', OTHER: 'x' })).toEqual({ accountId: '123456789012' });
  });
});

describe('configFromFile', () => {
  const cases: { name: string; json: unknown; problems?: string[] }[] = [
    { name: 'settings by their names', json: { port: 8911, dataDir: '/srv/castellan', quotas: { usersPerAccount: 10 } } },
    { name: 'a misspelt setting', json: { prot: 8911, dataDir: '/srv' }, problems: ['prot'] },
    { name: 'a flag name instead of the setting', json: { 'data-dir': '/srv', 'log-level': 'warn' }, problems: ['data-dir', 'log-level'] },
    { name: 'an array', json: [{ port: 1 }], problems: ['config'] },
    { name: 'a number', json: 8910, problems: ['config'] },
    { name: 'null', json: null, problems: ['config'] },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const r = configFromFile(c.json);
      if (!c.problems) expect(r).toEqual({ ok: true, source: c.json });
      else expect(r.ok ? [] : r.problems.map((p) => p.setting)).toEqual(c.problems);
    });
  }

  it('never echoes a value, only names', () => {
    const r = configFromFile({ masterKeyy: 'secret-value-here' });
    expect(JSON.stringify(r)).not.toContain('secret-value-here');
  });
});

describe('parseConsoleOrigin', () => {
  // The host name becomes the security keys' relying party id, which WebAuthn requires to be a
  // valid domain: browsers refuse an IP address or a trailing dot with SecurityError.
  it.each([
    ['https://iam.example.com', 'https://iam.example.com'],
    ['https://IAM.example.com:443/', 'https://iam.example.com'],
    ['http://localhost:8910', 'http://localhost:8910'],
    ['https://localhost', 'https://localhost'],
    ['https://203.0.113.7', /names an IP address.*use localhost/],
    ['https://203.0.113.7:8443', /names an IP address/],
    ['http://127.0.0.1:8910', /names an IP address/],
    ['https://0x7f.1', /names an IP address/],
    ['http://[::1]:8910', /names an IP address/],
    ['https://[2001:db8::1]', /names an IP address/],
    ['https://iam.example.com.', /ends its host name with a dot/],
    ['https://iam.example.com.:8443', /ends its host name with a dot/],
    ['http://iam.example.com', /is not an origin: https:\/\/HOST\[:PORT\] \(http:\/\/ only for localhost\)/],
    ['https://iam.example.com/console/', /is not an origin/],
  ])('%s', (text, expected) => {
    const result = parseConsoleOrigin(text);
    if (typeof expected === 'string') expect(result).toBe(expected);
    else expect(result).toMatchObject({ problem: expect.stringMatching(expected) });
  });
});
