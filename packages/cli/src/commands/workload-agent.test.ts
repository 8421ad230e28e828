import { request as httpRequest } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { hostAllowed, startWorkloadAgent, type WorkloadAgent, type WorkloadCredentials } from './workload-agent.js';

const MIN = 60_000;
const T0 = Date.parse('2026-01-01T00:00:00Z');

function session(n: number, expiresAt: number): WorkloadCredentials {
  return { AccessKeyId: `ASIA${n}`, SecretAccessKey: `s${n}`, Token: `t${n}`, Expiration: new Date(expiresAt).toISOString(), RoleArn: 'arn:aws:iam::123456789012:role/R', RoleName: 'R' };
}

/** A fake server: each step answers one exchange (a session, a status, or a network failure). */
function fakeServer(steps: Array<WorkloadCredentials | number | 'down'>) {
  const calls: string[] = [];
  const f = (async (_url: unknown, init?: RequestInit) => {
    calls.push(String((init?.headers as Record<string, string>)['authorization']));
    const step = steps.shift();
    // As Node's fetch fails: a TypeError whose cause carries the reason.
    if (step === undefined || step === 'down') throw new TypeError('fetch failed', { cause: Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' }) });
    if (typeof step === 'number') return new Response(JSON.stringify({ __type: 'AccessDeniedException' }), { status: step });
    // The server's castellan:GetWorkloadCredentials answer for this session.
    const answer = { Credentials: { AccessKeyId: step.AccessKeyId, SecretAccessKey: step.SecretAccessKey, SessionToken: step.Token, Expiration: Date.parse(step.Expiration) / 1000 }, RoleArn: step.RoleArn };
    return new Response(JSON.stringify(answer), { status: 200 });
  }) as typeof fetch;
  return { f, calls };
}

let agent: WorkloadAgent | undefined;
afterEach(async () => { await agent?.close(); agent = undefined; });

async function keyAt(now: { t: number }, steps: Array<WorkloadCredentials | number | 'down'>, maxTokens?: number) {
  const server = fakeServer(steps);
  const warnings: string[] = [];
  agent = await startWorkloadAgent({ endpoint: 'http://castellan.invalid', bootstrapSecret: 'cwls_x', host: '127.0.0.1', port: 0, containerAuthorizationToken: 'tok', now: () => new Date(now.t), fetch: server.f, warn: (m) => warnings.push(m), ...(maxTokens ? { maxTokens } : {}) });
  const a = agent;
  const read = async () => {
    const r = await fetch(`${a.url}/v1/credentials`, { headers: { authorization: 'tok' } });
    return r.status === 200 ? ((await r.json()) as { AccessKeyId: string }).AccessKeyId : r.status;
  };
  return { read, calls: server.calls, warnings };
}

type Step = WorkloadCredentials | number | 'down';

describe('workload agent session refresh', () => {
  it.each<{ name: string; steps: Step[]; times: number[]; want: Array<string | number>; calls: number; warned: string[] }>([
    { name: 'keeps a fresh session, refreshes 15 minutes before expiry', steps: [session(1, T0 + 60 * MIN), session(2, T0 + 120 * MIN)], times: [0, 44, 46], want: ['ASIA1', 'ASIA1', 'ASIA2'], calls: 2, warned: [] },
    { name: 'a refusal drops the session at once', steps: [session(1, T0 + 10 * MIN), 403], times: [0, 6], want: ['ASIA1', 404], calls: 2, warned: ['the server refused the workload (HTTP 403 AccessDeniedException); no session to serve'] },
    { name: 'an unreachable server: the unexpired session is served', steps: [session(1, T0 + 10 * MIN), 'down'], times: [0, 6], want: ['ASIA1', 'ASIA1'], calls: 2, warned: ['cannot reach http://castellan.invalid: connect ECONNREFUSED 127.0.0.1:1; serving the current session until 2026-01-01T00:10:00.000Z'] },
    { name: 'an unreachable server is said once, not at every request', steps: [session(1, T0 + 10 * MIN), 'down', 'down', 'down'], times: [0, 6, 7, 8], want: ['ASIA1', 'ASIA1', 'ASIA1', 'ASIA1'], calls: 4, warned: ['cannot reach http://castellan.invalid: connect ECONNREFUSED 127.0.0.1:1; serving the current session until 2026-01-01T00:10:00.000Z'] },
    { name: 'an unreachable server after expiry: nothing is served', steps: [session(1, T0 + 10 * MIN), 'down'], times: [0, 11], want: ['ASIA1', 404], calls: 2, warned: ['cannot reach http://castellan.invalid: connect ECONNREFUSED 127.0.0.1:1; no session to serve'] },
  ])('$name', async ({ steps, times, want, calls, warned }) => {
    const now = { t: T0 };
    const { read, calls: made, warnings } = await keyAt(now, steps);
    const got: Array<string | number> = [];
    for (const m of times) {
      now.t = T0 + m * MIN;
      got.push(await read());
    }
    expect(got).toEqual(want);
    // The operator is told why, and never shown the secret.
    expect(warnings).toEqual(warned);
    expect(made).toHaveLength(calls);
    expect(new Set(made)).toEqual(new Set(['Bearer cwls_x']));
  });

  it('an IMDSv2 token expires after its TTL', async () => {
    const now = { t: T0 };
    await keyAt(now, [session(1, T0 + 60 * MIN)]);
    const url = agent!.url;
    const token = await (await fetch(`${url}/latest/api/token`, { method: 'PUT', headers: { 'x-aws-ec2-metadata-token-ttl-seconds': '10' } })).text();
    const list = () => fetch(`${url}/latest/meta-data/iam/security-credentials/`, { headers: { 'x-aws-ec2-metadata-token': token } });
    expect((await list()).status).toBe(200);
    now.t += 10_000;
    expect((await list()).status).toBe(401);
    expect((await fetch(`${url}/latest/api/token`, { method: 'PUT', headers: { 'x-aws-ec2-metadata-token-ttl-seconds': '10', 'x-forwarded-for': '10.0.0.1' } })).status).toBe(403);
  });

  it('refuses what a browser sends (a DNS-rebound page on this machine): a token or credentials asked with an Origin', async () => {
    const now = { t: T0 };
    await keyAt(now, [session(1, T0 + 60 * MIN)]);
    const url = agent!.url;
    const put = (headers: Record<string, string>) => fetch(`${url}/latest/api/token`, { method: 'PUT', headers: { 'x-aws-ec2-metadata-token-ttl-seconds': '10', ...headers } });
    expect((await put({ origin: 'http://rebound.example.com:8911' })).status).toBe(403);
    const token = await (await put({})).text();
    const imds = await fetch(`${url}/latest/meta-data/iam/security-credentials/R`, { headers: { 'x-aws-ec2-metadata-token': token, origin: 'http://rebound.example.com:8911' } });
    expect(imds.status).toBe(403);
    const ecs = await fetch(`${url}/v1/credentials`, { headers: { authorization: 'tok', origin: 'http://rebound.example.com:8911' } });
    expect(ecs.status).toBe(403);
    // Without the header, the same requests are served.
    expect((await fetch(`${url}/latest/meta-data/iam/security-credentials/R`, { headers: { 'x-aws-ec2-metadata-token': token } })).status).toBe(200);
  });

  it('says in IMDS\'s LastUpdated when the credentials were fetched, not when they were asked for', async () => {
    const now = { t: T0 };
    await keyAt(now, [session(1, T0 + 60 * MIN), session(2, T0 + 120 * MIN)]);
    const url = agent!.url;
    const token = await (await fetch(`${url}/latest/api/token`, { method: 'PUT', headers: { 'x-aws-ec2-metadata-token-ttl-seconds': '21600' } })).text();
    const read = async (m: number) => {
      now.t = T0 + m * MIN;
      const doc = (await (await fetch(`${url}/latest/meta-data/iam/security-credentials/R`, { headers: { 'x-aws-ec2-metadata-token': token } })).json()) as { AccessKeyId: string; LastUpdated: string };
      return [doc.AccessKeyId, doc.LastUpdated];
    };
    // Fetched at the first request; the second is served the same session; the third is past the refresh point.
    expect([await read(0), await read(9), await read(46)]).toEqual([
      ['ASIA1', '2026-01-01T00:00:00Z'],
      ['ASIA1', '2026-01-01T00:00:00Z'],
      ['ASIA2', '2026-01-01T00:46:00Z'],
    ]);
  });

  it('keeps at most maxTokens IMDSv2 tokens alive, dropping the oldest', async () => {
    const now = { t: T0 };
    await keyAt(now, [session(1, T0 + 60 * MIN)], 2);
    const url = agent!.url;
    const put = async () => (await fetch(`${url}/latest/api/token`, { method: 'PUT', headers: { 'x-aws-ec2-metadata-token-ttl-seconds': '21600' } })).text();
    const [first, second, third] = [await put(), await put(), await put()];
    const list = async (token: string) => (await fetch(`${url}/latest/meta-data/iam/security-credentials/`, { headers: { 'x-aws-ec2-metadata-token': token } })).status;
    expect([await list(first), await list(second), await list(third)]).toEqual([401, 200, 200]);
  });
});

describe('hostAllowed (DNS rebinding: the Host a request names)', () => {
  const names = new Set(['agent.internal']);
  it.each([
    { host: '127.0.0.1:8911', allowed: true, why: 'a loopback IP with port (the documented setup)' },
    { host: '127.0.0.1', allowed: true, why: 'a loopback IP' },
    { host: '169.254.169.254', allowed: true, why: 'the EC2 metadata IP the SDKs use by default' },
    { host: '10.0.0.5:8911', allowed: true, why: 'another IPv4 literal (an agent listening beyond loopback)' },
    { host: '[::1]:8911', allowed: true, why: 'IPv6 loopback' },
    { host: '[fd00:ec2::254]', allowed: true, why: 'an IPv6 literal without port' },
    { host: 'localhost:8911', allowed: true, why: 'localhost' },
    { host: 'LocalHost', allowed: true, why: 'localhost in any case' },
    { host: 'agent.internal:8911', allowed: true, why: 'a configured name' },
    { host: 'localhost.:8911', allowed: true, why: 'localhost fully qualified (trailing dot)' },
    { host: 'agent.internal.', allowed: true, why: 'a configured name fully qualified' },
    { host: undefined, allowed: true, why: 'no Host (HTTP/1.0: no browser)' },
    { host: 'rebound.example.com:8911', allowed: false, why: 'a rebound name' },
    { host: 'localhost.example.com', allowed: false, why: 'a name that merely starts with localhost' },
    { host: '127.0.0.1.nip.io:8911', allowed: false, why: 'a name that merely starts with an IP' },
    { host: '[not-an-ip]:8911', allowed: false, why: 'brackets around no IPv6 address' },
    { host: '', allowed: false, why: 'an empty Host' },
  ])('$host: $allowed ($why)', ({ host, allowed }) => {
    expect(hostAllowed(host, names)).toBe(allowed);
  });
});

describe('workload agent Host check', () => {
  /** A GET of the container route with `Host` set as given (fetch will not send a chosen Host). */
  const getWithHost = (url: string, host: string) => new Promise<number>((resolve, reject) => {
    const req = httpRequest(`${url}/v1/credentials`, { headers: { host, authorization: 'tok' } }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', reject);
    req.end();
  });

  it.each([
    { name: 'the loopback IP it listens on', host: (port: number) => `127.0.0.1:${port}`, status: 200 },
    { name: 'localhost', host: (port: number) => `localhost:${port}`, status: 200 },
    { name: 'a name given with allowedHosts', host: (port: number) => `agent.internal:${port}`, status: 200 },
    { name: 'a rebound name', host: (port: number) => `rebound.example.com:${port}`, status: 403 },
  ])('answers a request naming $name with $status', async ({ host, status }) => {
    const server = fakeServer([session(1, T0 + 60 * MIN)]);
    agent = await startWorkloadAgent({ endpoint: 'http://castellan.invalid', bootstrapSecret: 'cwls_x', host: '127.0.0.1', port: 0, allowedHosts: ['Agent.Internal'], containerAuthorizationToken: 'tok', now: () => new Date(T0), fetch: server.f });
    const port = Number(new URL(agent.url).port);
    expect(await getWithHost(agent.url, host(port))).toBe(status);
  });
});
