/**
 * The whole server on hostile calls: the real composition root (ephemeral, in-memory SQLite) behind
 * the Node listener, sent model-shaped Query (IAM, STS) and JSON (CloudTrail) calls with random
 * names, types and values, correctly signed by the account root so they reach the services. Every
 * answer is a success or an AWS-style error with a code the models know; never a 500 (a 501
 * `NotImplemented` names an operation Castellan does not implement yet), within a bounded time.
 * Runs: 150 in the normal test run, a tenth of CASTELLAN_FUZZ_RUNS under `npm run fuzz`.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveConfig } from '../config/config.js';
import { startCastellan, type CastellanServer } from '../main.js';
import { signedRequest, type TestCredentials } from '../sigv4/test-sign.js';
import { AWS_ERRORS } from './model/aws-errors.js';
import { jsonCall, queryCall } from './test-wire-arbitraries.js';

const RUNS = process.env.CASTELLAN_FUZZ_RUNS ? Math.floor(Number(process.env.CASTELLAN_FUZZ_RUNS) / 10) : 150;
/** Generous: a real round trip on two shared cores, with the store behind it. */
const MAX_MS_PER_CALL = 5000;
const ROOT: TestCredentials = { accessKeyId: 'AKIAFUZZROOT00000001', secretAccessKey: 'fuzz-root-secret-0123456789abcdefghijklmn' };
/** The JSON protocol's names for the common errors no model lists. */
const JSON_COMMON = new Set(['ValidationException', 'SerializationException', 'UnknownOperationException', 'AccessDeniedException', 'UnrecognizedClientException', 'MissingAuthenticationTokenException', 'IncompleteSignatureException', 'InvalidSignatureException', 'NotImplemented']);

let server: CastellanServer;
beforeAll(async () => {
  const config = resolveConfig([{ ephemeral: true, host: '127.0.0.1', port: 0, accountId: '123456789012', rootAccessKeyId: ROOT.accessKeyId, rootSecretAccessKey: ROOT.secretAccessKey, logLevel: 'silent', trailExportMinutes: 0 }]);
  if (!config.ok) throw new Error(JSON.stringify(config.problems));
  server = await startCastellan(config.config);
});
afterAll(async () => {
  await server?.close();
});

/** Sends a signed call and checks the answer: never a 500, an error code the models know, in bounded time. */
async function send(options: { body: string; service: 'iam' | 'sts' | 'cloudtrail'; query?: string; headers?: Record<string, string> }): Promise<{ status: number; text: string }> {
  const started = performance.now();
  const request = await signedRequest({ url: `${server.url}/${options.query ? `?${options.query}` : ''}`, body: options.body, service: options.service, credentials: ROOT, ...(options.headers ? { headers: options.headers } : {}) });
  const response = await fetch(request);
  const text = await response.text();
  const elapsed = performance.now() - started;
  expect(response.status, text).not.toBe(500);
  expect(response.status === 501 || response.status < 500, text).toBe(true);
  if (response.status >= 400) {
    const code = options.service === 'cloudtrail' ? (JSON.parse(text) as { __type: string }).__type : /<Code>([^<]*)<\/Code>/.exec(text)?.[1];
    expect(code !== undefined && (Object.hasOwn(AWS_ERRORS, code) || JSON_COMMON.has(code)), `unknown error ${text}`).toBe(true);
  }
  expect(elapsed).toBeLessThan(MAX_MS_PER_CALL);
  return { status: response.status, text };
}

describe('calls fuzzing found answering 500 or 501', () => {
  const json = { 'x-amz-target': 'CloudTrail_20131101.LookupEvents', 'content-type': 'application/x-amz-json-1.1' };
  it.each([
    ['Action=__proto__ (501 "does not implement the IAM operation undefined")', { service: 'iam' as const, body: 'Action=__proto__&Version=2010-05-08' }, 400, '<Code>InvalidAction</Code><Message>Could not find operation __proto__ for version 2010-05-08</Message>'],
    ['Action=constructor', { service: 'iam' as const, body: 'Action=constructor&Version=2010-05-08' }, 400, '<Code>InvalidAction</Code>'],
    ['STS Action=toString', { service: 'sts' as const, body: 'Action=toString&Version=2011-06-15' }, 400, '<Code>InvalidAction</Code>'],
    ['LookupEvents StartTime 1e300 (500)', { service: 'cloudtrail' as const, body: '{"StartTime":1e300}', headers: json }, 400, '"__type":"SerializationException"'],
    ['LookupEvents EndTime -1e300', { service: 'cloudtrail' as const, body: '{"EndTime":-1e300}', headers: json }, 400, '"__type":"SerializationException"'],
  ])('%s', async (_name, call, status, body) => {
    const { status: got, text } = await send(call);
    expect(got).toBe(status);
    expect(text).toContain(body);
  });
});

describe('the server on fuzzed calls: no 500', () => {
  it('Query calls to IAM and STS', async () => {
    await fc.assert(
      fc.asyncProperty(queryCall, async ({ query, body }) => {
        const version = /(?:^|&)Version=([^&]*)/.exec(`${query}&${body}`)?.[1];
        await send({ body, query, service: version === '2011-06-15' ? 'sts' : 'iam' });
      }),
      { numRuns: RUNS },
    );
  });

  it('JSON calls to CloudTrail', async () => {
    await fc.assert(
      fc.asyncProperty(jsonCall, async ([target, body]) => {
        await send({ body: JSON.stringify(body), service: 'cloudtrail', headers: { 'x-amz-target': target, 'content-type': 'application/x-amz-json-1.1' } });
      }),
      { numRuns: RUNS },
    );
  });
});
