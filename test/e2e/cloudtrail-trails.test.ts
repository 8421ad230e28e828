/**
 * The trail describing operations (DescribeTrails, GetTrail, ListTrails, GetTrailStatus,
 * GetEventSelectors, GetInsightSelectors, ListTags) against the real server (the composition root,
 * a real store on the e2e project's dialect, the periodic export on), driven as a security tool
 * would with @aws-sdk/client-cloudtrail and the AWS CLI v2: what the trail is, that its status
 * follows the export folder (a restart runs the final export), AWS's errors, and IAM refusals
 * with their audit events.
 */
import {
  DescribeTrailsCommand,
  GetEventSelectorsCommand,
  GetInsightSelectorsCommand,
  GetTrailCommand,
  GetTrailStatusCommand,
  ListPublicKeysCommand,
  ListTagsCommand,
  ListTrailsCommand,
  LookupEventsCommand,
} from '@aws-sdk/client-cloudtrail';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { awsCliJson } from './helpers/aws-cli.js';
import { cloudTrailClient, sdkError, type StaticCredentials } from './helpers/aws-clients.js';
import { E2E_ACCOUNT_ID, startTestCastellan, type TestCastellan } from './helpers/castellan.js';
import { createUserWithKey } from './helpers/iam-users.js';

const ARN = `arn:aws:cloudtrail:us-east-1:${E2E_ACCOUNT_ID}:trail/castellan`;

let t: TestCastellan;
/** May describe and read the status of the trail, and nothing else. */
let auditor: StaticCredentials;
/** Has no policy. */
let nobody: StaticCredentials;
/** May read only the status of another trail's ARN. */
let otherTrailOnly: StaticCredentials;

const policy = (actions: string[], resource: string) => JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: actions, Resource: resource }] });

/** Runs the AWS CLI v2 with `credentials`; its parsed output, or its error text. */
const aws = (credentials: StaticCredentials, ...args: string[]) => awsCliJson(t.url, credentials, ...args);

beforeAll(async () => {
  // The export on, every minute: no run happens during the test except the final one of a stop.
  t = await startTestCastellan({ trailExportMinutes: 1 });
  const iam = t.iam();
  auditor = await createUserWithKey(iam, 'auditor', JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      { Effect: 'Allow', Action: ['cloudtrail:DescribeTrails', 'cloudtrail:ListTrails', 'cloudtrail:LookupEvents'], Resource: '*' },
      { Effect: 'Allow', Action: ['cloudtrail:GetTrail', 'cloudtrail:GetTrailStatus', 'cloudtrail:GetEventSelectors', 'cloudtrail:GetInsightSelectors', 'cloudtrail:ListTags'], Resource: ARN },
    ],
  }));
  nobody = await createUserWithKey(iam, 'nobody');
  otherTrailOnly = await createUserWithKey(iam, 'other-trail-only', policy(['cloudtrail:GetTrailStatus'], `arn:aws:cloudtrail:us-east-1:${E2E_ACCOUNT_ID}:trail/other`));
});
afterAll(async () => {
  await t?.dispose();
});

const TRAIL = {
  Name: 'castellan',
  TrailARN: ARN,
  HomeRegion: 'us-east-1',
  IsMultiRegionTrail: true,
  IncludeGlobalServiceEvents: true,
  LogFileValidationEnabled: true,
  HasCustomEventSelectors: true,
  HasInsightSelectors: false,
  IsOrganizationTrail: false,
};

