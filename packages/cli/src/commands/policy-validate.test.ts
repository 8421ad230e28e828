import { describe, expect, it } from 'vitest';
import { run } from '../main.js';
import { ExitCode } from '../exit-codes.js';
import { memoryIo } from './test-cli-io.js';
import { loadIamDataCatalog } from '../../../server/src/catalog/iam-data-catalog.js';

const VALID = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::b/*' }] }, null, 2);
const BROKEN = '{\n  "Version": "2012-10-17",\n  "Statement": [{"Effect": "Alow", "Action": "s3:GetObject", "Resource": "*",\n    "Condition": {"StringEqual": {"aws:username": "x"}}}]\n}';
const TRUST = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }] });
const UNKNOWN = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['s3:GetObjekt', 'nosuchservice:Do'], Resource: '*', Condition: { StringEquals: { 's3:nosuchkey': 'x' } } }] });

describe('castellan policy validate', () => {
  it('accepts a valid policy with exit code 0', async () => {
    const io = memoryIo({ 'p.json': VALID });
    expect(await run(['policy', 'validate', 'p.json', '--no-catalog'], io)).toBe(ExitCode.Ok);
    expect(io.stdout.join('\n')).toBe('p.json: valid identity policy (0 warnings)');
  });

  it('prints every error with file, line and column, and exits 1', async () => {
    const io = memoryIo({ 'bad.json': BROKEN });
    expect(await run(['policy', 'validate', 'bad.json', '--no-catalog'], io)).toBe(ExitCode.Failure);
    const out = io.stdout.join('\n');
    expect(out).toContain('bad.json:3:28: error: `Effect` must be `Allow` or `Deny` [Statement[0].Effect] (MalformedPolicyDocument)');
    expect(out).toContain('bad.json:4:19: error: unknown condition operator `StringEqual` [Statement[0].Condition.StringEqual] (MalformedPolicyDocument)');
    expect(out).toMatch(/bad\.json: 2 errors, 0 warnings$/);
  });

  it('checks the policy for the kind given', async () => {
    const io = memoryIo({ 't.json': TRUST });
    expect(await run(['policy', 'validate', 't.json', '--kind', 'trust', '--no-catalog'], io)).toBe(ExitCode.Ok);
    expect(await run(['policy', 'validate', 't.json', '--kind', 'identity', '--no-catalog'], io)).toBe(ExitCode.Failure);
    expect(io.stdout.join('\n')).toContain('an identity policy must not specify a principal');
  });

  it('reports size quotas as LimitExceeded', async () => {
    const big = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: `arn:aws:s3:::${'b'.repeat(3000)}` }] });
    const io = memoryIo({ 'big.json': big });
    expect(await run(['policy', 'validate', 'big.json', '--no-catalog', '--size-class', 'userInline'], io)).toBe(ExitCode.Failure);
    expect(io.stdout.join('\n')).toContain('(LimitExceeded)');
  });

  it('prints JSON with --format json', async () => {
    const io = memoryIo({ 'bad.json': BROKEN });
    expect(await run(['policy', 'validate', 'bad.json', '--no-catalog', '--format', 'json'], io)).toBe(ExitCode.Failure);
    const out = JSON.parse(io.stdout.join('\n')) as { valid: boolean; diagnostics: { path: string }[] };
    expect(out.valid).toBe(false);
    expect(out.diagnostics.map((d) => d.path)).toEqual(['Statement[0].Effect', 'Statement[0].Condition.StringEqual']);
  });

  it("warns about unknown services, actions and condition keys from AWS's catalogue", async () => {
    const io = memoryIo({ 'u.json': UNKNOWN }, loadIamDataCatalog);
    expect(await run(['policy', 'validate', 'u.json'], io)).toBe(ExitCode.Ok);
    const out = io.stdout.join('\n');
    expect(out).toContain('warning: unknown action `s3:GetObjekt`');
    expect(out).toContain('warning: unknown service `nosuchservice`');
    expect(out).toContain('warning: unknown condition key `s3:nosuchkey`');
    expect(out).toContain('valid identity policy (3 warnings)');
  }, 30_000);

  it('warns about what AWS stores but can never match, without refusing it', async () => {
    // AWS stores a condition key without a `service:` prefix, an operator without keys and a key
    // without values (documents recorded against AWS: packages/policy/test-corpus/validation/).
    const doc = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: '*', Condition: { StringEquals: { username: 'x', 'aws:username': [] }, DateGreaterThan: {} } }] });
    const io = memoryIo({ 'w.json': doc });
    expect(await run(['policy', 'validate', 'w.json', '--no-catalog'], io)).toBe(ExitCode.Ok);
    const out = io.stdout.join('\n');
    expect(out).toContain('warning: condition key `username` has no `service:` prefix: no request has such a key [Statement[0].Condition.StringEquals.username] (ConditionKeyWithoutService)');
    expect(out).toContain('[Statement[0].Condition.StringEquals.aws:username] (EmptyCondition)');
    expect(out).toContain('[Statement[0].Condition.DateGreaterThan] (EmptyCondition)');
    expect(out).toContain('valid identity policy (3 warnings)');
  });

  it('lists every problem, where the server reports only the one AWS reports', async () => {
    const doc = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'a b:c', Resource: 'arn:aws:s3:us-east-1::b' }, { Sid: 'x y', Effect: 'allow', Action: 's3:GetObject' }] });
    const io = memoryIo({ 'm.json': doc });
    expect(await run(['policy', 'validate', 'm.json', '--no-catalog', '--format', 'json'], io)).toBe(ExitCode.Failure);
    const out = JSON.parse(io.stdout.join('\n')) as { diagnostics: { path: string }[] };
    expect(out.diagnostics.map((d) => d.path)).toEqual(['Statement[0].Action', 'Statement[0].Resource', 'Statement[1].Sid', 'Statement[1].Effect', 'Statement[1]']);
  });

  it('exits 3 for an unreadable file and 2 for a bad command line', async () => {
    const io = memoryIo({});
    expect(await run(['policy', 'validate', 'missing.json', '--no-catalog'], io)).toBe(ExitCode.Error);
    expect(io.stderr.join('\n')).toContain('cannot read `missing.json`');
    expect(await run(['policy', 'validate', 'x.json', '--kind', 'nope'], io)).toBe(ExitCode.Usage);
    expect(await run(['policy', 'validate'], io)).toBe(ExitCode.Usage);
  });
});
