/**
 * The trail's own mutations against the real server (a real store on the e2e project's dialect,
 * the periodic export on), as a security team drives them with @aws-sdk/client-cloudtrail and the
 * AWS CLI v2: StopLogging and StartLogging (GetTrailStatus follows; the export delivers nothing of
 * what happened while stopped, LookupEvents still finds it), AddTags and RemoveTags (ListTags shows
 * them; AWS's limits and errors), each authorized on the trail's ARN and recorded.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { CreateUserCommand } from '@aws-sdk/client-iam';
import {
  AddTagsCommand,
  GetEventSelectorsCommand,
  GetTrailStatusCommand,
  PutEventSelectorsCommand,
  ListTagsCommand,
  LookupEventsCommand,
  RemoveTagsCommand,
  StartLoggingCommand,
  StopLoggingCommand,
} from '@aws-sdk/client-cloudtrail';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { awsCliJson } from './helpers/aws-cli.js';
import { cloudTrailClient, sdkError, type StaticCredentials } from './helpers/aws-clients.js';
import { E2E_ACCOUNT_ID, startTestCastellan, type TestCastellan } from './helpers/castellan.js';
import { createUserWithKey } from './helpers/iam-users.js';

const ARN = `arn:aws:cloudtrail:us-east-1:${E2E_ACCOUNT_ID}:trail/castellan`;

let t: TestCastellan;
/** May stop, start, tag and read the trail. */
let operator: StaticCredentials;
/** May only read the trail's status. */
let reader: StaticCredentials;

const aws = (credentials: StaticCredentials, ...args: string[]) => awsCliJson(t.url, credentials, ...args);

/** Every record the export has delivered (the log files under `trail/AWSLogs/…/CloudTrail/`). */
async function deliveredRecords(): Promise<any[]> {
  const records: any[] = [];
  const walk = async (dir: string): Promise<void> => {
    for (const e of await readdir(dir, { withFileTypes: true }).catch(() => [])) {
      const p = join(dir, e.name);
      if (e.isDirectory()) await walk(p);
      else if (p.includes('/CloudTrail/') && p.endsWith('.json.gz')) records.push(...JSON.parse(gunzipSync(await readFile(p)).toString('utf8')).Records);
    }
  };
  await walk(join(t.config.dataDir, 'trail'));
  return records;
}

beforeAll(async () => {
  t = await startTestCastellan({ trailExportMinutes: 1 });
  const iam = t.iam();
  operator = await createUserWithKey(iam, 'operator', JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      { Effect: 'Allow', Action: ['cloudtrail:StartLogging', 'cloudtrail:StopLogging', 'cloudtrail:AddTags', 'cloudtrail:RemoveTags', 'cloudtrail:ListTags', 'cloudtrail:GetTrailStatus', 'cloudtrail:PutEventSelectors', 'cloudtrail:GetEventSelectors'], Resource: ARN },
      { Effect: 'Allow', Action: ['cloudtrail:LookupEvents'], Resource: '*' },
    ],
  }));
  reader = await createUserWithKey(iam, 'reader', JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'cloudtrail:GetTrailStatus', Resource: ARN }] }));
});
afterAll(async () => {
  await t?.dispose();
});