describe('the account trail through @aws-sdk/client-cloudtrail', () => {
  it('describes, gets and lists the one trail, with no S3 bucket', async () => {
    const ct = cloudTrailClient(t.url, auditor);
    const described = await ct.send(new DescribeTrailsCommand({}));
    expect(described.trailList).toEqual([TRAIL]);
    expect((await ct.send(new DescribeTrailsCommand({ trailNameList: ['castellan', 'not-a-trail'] }))).trailList).toEqual([TRAIL]);
    expect((await ct.send(new GetTrailCommand({ Name: ARN }))).Trail).toEqual(TRAIL);
    expect((await ct.send(new ListTrailsCommand({}))).Trails).toEqual([{ TrailARN: ARN, Name: 'castellan', HomeRegion: 'us-east-1' }]);
    expect((await ct.send(new ListTagsCommand({ ResourceIdList: [ARN] }))).ResourceTagList).toEqual([{ ResourceId: ARN, TagsList: [] }]);
  });

  it('logs from the start, and has delivered nothing before the export’s first run', async () => {
    const status = await cloudTrailClient(t.url, auditor).send(new GetTrailStatusCommand({ Name: 'castellan' }));
    expect(status).toMatchObject({ IsLogging: true });
    expect(status.StartLoggingTime).toBeInstanceOf(Date);
    expect(status.LatestDeliveryTime).toBeUndefined();
    expect(status.LatestDigestDeliveryTime).toBeUndefined();
  });

  it('in another region: the multi-Region trail as a shadow, found by ARN only', async () => {
    const ct = cloudTrailClient(t.url, t.root, 'eu-west-1');
    expect((await ct.send(new DescribeTrailsCommand({}))).trailList).toEqual([TRAIL]);
    expect((await ct.send(new DescribeTrailsCommand({ includeShadowTrails: false }))).trailList).toEqual([]);
    expect((await ct.send(new GetTrailStatusCommand({ Name: ARN }))).IsLogging).toBe(true);
    const err = await sdkError(() => ct.send(new GetTrailStatusCommand({ Name: 'castellan' })));
    expect(err).toMatchObject({ name: 'TrailNotFoundException', status: 400, message: `Unknown trail: arn:aws:cloudtrail:eu-west-1:${E2E_ACCOUNT_ID}:trail/castellan for the user: ${E2E_ACCOUNT_ID}` });
  });

  it('describes its management events (a data-event selector would need resources.type), and has no Insights', async () => {
    const ct = cloudTrailClient(t.url, auditor);
    const selectors = await ct.send(new GetEventSelectorsCommand({ TrailName: 'castellan' }));
    expect(selectors.TrailARN).toBe(ARN);
    expect(selectors.EventSelectors).toBeUndefined();
    expect(selectors.AdvancedEventSelectors!.map((s) => s.FieldSelectors)).toEqual([
      [{ Field: 'eventCategory', Equals: ['Management'] }],
    ]);
    const err = await sdkError(() => ct.send(new GetInsightSelectorsCommand({ TrailName: 'castellan' })));
    expect(err).toMatchObject({ name: 'InsightNotEnabledException', status: 400 });
    expect(err.message).toContain(`Trail ${ARN} does not have Insights enabled.`);
  });

  it('answers AWS errors for unknown, malformed and foreign trails', async () => {
    const ct = cloudTrailClient(t.url, t.root);
    const cases: [() => Promise<unknown>, string, string | RegExp][] = [
      [() => ct.send(new GetTrailStatusCommand({ Name: 'management-events' })), 'TrailNotFoundException', `Unknown trail: arn:aws:cloudtrail:us-east-1:${E2E_ACCOUNT_ID}:trail/management-events for the user: ${E2E_ACCOUNT_ID}`],
      [() => ct.send(new GetTrailCommand({ Name: 'my--trail' })), 'InvalidTrailNameException', /consecutive special characters/],
      [() => ct.send(new GetEventSelectorsCommand({ TrailName: 'arn:aws:cloudtrail:us-east-1:210987654321:trail/castellan' })), 'CloudTrailARNInvalidException', `AccountID in ARN is wrong, you can only access resources with AccountID ${E2E_ACCOUNT_ID}.`],
      [() => ct.send(new ListTagsCommand({ ResourceIdList: ['castellan'] })), 'CloudTrailARNInvalidException', /not a valid CloudTrail ARN/],
      [() => ct.send(new ListTagsCommand({ ResourceIdList: [ARN], NextToken: 'x' })), 'InvalidTokenException', 'Invalid NextToken.'],
      [() => ct.send(new ListPublicKeysCommand({ NextToken: 'x' })), 'InvalidTokenException', 'Invalid NextToken.'],
      [() => ct.send(new ListTrailsCommand({ NextToken: 'x' })), 'ValidationException', 'Invalid NextToken.'],
      [() => ct.send(new ListTagsCommand({ ResourceIdList: Array.from({ length: 21 }, () => ARN) })), 'InvalidParameterException', /limit of 20 ARNs/],
      [() => ct.send(new DescribeTrailsCommand({ trailNameList: ['10.0.0.1'] })), 'InvalidTrailNameException', /IP address/],
    ];
    for (const [call, name, message] of cases) {
      const err = await sdkError(call);
      expect(err).toMatchObject({ name, status: 400 });
      if (typeof message === 'string') expect(err.message).toBe(message);
      else expect(err.message).toMatch(message);
    }
  });

  it('refuses callers without permission on the trail, and records the refusals', async () => {
    const denied = await sdkError(() => cloudTrailClient(t.url, nobody).send(new DescribeTrailsCommand({})));
    expect(denied).toMatchObject({ name: 'AccessDeniedException', status: 400 });
    expect(denied.message).toContain('cloudtrail:DescribeTrails');
    // Allowed on another trail's ARN only: GetTrailStatus is authorized on the trail's own ARN.
    const wrongResource = await sdkError(() => cloudTrailClient(t.url, otherTrailOnly).send(new GetTrailStatusCommand({ Name: 'castellan' })));
    expect(wrongResource).toMatchObject({ name: 'AccessDeniedException' });
    expect(wrongResource.message).toContain(`cloudtrail:GetTrailStatus on resource: ${ARN}`);
    await t.restart(); // flushes the batched read-only events (and runs the final export)
    const events = (await cloudTrailClient(t.url, auditor).send(new LookupEventsCommand({ LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: 'GetTrailStatus' }] }))).Events!;
    const refused = events.map((e) => JSON.parse(e.CloudTrailEvent!)).find((r) => r.userIdentity.userName === 'other-trail-only');
    expect(refused).toMatchObject({ eventSource: 'cloudtrail.amazonaws.com', errorCode: 'AccessDeniedException', readOnly: true, requestParameters: { name: 'castellan' } });
    const described = (await cloudTrailClient(t.url, auditor).send(new LookupEventsCommand({ LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: 'DescribeTrails' }] }))).Events!;
    expect(described.map((e) => e.Username)).toEqual(expect.arrayContaining(['auditor', 'nobody']));
  });

  it('reports the export’s deliveries in GetTrailStatus once it has delivered', async () => {
    // The restart above stopped the schedule, whose last run delivered the events so far.
    const status = await cloudTrailClient(t.url, auditor).send(new GetTrailStatusCommand({ Name: 'castellan' }));
    expect(status.IsLogging).toBe(true);
    expect(status.StartLoggingTime).toBeInstanceOf(Date);
    expect(status.LatestDeliveryTime).toBeInstanceOf(Date);
    expect(status.LatestDigestDeliveryTime).toEqual(status.LatestDeliveryTime);
    expect(Date.now() - status.LatestDeliveryTime!.getTime()).toBeLessThan(60_000);
    expect(status.LatestDeliveryTime!.getTime()).toBeGreaterThanOrEqual(status.StartLoggingTime!.getTime() - 1000);
    expect(status.StopLoggingTime).toBeUndefined();
    expect(status.LatestDeliveryError).toBeUndefined();
  });
});

