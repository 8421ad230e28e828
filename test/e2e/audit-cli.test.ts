/**
 * `aws cloudtrail lookup-events` and `list-public-keys` with the real AWS CLI v2 (`/usr/bin/aws`)
 * against the real server, unchanged: every lookup attribute, a time range naming a record's own
 * second, --max-items paging with --starting-token, and AWS's errors for bad input.
 */
import { CreateAccessKeyCommand, CreateUserCommand } from '@aws-sdk/client-iam';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { awsCliJson, type AwsCliResult } from './helpers/aws-cli.js';
import { startTestCastellan, type TestCastellan } from './helpers/castellan.js';

let t: TestCastellan;
let createUser: { eventId: string; eventTime: string; accessKeyId: string };

/** Runs `aws cloudtrail …` as the root; returns parsed JSON, or the error text on a non-zero exit. */
const aws = (...args: string[]): Promise<AwsCliResult> => awsCliJson(t.url, t.root, 'cloudtrail', ...args);

async function events(...args: string[]): Promise<any[]> {
  const r = await aws('lookup-events', ...args);
  if (!r.ok) throw new Error(r.err);
  return r.out.Events;
}

beforeAll(async () => {
  t = await startTestCastellan();
  // Given a user created and given a key by the root, and a few reads
  await t.iam().send(new CreateUserCommand({ UserName: 'cli-audit' }));
  await t.iam().send(new CreateAccessKeyCommand({ UserName: 'cli-audit' }));
  await t.server.close();
  await t.restart(); // an orderly stop writes every batched event
  const [e] = await events('--lookup-attributes', 'AttributeKey=EventName,AttributeValue=CreateUser');
  const record = JSON.parse(e.CloudTrailEvent);
  createUser = { eventId: e.EventId, eventTime: record.eventTime, accessKeyId: record.userIdentity.accessKeyId };
}, 120_000);
afterAll(async () => {
  await t?.dispose();
});

describe('aws cloudtrail lookup-events (AWS CLI v2)', () => {
  const attributes: [string, () => string, (e: any) => boolean][] = [
    ['EventId', () => createUser.eventId, (e) => e.EventId === createUser.eventId],
    ['EventName', () => 'CreateAccessKey', (e) => e.EventName === 'CreateAccessKey'],
    ['ReadOnly', () => 'false', (e) => e.ReadOnly === 'false'],
    ['Username', () => 'root', (e) => e.Username === 'root'],
    ['ResourceType', () => 'AWS::IAM::AccessKey', (e) => e.Resources.some((r: any) => r.ResourceType === 'AWS::IAM::AccessKey')],
    ['ResourceName', () => 'cli-audit', (e) => e.Resources.some((r: any) => r.ResourceName === 'cli-audit')],
    ['EventSource', () => 'iam.amazonaws.com', (e) => e.EventSource === 'iam.amazonaws.com'],
    ['AccessKeyId', () => createUser.accessKeyId, (e) => e.AccessKeyId === createUser.accessKeyId],
  ];
  it.each(attributes)('filters by %s', async (key, value, matches) => {
    const found = await events('--lookup-attributes', `AttributeKey=${key},AttributeValue=${value()}`);
    expect(found.length).toBeGreaterThan(0);
    expect(found.every(matches)).toBe(true);
  });

  it("finds an event with --start-time and --end-time both at its record's eventTime", async () => {
    const found = await events('--start-time', createUser.eventTime, '--end-time', createUser.eventTime);
    expect(found.map((e) => e.EventId)).toContain(createUser.eventId);
    expect(found.find((e) => e.EventId === createUser.eventId).EventTime).toBe(createUser.eventTime.replace('Z', '+00:00'));
  });

  it('pages with --max-items and --starting-token, and with --page-size', async () => {
    const all = await events('--lookup-attributes', 'AttributeKey=EventSource,AttributeValue=iam.amazonaws.com');
    expect(all.length).toBeGreaterThanOrEqual(2);
    const first = await aws('lookup-events', '--lookup-attributes', 'AttributeKey=EventSource,AttributeValue=iam.amazonaws.com', '--max-items', '1');
    if (!first.ok) throw new Error(first.err);
    expect(first.out.Events.map((e: any) => e.EventId)).toEqual([all[0].EventId]);
    const rest = await events('--lookup-attributes', 'AttributeKey=EventSource,AttributeValue=iam.amazonaws.com', '--starting-token', first.out.NextToken);
    expect(rest.map((e) => e.EventId)).toEqual(all.slice(1).map((e) => e.EventId));
    const paged = await events('--lookup-attributes', 'AttributeKey=EventSource,AttributeValue=iam.amazonaws.com', '--page-size', '1');
    expect(paged.map((e) => e.EventId)).toEqual(all.map((e) => e.EventId));
  });

  it.each([
    ['a start time after the end time', ['--start-time', '2026-02-01T00:00:00Z', '--end-time', '2026-01-01T00:00:00Z'], 'InvalidTimeRangeException'],
    ['a ReadOnly value other than true or false', ['--lookup-attributes', 'AttributeKey=ReadOnly,AttributeValue=yes'], 'InvalidLookupAttributesException'],
    ['a forged NextToken', ['--next-token', 'forged'], 'InvalidNextTokenException'],
    ['51 results a page', ['--max-results', '51'], 'ValidationException'],
  ])('answers %s with AWS\'s error', async (_name, args, code) => {
    const r = await aws('lookup-events', ...args);
    expect(r.ok).toBe(false);
    expect(r.ok ? '' : r.err).toContain(`An error occurred (${code}) when calling the LookupEvents operation`);
  });

  it('lists the digest public key', async () => {
    const r = await aws('list-public-keys');
    if (!r.ok) throw new Error(r.err);
    expect(r.out.PublicKeyList).toHaveLength(1);
    expect(r.out.PublicKeyList[0].Fingerprint).toMatch(/^[0-9a-f]{32}$/);
  });
});