describe('StopLogging and StartLogging through @aws-sdk/client-cloudtrail', () => {
  it('stopping stops the export’s deliveries, not the recording; starting resumes them', async () => {
    const ct = cloudTrailClient(t.url, operator);
    await ct.send(new StopLoggingCommand({ Name: 'castellan' }));
    const stopped = await ct.send(new GetTrailStatusCommand({ Name: 'castellan' }));
    expect(stopped.IsLogging).toBe(false);
    expect(stopped.StopLoggingTime).toBeInstanceOf(Date);
    await ct.send(new StopLoggingCommand({ Name: ARN })); // idempotent, as on AWS

    await t.iam().send(new CreateUserCommand({ UserName: 'made-while-stopped' }));
    await new Promise((r) => setTimeout(r, 1100)); // the gap and the start fall in different seconds
    await ct.send(new StartLoggingCommand({ Name: ARN }));
    await t.iam().send(new CreateUserCommand({ UserName: 'made-after-start' }));
    const started = await ct.send(new GetTrailStatusCommand({ Name: 'castellan' }));
    expect(started.IsLogging).toBe(true);
    expect(started.StartLoggingTime!.getTime()).toBeGreaterThan(started.StopLoggingTime!.getTime());

    await t.restart(); // the final export delivers what is due
    // Recorded and searchable throughout
    const created = (await cloudTrailClient(t.url, operator).send(new LookupEventsCommand({ LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: 'CreateUser' }] }))).Events!;
    expect(created.map((e) => e.Resources?.find((r) => r.ResourceType === 'AWS::IAM::User')?.ResourceName)).toEqual(expect.arrayContaining(['made-while-stopped', 'made-after-start']));
    // Delivered only while logging
    const records = await deliveredRecords();
    const users = records.filter((r) => r.eventName === 'CreateUser').map((r) => r.requestParameters.userName);
    expect(users).toContain('made-after-start');
    expect(users).toContain('operator'); // before the stop
    expect(users).not.toContain('made-while-stopped');
    const calls = records.filter((r) => r.eventSource === 'cloudtrail.amazonaws.com' && /^St(art|op)Logging$/.test(r.eventName));
    expect(calls.map((r) => [r.eventName, r.readOnly, r.userIdentity.userName])).toEqual(expect.arrayContaining([['StopLogging', false, 'operator'], ['StartLogging', false, 'operator']]));
    const status = await cloudTrailClient(t.url, operator).send(new GetTrailStatusCommand({ Name: 'castellan' }));
    expect(status.LatestDeliveryTime).toBeInstanceOf(Date);
  });

  it('answers AWS errors for another trail, and refuses callers without the action on the ARN (recorded)', async () => {
    const ct = cloudTrailClient(t.url, t.root);
    const unknown = await sdkError(() => ct.send(new StopLoggingCommand({ Name: 'other-trail' })));
    expect(unknown).toMatchObject({ name: 'TrailNotFoundException', status: 400, message: `Unknown trail: arn:aws:cloudtrail:us-east-1:${E2E_ACCOUNT_ID}:trail/other-trail for the user: ${E2E_ACCOUNT_ID}` });
    const refused = await sdkError(() => cloudTrailClient(t.url, reader).send(new StopLoggingCommand({ Name: 'castellan' })));
    expect(refused).toMatchObject({ name: 'AccessDeniedException' });
    expect(refused.message).toContain(`cloudtrail:StopLogging on resource: ${ARN}`);
    expect((await ct.send(new GetTrailStatusCommand({ Name: 'castellan' }))).IsLogging).toBe(true);
    await t.restart(); // flushes the audit batches of every dialect
    const events = (await cloudTrailClient(t.url, t.root).send(new LookupEventsCommand({ LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: 'StopLogging' }] }))).Events!;
    expect(events.map((e) => JSON.parse(e.CloudTrailEvent!)).find((r) => r.userIdentity.userName === 'reader')).toMatchObject({ errorCode: 'AccessDeniedException', readOnly: false });
  });
});

describe('AddTags and RemoveTags through @aws-sdk/client-cloudtrail', () => {
  it('tags the trail, ListTags shows them, RemoveTags removes them', async () => {
    const ct = cloudTrailClient(t.url, operator);
    await ct.send(new AddTagsCommand({ ResourceId: ARN, TagsList: [{ Key: 'owner', Value: 'security' }, { Key: 'critical' }] }));
    expect((await ct.send(new ListTagsCommand({ ResourceIdList: [ARN] }))).ResourceTagList).toEqual([{ ResourceId: ARN, TagsList: [{ Key: 'owner', Value: 'security' }, { Key: 'critical' }] }]);
    await ct.send(new RemoveTagsCommand({ ResourceId: ARN, TagsList: [{ Key: 'critical' }] }));
    expect((await ct.send(new ListTagsCommand({ ResourceIdList: [ARN] }))).ResourceTagList![0]!.TagsList).toEqual([{ Key: 'owner', Value: 'security' }]);
  });

  it('answers AWS errors, changing nothing', async () => {
    const ct = cloudTrailClient(t.url, t.root);
    const many = Array.from({ length: 50 }, (_, i) => ({ Key: `k${i}`, Value: 'v' }));
    const cases: [() => Promise<unknown>, string][] = [
      [() => ct.send(new AddTagsCommand({ ResourceId: ARN, TagsList: many })), 'TagsLimitExceededException'], // 50 + owner
      [() => ct.send(new AddTagsCommand({ ResourceId: ARN, TagsList: [{ Key: 'bad*key', Value: 'v' }] })), 'InvalidTagParameterException'],
      [() => ct.send(new AddTagsCommand({ ResourceId: `arn:aws:cloudtrail:us-east-1:${E2E_ACCOUNT_ID}:trail/other`, TagsList: [{ Key: 'k' }] })), 'ResourceNotFoundException'],
      [() => ct.send(new AddTagsCommand({ ResourceId: 'castellan', TagsList: [{ Key: 'k' }] })), 'CloudTrailARNInvalidException'],
      [() => ct.send(new RemoveTagsCommand({ ResourceId: 'arn:aws:cloudtrail:us-east-1:210987654321:trail/castellan', TagsList: [{ Key: 'owner' }] })), 'CloudTrailARNInvalidException'],
    ];
    for (const [call, name] of cases) expect(await sdkError(call)).toMatchObject({ name, status: 400 });
    expect((await ct.send(new ListTagsCommand({ ResourceIdList: [ARN] }))).ResourceTagList![0]!.TagsList).toEqual([{ Key: 'owner', Value: 'security' }]);
  });
});