describe('the account trail through the AWS CLI v2', () => {
  it('describe-trails and get-trail-status', async () => {
    const described = await aws(auditor, 'cloudtrail', 'describe-trails');
    expect(described).toEqual({ ok: true, out: { trailList: [TRAIL] } });
    const status = await aws(auditor, 'cloudtrail', 'get-trail-status', '--name', ARN);
    expect(status.ok && status.out).toMatchObject({ IsLogging: true });
    expect(status.ok && typeof status.out.LatestDigestDeliveryTime).toBe('string');
  });

  it('an unknown trail and a refusal', async () => {
    // The root: the auditor may read the status of its trail's ARN only, and would be refused first.
    const unknown = await aws(t.root, 'cloudtrail', 'get-trail-status', '--name', 'nosuchtrail');
    expect(unknown.ok).toBe(false);
    expect(!unknown.ok && unknown.err).toContain('An error occurred (TrailNotFoundException) when calling the GetTrailStatus operation');
    expect(!unknown.ok && unknown.err).toContain(`Unknown trail: arn:aws:cloudtrail:us-east-1:${E2E_ACCOUNT_ID}:trail/nosuchtrail for the user: ${E2E_ACCOUNT_ID}`);
    const refused = await aws(nobody, 'cloudtrail', 'describe-trails');
    expect(refused.ok).toBe(false);
    expect(!refused.ok && refused.err).toContain('An error occurred (AccessDeniedException) when calling the DescribeTrails operation');
  });
});
