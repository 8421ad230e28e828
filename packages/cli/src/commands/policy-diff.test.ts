import { describe, expect, it } from 'vitest';
import { run } from '../main.js';
import { ExitCode } from '../exit-codes.js';
import { memoryIo } from './test-cli-io.js';
import { loadIamDataCatalog } from '../../../server/src/catalog/iam-data-catalog.js';
import { ACCOUNT, allow, authorizationDetailsJson, baselineAccount, policyDoc } from '../../../advisor/src/test-fixtures/test-account.js';

const DETAILS = JSON.stringify(authorizationDetailsJson(baselineAccount()));
const DEV_POLICY = `arn:aws:iam::${ACCOUNT}:policy/DeveloperAccess`;

describe("castellan policy diff (with AWS's catalogue)", () => {
  it('exits 1 and lists the gains when a change grants more', async () => {
    const change = { type: 'policyVersion', policyArn: DEV_POLICY, document: policyDoc(allow(['s3:GetObject', 's3:PutObject', 's3:DeleteObject'], 'arn:aws:s3:::dev-artifacts/*'), allow(['iam:GetUser', 'iam:ListAccessKeys'], `arn:aws:iam::${ACCOUNT}:user/\${aws:username}`)) };
    const io = memoryIo({ 'details.json': DETAILS, 'change.json': JSON.stringify(change) }, loadIamDataCatalog);
    expect(await run(['policy', 'diff', '--authorization-details', 'details.json', '--change', 'change.json'], io)).toBe(ExitCode.Failure);
    const out = io.stdout.join('\n');
    expect(out).toContain(`arn:aws:iam::${ACCOUNT}:user/alice\n  + s3:DeleteObject on arn:aws:s3:::dev-artifacts/*`);
    expect(out).toMatch(/2 principals affected: 2 gained, 0 lost \(\d+ requests evaluated\)$/);
  }, 60_000);

  it('exits 0 when the change only takes access away (a list of changes)', async () => {
    const changes = [{ type: 'detachPolicy', group: 'developers', policyArn: DEV_POLICY }];
    const io = memoryIo({ 'details.json': DETAILS, 'change.json': JSON.stringify({ changes }) }, loadIamDataCatalog);
    expect(await run(['policy', 'diff', '--authorization-details', 'details.json', '--change', 'change.json', '--format', 'json'], io)).toBe(ExitCode.Ok);
    const result = JSON.parse(io.stdout.join('\n')) as { diffs: { principal: string; lost: unknown[] }[] };
    expect(result.diffs.map((d) => [d.principal, d.lost.length])).toEqual([
      [`arn:aws:iam::${ACCOUNT}:user/alice`, 4],
      [`arn:aws:iam::${ACCOUNT}:user/bob`, 4],
    ]);
  }, 60_000);

  it('refuses a malformed change', async () => {
    const io = memoryIo({ 'details.json': DETAILS, 'change.json': '{"type": "attachPolicy"}' });
    expect(await run(['policy', 'diff', '--authorization-details', 'details.json', '--change', 'change.json', '--no-catalog'], io)).toBe(ExitCode.Error);
    expect(io.stderr).toEqual(['castellan: change 0: a `attachPolicy` change names exactly one of `user`, `group`, `role`']);
  });
});
