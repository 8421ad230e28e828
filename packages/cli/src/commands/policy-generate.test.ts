import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run } from '../main.js';
import { ExitCode } from '../exit-codes.js';
import { memoryIo } from './test-cli-io.js';
import { loadIamDataCatalog } from '../../../server/src/catalog/iam-data-catalog.js';
import { ACCOUNT, trailRecord } from '../../../advisor/src/test-fixtures/test-account.js';

let dir: string;
const ROLE = `arn:aws:iam::${ACCOUNT}:role/deployer`;
const CURRENT = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['s3:*', 'dynamodb:*'], Resource: '*' }] }, null, 2);

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'castellan-generate-'));
  const asRole = { user: 'deployer', roleSession: 'ci' };
  await writeFile(
    join(dir, 'a.json.gz'),
    gzipSync(
      JSON.stringify({
        Records: [
          trailRecord({ ...asRole, eventTime: '2026-05-30T10:00:00Z', eventName: 'GetObject', requestParameters: { bucketName: 'releases', key: 'app.zip' }, resources: ['arn:aws:s3:::releases/app.zip', 'arn:aws:s3:::releases'] }),
          trailRecord({ ...asRole, eventTime: '2026-05-30T11:00:00Z', eventSource: 'dynamodb.amazonaws.com', eventName: 'PutItem', requestParameters: { tableName: 'deployments' } }),
          trailRecord({ ...asRole, eventTime: '2026-04-01T11:00:00Z', eventSource: 'dynamodb.amazonaws.com', eventName: 'DeleteTable', requestParameters: { tableName: 'deployments' } }),
        ],
      }),
    ),
  );
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("castellan policy generate (with AWS's catalogue)", () => {
  it('prints the generated policy and its diff from the current one', async () => {
    const io = memoryIo({ 'current.json': CURRENT }, loadIamDataCatalog);
    expect(await run(['policy', 'generate', '--trail', dir, '--principal', ROLE, '--since', '2026-05-01T00:00:00Z', '--current', 'current.json'], io)).toBe(ExitCode.Ok);
    const out = io.stdout.join('\n');
    const [policy] = out.split('\n\n');
    expect(JSON.parse(policy!)).toEqual({
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Allow', Action: ['dynamodb:PutItem'], Resource: `arn:aws:dynamodb:eu-west-1:${ACCOUNT}:table/deployments` },
        // The record names the bucket too; GetObject takes only objects, so the bucket is dropped.
        { Effect: 'Allow', Action: ['s3:GetObject'], Resource: 'arn:aws:s3:::releases/app.zip' },
      ],
    });
    expect(out).toContain('--- current.json\n+++ generated');
    expect(out).toContain('-         "s3:*",');
  }, 60_000);

  it('exits 1 when the principal made no calls', async () => {
    const io = memoryIo({}, loadIamDataCatalog);
    expect(await run(['policy', 'generate', '--trail', dir, '--principal', `arn:aws:iam::${ACCOUNT}:user/nobody`, '--no-catalog'], io)).toBe(ExitCode.Failure);
    expect(io.stderr.join('\n')).toContain('no calls by');
  });

  it("reads a trail folder as CloudTrail lays it out, skipping its digest files without a word", async () => {
    const logs = join(dir, 'AWSLogs', ACCOUNT, 'CloudTrail', 'eu-west-1', '2026', '05', '30');
    const digests = join(dir, 'AWSLogs', ACCOUNT, 'CloudTrail-Digest', 'eu-west-1', '2026', '05', '30');
    await mkdir(logs, { recursive: true });
    await mkdir(digests, { recursive: true });
    const digestName = `${ACCOUNT}_CloudTrail-Digest_eu-west-1_trail_eu-west-1_20260530T120000Z.json.gz`;
    await writeFile(join(digests, digestName), gzipSync(JSON.stringify({ awsAccountId: ACCOUNT, logFiles: [] })));
    await writeFile(join(digests, `${digestName}.sig`), 'ab12');
    await writeFile(join(dir, 'AWSLogs', 'notes.json'), '{"not": "a trail"}');
    const io = memoryIo({}, loadIamDataCatalog);
    expect(await run(['policy', 'generate', '--trail', join(dir, 'AWSLogs'), '--principal', ROLE, '--no-catalog'], io)).toBe(ExitCode.Failure);
    const err = io.stderr.join('\n');
    expect(err).not.toContain('CloudTrail-Digest');
    expect(err).toContain('notes.json`: not a CloudTrail log file');
  });
});
