import { describe, expect, it } from 'vitest';
import { run } from '../main.js';
import { ExitCode } from '../exit-codes.js';
import { memoryIo } from './test-cli-io.js';
import { loadIamDataCatalog } from '../../../server/src/catalog/iam-data-catalog.js';

const doc = (...statements: object[]): string => JSON.stringify({ Version: '2012-10-17', Statement: statements }, null, 2);

describe("castellan policy lint (with AWS's catalogue)", () => {
  it('reports errors with their place, and exits 1', async () => {
    const io = memoryIo(
      {
        'p.json': doc(
          { Effect: 'Allow', Action: ['s3:GetObjekt', 'ec2:DescribeInstances'], Resource: 'arn:aws:s3:::b/*' },
          { Effect: 'Allow', Action: 's3:ListBucket', Resource: 'arn:aws:s3:::b', Condition: { NumericLessThan: { 'aws:SourceIp': '10' } } },
        ),
      },
      loadIamDataCatalog,
    );
    expect(await run(['policy', 'lint', 'p.json'], io)).toBe(ExitCode.Failure);
    const out = io.stdout.join('\n');
    expect(out).toContain('p.json:7:9: ERROR: unknown action `s3:GetObjekt` [Statement[0].Action[0]] (UNKNOWN_ACTION)');
    expect(out).toContain('WARNING: `ec2:DescribeInstances` does not support resource-level permissions');
    expect(out).toContain('ERROR: `NumericLessThan` does not fit `aws:SourceIp`, whose type is IPAddress');
    expect(out).toMatch(/p\.json: 2 errors, 0 security warnings, 1 warning, 0 suggestions$/);
  }, 60_000);

  it('exits 0 on security warnings unless asked, and 1 with --fail-on-security-warning', async () => {
    const files = { 'p.json': doc({ Effect: 'Allow', Action: 'iam:PassRole', Resource: 'arn:aws:iam::111122223333:role/app' }) };
    expect(await run(['policy', 'lint', 'p.json'], memoryIo(files, loadIamDataCatalog))).toBe(ExitCode.Ok);
    const io = memoryIo(files, loadIamDataCatalog);
    expect(await run(['policy', 'lint', 'p.json', '--fail-on-security-warning', '--format', 'json'], io)).toBe(ExitCode.Failure);
    const out = JSON.parse(io.stdout.join('\n')) as { findings: { issueCode: string; path: string }[] };
    expect(out.findings).toEqual([expect.objectContaining({ issueCode: 'MISSING_SENSITIVE_CONDITION', path: 'Statement[0].Action' })]);
  }, 60_000);

  it('knows the key types of service keys and of variable keys', async () => {
    const io = memoryIo(
      {
        'p.json': doc({
          Effect: 'Allow',
          Action: 'iam:PassRole',
          Resource: 'arn:aws:iam::111122223333:role/app',
          Condition: { StringEquals: { 'iam:PassedToService': 'ec2.amazonaws.com', 'aws:PrincipalTag/team': 'x' }, DateGreaterThan: { 'aws:CurrentTime': '2026-01-01T00:00:00Z' } },
        }),
      },
      loadIamDataCatalog,
    );
    expect(await run(['policy', 'lint', 'p.json'], io)).toBe(ExitCode.Ok);
    expect(io.stdout).toEqual(['p.json: 0 errors, 0 security warnings, 0 warnings, 0 suggestions']);
  }, 60_000);
});