describe('PutEventSelectors and GetEventSelectors through @aws-sdk/client-cloudtrail', () => {
  it('stores basic selectors, answers them, replaces them with advanced ones; refuses invalid ones', async () => {
    const ct = cloudTrailClient(t.url, operator);
    const basic = [{ ReadWriteType: 'WriteOnly' as const, IncludeManagementEvents: true }];
    const put = await ct.send(new PutEventSelectorsCommand({ TrailName: 'castellan', EventSelectors: basic }));
    expect(put).toMatchObject({ TrailARN: ARN, EventSelectors: [{ ReadWriteType: 'WriteOnly', IncludeManagementEvents: true }] });
    expect((await ct.send(new GetEventSelectorsCommand({ TrailName: ARN }))).EventSelectors).toEqual([{ ReadWriteType: 'WriteOnly', IncludeManagementEvents: true }]);
    const advanced = [{ Name: 'writes', FieldSelectors: [{ Field: 'eventCategory', Equals: ['Management'] }, { Field: 'readOnly', Equals: ['false'] }] }];
    await ct.send(new PutEventSelectorsCommand({ TrailName: ARN, AdvancedEventSelectors: advanced }));
    const got = await ct.send(new GetEventSelectorsCommand({ TrailName: 'castellan' }));
    expect(got.AdvancedEventSelectors).toEqual(advanced);
    expect(got.EventSelectors).toBeUndefined();
    const err = await sdkError(() => ct.send(new PutEventSelectorsCommand({ TrailName: 'castellan', EventSelectors: Array.from({ length: 6 }, () => ({ ReadWriteType: 'All' as const })) })));
    expect(err).toMatchObject({ name: 'InvalidEventSelectorsException', status: 400 });
    expect((await ct.send(new GetEventSelectorsCommand({ TrailName: 'castellan' }))).AdvancedEventSelectors).toEqual(advanced);
  });

  it('the export delivers what the selectors select: management writes only', async () => {
    // The writes-only selectors of the test above are in place.
    await cloudTrailClient(t.url, reader).send(new GetTrailStatusCommand({ Name: 'castellan' }));
    await t.iam().send(new CreateUserCommand({ UserName: 'selected-write' }));
    await t.restart(); // the final export delivers what is due
    const records = await deliveredRecords();
    expect(records.filter((r) => r.eventName === 'CreateUser').map((r) => r.requestParameters.userName)).toContain('selected-write');
    expect(records.filter((r) => r.eventName === 'GetTrailStatus' && r.userIdentity.userName === 'reader')).toEqual([]);
    // Recorded all the same
    const found = (await cloudTrailClient(t.url, operator).send(new LookupEventsCommand({ LookupAttributes: [{ AttributeKey: 'Username', AttributeValue: 'reader' }] }))).Events!;
    expect(found.map((e) => e.EventName)).toContain('GetTrailStatus');
  });
});

describe('the trail’s mutations through the AWS CLI v2', () => {
  it('stop-logging, start-logging, add-tags, list-tags, remove-tags', async () => {
    expect(await aws(operator, 'cloudtrail', 'stop-logging', '--name', 'castellan')).toEqual({ ok: true, out: {} });
    const stopped = await aws(operator, 'cloudtrail', 'get-trail-status', '--name', 'castellan');
    expect(stopped.ok && stopped.out).toMatchObject({ IsLogging: false });
    expect(stopped.ok && typeof stopped.out.StopLoggingTime).toBe('string');
    expect(await aws(operator, 'cloudtrail', 'start-logging', '--name', ARN)).toEqual({ ok: true, out: {} });
    expect((await aws(operator, 'cloudtrail', 'get-trail-status', '--name', 'castellan') as { out: any }).out.IsLogging).toBe(true);

    expect((await aws(operator, 'cloudtrail', 'add-tags', '--resource-id', ARN, '--tags-list', 'Key=team,Value=blue')).ok).toBe(true);
    const listed = await aws(operator, 'cloudtrail', 'list-tags', '--resource-id-list', ARN);
    expect(listed).toEqual({ ok: true, out: { ResourceTagList: [{ ResourceId: ARN, TagsList: [{ Key: 'owner', Value: 'security' }, { Key: 'team', Value: 'blue' }] }] } });
    expect((await aws(operator, 'cloudtrail', 'remove-tags', '--resource-id', ARN, '--tags-list', 'Key=team')).ok).toBe(true);
    const refused = await aws(reader, 'cloudtrail', 'add-tags', '--resource-id', ARN, '--tags-list', 'Key=x,Value=y');
    expect(!refused.ok && refused.err).toContain('An error occurred (AccessDeniedException) when calling the AddTags operation');
    const put = await aws(operator, 'cloudtrail', 'put-event-selectors', '--trail-name', 'castellan', '--event-selectors', '[{"ReadWriteType":"All","IncludeManagementEvents":true}]');
    expect(put.ok && put.out).toMatchObject({ TrailARN: ARN, EventSelectors: [{ ReadWriteType: 'All', IncludeManagementEvents: true }] });
    const got = await aws(operator, 'cloudtrail', 'get-event-selectors', '--trail-name', ARN);
    expect(got.ok && got.out.EventSelectors).toEqual([{ ReadWriteType: 'All', IncludeManagementEvents: true }]);
    const unknown = await aws(t.root, 'cloudtrail', 'start-logging', '--name', 'nosuchtrail');
    expect(!unknown.ok && unknown.err).toContain('An error occurred (TrailNotFoundException) when calling the StartLogging operation');
  });
});
