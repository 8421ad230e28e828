import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { run } from '../main.js';
import { ExitCode } from '../exit-codes.js';
import { memoryIo } from './test-cli-io.js';
import { runPolicyTests } from './policy-test.js';

const A = '111122223333';
const identity = { Version: '2012-10-17', Statement: [{ Sid: 'ReadBucket', Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::b/*' }, { Sid: 'NoSecrets', Effect: 'Deny', Action: 's3:*', Resource: 'arn:aws:s3:::b/secret/*' }] };
const line = (name: string, resource: string, expected: string, extra: Record<string, unknown> = {}) =>
  JSON.stringify({ name, policies: { identity: [identity] }, request: { principal: { arn: `arn:aws:iam::${A}:user/alice` }, action: 's3:GetObject', resource, context: {} }, expected, ...extra });

describe('castellan policy test', () => {
  it('passes matching expectations and ends with the summary line', async () => {
    const io = memoryIo({ 't.jsonl': [line('reads', 'arn:aws:s3:::b/k', 'Allow'), '', line('secret', 'arn:aws:s3:::b/secret/k', 'ExplicitDeny'), line('other', 'arn:aws:s3:::c/k', 'ImplicitDeny')].join('\n') });
    expect(await run(['policy', 'test', 't.jsonl'], io)).toBe(ExitCode.Ok);
    expect(io.stdout.join('\n')).toBe('3 passed, 0 failed');
  });

  it('prints each failure with the decision and its statements, and exits 1', async () => {
    const io = memoryIo({ 't.jsonl': [line('reads', 'arn:aws:s3:::b/k', 'Allow'), line('wrong', 'arn:aws:s3:::b/secret/k', 'Allow')].join('\n') });
    expect(await run(['policy', 'test', 't.jsonl'], io)).toBe(ExitCode.Failure);
    const out = io.stdout.join('\n').split('\n');
    expect(out[0]).toBe('FAIL wrong (line 2): expected Allow, got ExplicitDeny');
    expect(out).toContain('  Explicitly denied by a Deny statement in an identity-based policy.');
    expect(out).toContain('    decided by identity policy identity[0] statement 1 "NoSecrets" (Deny)');
    expect(out[out.length - 1]).toBe('1 passed, 1 failed');
  });

  it('counts malformed cases as failures, naming the problem', () => {
    const report = runPolicyTests(['not json', JSON.stringify({ name: 'x', expected: 'Maybe' }), JSON.stringify({ name: 'bad policy', policies: { identity: [{ Statement: [] }] }, request: { principal: { arn: `arn:aws:iam::${A}:user/a` }, action: 's3:GetObject' }, expected: 'Allow' }), JSON.stringify({ name: 'no layer', policies: { nope: [] }, request: {}, expected: 'Allow' })].join('\n'), { now: new Date() });
    expect(report.failed).toBe(4);
    expect(report.output).toContain('FAIL line 1 (line 1): invalid JSON');
    expect(report.output).toContain('FAIL x (line 2): `expected` must be `Allow`, `ImplicitDeny` or `ExplicitDeny`');
    expect(report.output).toContain('FAIL bad policy (line 3): policies.identity[0] is invalid: Statement: `Statement` must contain at least one statement');
    expect(report.output).toContain('unknown policy layer `nope`');
    expect(report.output.split('\n').pop()).toBe('0 passed, 4 failed');
  });

  it('derives the principal type, user name and role from the ARN', () => {
    const roleLine = JSON.stringify({
      name: 'role session via resource policy naming the role',
      policies: { identity: [], resource: [{ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${A}:role/app` }, Action: 's3:GetObject', Resource: 'arn:aws:s3:::b/*' }] }] },
      request: { principal: { arn: `arn:aws:sts::${A}:assumed-role/app/s` }, action: 's3:GetObject', resource: 'arn:aws:s3:::b/k', resourceAccount: A },
      expected: 'Allow',
    });
    const userLine = JSON.stringify({ name: 'username variable', policies: { identity: [{ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:*', Resource: 'arn:aws:s3:::home/${aws:username}/*' }] }] }, request: { principal: { arn: `arn:aws:iam::${A}:user/path/alice` }, action: 's3:PutObject', resource: 'arn:aws:s3:::home/alice/f' }, expected: 'Allow' });
    expect(runPolicyTests([roleLine, userLine].join('\n'), { now: new Date() }).output).toBe('2 passed, 0 failed');
  });

  it('reads the resource layer as a role trust policy when `resourceKind` is `trust`', () => {
    // A trust policy must name the caller itself: the caller's own allow of sts:AssumeRole is not enough.
    const trustCase = (resourceKind?: string) => JSON.stringify({
      name: `trust as ${resourceKind ?? 'default'}`,
      policies: { identity: [{ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole', Resource: '*' }] }], resource: [{ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${A}:user/bob` }, Action: 'sts:AssumeRole' }] }] },
      request: { principal: `arn:aws:iam::${A}:user/alice`, action: 'sts:AssumeRole', resource: `arn:aws:iam::${A}:role/r` },
      expected: resourceKind === 'trust' ? 'ImplicitDeny' : 'Allow',
      ...(resourceKind ? { resourceKind } : {}),
    });
    expect(runPolicyTests([trustCase('trust'), trustCase(), trustCase('resource')].join('\n'), { now: new Date() }).output).toBe('3 passed, 0 failed');
    expect(runPolicyTests(trustCase('bucket'), { now: new Date() }).output).toContain('`resourceKind` must be `resource` or `trust`');
  });

  it('reads `federatingUserArn` for a federated user session only', () => {
    const fedCase = (principal: Record<string, unknown>, expected: string) => JSON.stringify({
      name: `federating user of ${String(principal['arn'])}`,
      policies: {
        identity: [],
        resource: [{ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${A}:user/alice` }, Action: 's3:GetObject', Resource: 'arn:aws:s3:::b/*' }] }],
        session: [{ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }] }],
      },
      request: { principal, action: 's3:GetObject', resource: 'arn:aws:s3:::b/k', resourceAccount: A },
      expected,
    });
    const fed = `arn:aws:sts::${A}:federated-user/app`;
    // Read for a federated user (derived from the ARN or given): the policy naming alice applies.
    expect(runPolicyTests([fedCase({ arn: fed, federatingUserArn: `arn:aws:iam::${A}:user/alice` }, 'Allow'), fedCase({ arn: fed, type: 'FederatedUser', federatingUserArn: `arn:aws:iam::${A}:user/alice` }, 'Allow')].join('\n'), { now: new Date() }).output).toBe('2 passed, 0 failed');
    for (const principal of [
      { arn: `arn:aws:iam::${A}:user/bob`, federatingUserArn: `arn:aws:iam::${A}:user/alice` },
      { arn: `arn:aws:sts::${A}:assumed-role/r/s`, federatingUserArn: `arn:aws:iam::${A}:user/alice` },
      { arn: fed, type: 'IAMUser', federatingUserArn: `arn:aws:iam::${A}:user/alice` },
    ]) {
      const report = runPolicyTests(fedCase(principal, 'Allow'), { now: new Date() });
      expect(report.output).toContain('`request.principal.federatingUserArn` is only for a principal of type `FederatedUser`');
      expect(report.output.split('\n').pop()).toBe('0 passed, 1 failed');
    }
    expect(runPolicyTests(fedCase({ arn: fed, federatingUserArn: 7 }, 'Allow'), { now: new Date() }).output).toContain('`request.principal.federatingUserArn` must be an ARN');
  });

  it('takes a bare ARN as the principal (the README example)', () => {
    const readme = '{"name": "devs may read their bucket", "policies": {"identity": [{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::dev/*"}]}]}, "request": {"principal": "arn:aws:iam::123456789012:user/dev", "action": "s3:GetObject", "resource": "arn:aws:s3:::dev/a.txt", "context": {}}, "expected": "Allow"}';
    expect(runPolicyTests(readme, { now: new Date() }).output).toBe('1 passed, 0 failed');
    expect(runPolicyTests(JSON.stringify({ name: 'n', policies: { identity: [] }, request: { principal: 42, action: 'a:b' }, expected: 'Allow' }), { now: new Date() }).output).toContain('`request.principal` must be an ARN or an object with `arn`');
  });

  it('runs the whole evaluation corpus of @castellan/policy', () => {
    // The corpus cases are valid `policy test` input (resource policies parsed as their `resourceKind`).
    const dir = fileURLToPath(new URL('../../../policy/test-corpus/', import.meta.url));
    const lines = readdirSync(dir).filter((f) => f.endsWith('.json')).flatMap((f) => (JSON.parse(readFileSync(dir + f, 'utf8')) as unknown[]).map((c) => JSON.stringify(c)));
    const report = runPolicyTests(lines.join('\n'), { now: new Date('2026-06-01T00:00:00Z') });
    expect(report.output.split('\n').pop()).toBe(`${lines.length} passed, 0 failed`);
  });
});
