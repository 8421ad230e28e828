import { generateKeyPairSync } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { describePublicKey } from '../../../../audit/export/signing-key.js';
import { loadIamDataCatalog, type IamDataCatalog } from '../../../../catalog/iam-data-catalog.js';
import { cloudTrailOperations } from './cloudtrail-operations.js';
import type { RequestContext } from '../../../../domain/context.js';
import type { TrailDeliveries, TrailSettings } from '../../../../services/cloudtrail/account-trail.js';
import { describeTrailsOperation } from './describe-trails.js';
import { getEventSelectorsOperation } from './get-event-selectors.js';
import { getInsightSelectorsOperation } from './get-insight-selectors.js';
import { getTrailStatusOperation } from './get-trail-status.js';
import { getTrailOperation } from './get-trail.js';
import { listTagsOperation } from './list-tags.js';
import { listTrailsOperation } from './list-trails.js';
import type { AccountTrailState } from '../../../../store/store.js';
import { startLoggingOperation, stopLoggingOperation } from './trail-logging.js';
import { addTagsOperation, removeTagsOperation } from './trail-tags.js';
import { putEventSelectorsOperation } from './put-event-selectors.js';
import type { PutEventSelectorsRequest } from '../../../model/cloudtrail-types.js';

const ACCOUNT = '123456789012';
const ARN = `arn:aws:cloudtrail:eu-west-1:${ACCOUNT}:trail/castellan`;
const created = new Date('2026-01-01T00:00:00Z');

function settings(deliveries: TrailDeliveries = {}, logFileValidation = true): TrailSettings {
  return { homeRegion: 'eu-west-1', logFileValidation, deliveries: async (accountId) => (accountId === ACCOUNT ? deliveries : {}) };
}
const ctx = (region = 'eu-west-1') =>
  ({ requestId: 'r', now: new Date(), caller: { accountId: ACCOUNT }, sourceIp: '127.0.0.1', userAgent: 't', region }) as unknown as RequestContext;
/** The account and its trail state, in memory: what the trail operations read and write. */
function memoryStore() {
  const trails = new Map<string, AccountTrailState>();
  return {
    getAccount: async (id: string) => (id === ACCOUNT ? { id, createDate: created, settingsJson: '{}' } : undefined),
    getAccountTrail: async (id: string) => structuredClone(trails.get(id)),
    putAccountTrail: async (state: AccountTrailState) => void trails.set(state.accountId, structuredClone(state)),
    lockForUpdate: async () => true,
  };
}
const store = memoryStore();

const TRAIL = {
  Name: 'castellan',
  TrailARN: ARN,
  HomeRegion: 'eu-west-1',
  IsMultiRegionTrail: true,
  IncludeGlobalServiceEvents: true,
  LogFileValidationEnabled: true,
  HasCustomEventSelectors: true,
  HasInsightSelectors: false,
  IsOrganizationTrail: false,
};

describe('DescribeTrails', () => {
  const op = describeTrailsOperation(settings());
  // [case, input, request region, described]
  const cases: [string, Parameters<typeof op.execute>[0], string, boolean][] = [
    ['no names, home region', {}, 'eu-west-1', true],
    ['no names, another region (shadow trail)', {}, 'us-east-1', true],
    ['no names, another region, without shadow trails', { includeShadowTrails: false }, 'us-east-1', false],
    ['no names, home region, without shadow trails', { includeShadowTrails: false }, 'eu-west-1', true],
    ['its name in its home region', { trailNameList: ['castellan'] }, 'eu-west-1', true],
    ['its name elsewhere', { trailNameList: ['castellan'] }, 'us-east-1', false],
    ['its ARN elsewhere', { trailNameList: [ARN] }, 'us-east-1', true],
    ['an unknown name', { trailNameList: ['other'] }, 'eu-west-1', false],
    ['its name twice', { trailNameList: ['castellan', ARN] }, 'eu-west-1', true],
  ];
  it.each(cases)('%s', async (_name, input, region, described) => {
    expect(await op.execute(input, ctx(region), undefined)).toEqual({ trailList: described ? [TRAIL] : [] });
  });

  it('refuses a malformed name in the list', async () => {
    await expect(async () => op.execute({ trailNameList: ['castellan', 'a'] }, ctx(), undefined)).rejects.toMatchObject({ code: 'InvalidTrailNameException' });
  });

  it('says when digests are not signed (no signing key)', async () => {
    const out = await describeTrailsOperation(settings({}, false)).execute({}, ctx(), undefined);
    expect(out.trailList![0]!.LogFileValidationEnabled).toBe(false);
  });
});

describe('GetTrail, ListTrails', () => {
  it('GetTrail answers the trail by name or ARN', async () => {
    const op = getTrailOperation(settings());
    expect(await op.execute({ Name: 'castellan' }, ctx(), undefined)).toEqual({ Trail: TRAIL });
    expect(await op.execute({ Name: ARN }, ctx('ap-south-1'), undefined)).toEqual({ Trail: TRAIL });
    expect(() => op.execute({ Name: 'other' }, ctx(), undefined)).toThrow(expect.objectContaining({ code: 'TrailNotFoundException' }));
  });

  it('ListTrails answers the trail in one page and refuses a token it never issued', async () => {
    const op = listTrailsOperation(settings());
    expect(await op.execute({}, ctx('us-east-1'), undefined)).toEqual({ Trails: [{ TrailARN: ARN, Name: 'castellan', HomeRegion: 'eu-west-1' }] });
    // The model lists no token error for ListTrails: the common ValidationError.
    expect(() => op.execute({ NextToken: 'x' }, ctx(), undefined)).toThrow(expect.objectContaining({ code: 'ValidationError' }));
  });
});

describe('GetTrailStatus', () => {
  it('logs since the account was created and reports the export folder’s deliveries', async () => {
    const delivered = new Date('2026-01-02T03:04:05Z');
    const out = await getTrailStatusOperation(settings({ latestDelivery: delivered, latestDigestDelivery: delivered })).execute({ Name: 'castellan' }, ctx(), { store });
    expect(out).toEqual({ IsLogging: true, StartLoggingTime: created, LatestDeliveryTime: delivered, LatestDigestDeliveryTime: delivered });
  });

  it('omits delivery times before anything was delivered (or with the export off)', async () => {
    const out = await getTrailStatusOperation(settings()).execute({ Name: ARN }, ctx(), { store });
    expect(out).toEqual({ IsLogging: true, StartLoggingTime: created });
  });

  it('refuses an unknown trail', async () => {
    await expect(getTrailStatusOperation(settings()).execute({ Name: 'other' }, ctx(), { store })).rejects.toMatchObject({ code: 'TrailNotFoundException' });
  });
});

describe('StartLogging, StopLogging', () => {
  it('stop, then start: GetTrailStatus follows, with the times of the calls', async () => {
    const s = memoryStore();
    const status = getTrailStatusOperation(settings());
    const at = (iso: string) => ({ ...ctx(), now: new Date(iso) }) as RequestContext;
    await stopLoggingOperation(settings()).execute({ Name: 'castellan' }, at('2026-02-01T00:00:00Z'), { store: s });
    expect(await status.execute({ Name: 'castellan' }, ctx(), { store: s })).toEqual({ IsLogging: false, StartLoggingTime: created, StopLoggingTime: new Date('2026-02-01T00:00:00Z') });
    await startLoggingOperation(settings()).execute({ Name: ARN }, at('2026-02-02T00:00:00Z'), { store: s });
    expect(await status.execute({ Name: 'castellan' }, ctx(), { store: s })).toEqual({ IsLogging: true, StartLoggingTime: new Date('2026-02-02T00:00:00Z'), StopLoggingTime: new Date('2026-02-01T00:00:00Z') });
  });

  it.each([
    ['another name', 'other', 'TrailNotFoundException'],
    ['its name from another region', 'castellan', 'TrailNotFoundException'],
    ['a malformed name', 'a', 'InvalidTrailNameException'],
  ])('refuses %s, changing nothing', async (_name, name, code) => {
    const s = memoryStore();
    await expect(stopLoggingOperation(settings()).execute({ Name: name }, ctx(name === 'castellan' ? 'us-east-1' : 'eu-west-1'), { store: s })).rejects.toMatchObject({ code });
    expect(await s.getAccountTrail(ACCOUNT)).toBeUndefined();
  });
});

describe('AddTags, RemoveTags', () => {
  const add = addTagsOperation(settings());
  const remove = removeTagsOperation(settings());
  const list = listTagsOperation(settings());
  const tagsOf = async (s: ReturnType<typeof memoryStore>) => (await list.execute({ ResourceIdList: [ARN] }, ctx(), { store: s })).ResourceTagList![0]!.TagsList;

  it('adds in order, replaces a value in place, keeps keys case-sensitive, removes by key', async () => {
    const s = memoryStore();
    await add.execute({ ResourceId: ARN, TagsList: [{ Key: 'team', Value: 'sec' }, { Key: 'Team', Value: 'ops' }, { Key: 'flag' }] }, ctx(), { store: s });
    await add.execute({ ResourceId: ARN, TagsList: [{ Key: 'team', Value: 'audit' }] }, ctx(), { store: s });
    expect(await tagsOf(s)).toEqual([{ Key: 'team', Value: 'audit' }, { Key: 'Team', Value: 'ops' }, { Key: 'flag' }]);
    await remove.execute({ ResourceId: ARN, TagsList: [{ Key: 'Team' }, { Key: 'absent' }] }, ctx(), { store: s });
    expect(await tagsOf(s)).toEqual([{ Key: 'team', Value: 'audit' }, { Key: 'flag' }]);
  });

  it('allows 50 tags and refuses the 51st', async () => {
    const s = memoryStore();
    const tags = (from: number, n: number) => Array.from({ length: n }, (_, i) => ({ Key: `k${from + i}`, Value: 'v' }));
    await add.execute({ ResourceId: ARN, TagsList: tags(0, 50) }, ctx(), { store: s });
    await add.execute({ ResourceId: ARN, TagsList: tags(0, 10) }, ctx(), { store: s }); // replacing is not adding
    await expect(add.execute({ ResourceId: ARN, TagsList: tags(50, 1) }, ctx(), { store: s })).rejects.toMatchObject({ code: 'TagsLimitExceededException', message: expect.stringContaining('the limit is 50') });
    expect(await tagsOf(s)).toHaveLength(50);
  });

  // [case, ResourceId, TagsList, the error code]
  const refusals: [string, string, Array<{ Key: string; Value?: string }>, string][] = [
    ['a key out of the pattern', ARN, [{ Key: 'a*b', Value: 'v' }], 'InvalidTagParameterException'],
    ['a value out of the pattern', ARN, [{ Key: 'k', Value: 'v;' }], 'InvalidTagParameterException'],
    ['a key given twice', ARN, [{ Key: 'k', Value: 'a' }, { Key: 'k', Value: 'b' }], 'InvalidTagParameterException'],
    ['another trail of the account', `arn:aws:cloudtrail:eu-west-1:${ACCOUNT}:trail/other`, [{ Key: 'k' }], 'ResourceNotFoundException'],
    ['an event data store', `arn:aws:cloudtrail:eu-west-1:${ACCOUNT}:eventdatastore/abc`, [{ Key: 'k' }], 'EventDataStoreNotFoundException'],
    ['a name, not an ARN', 'castellan', [{ Key: 'k' }], 'CloudTrailARNInvalidException'],
    ['another account’s trail', 'arn:aws:cloudtrail:eu-west-1:210987654321:trail/castellan', [{ Key: 'k' }], 'CloudTrailARNInvalidException'],
  ];
  it.each(refusals)('AddTags refuses %s, changing nothing', async (_name, id, tags, code) => {
    const s = memoryStore();
    await expect((async () => add.execute({ ResourceId: id, TagsList: tags }, ctx(), { store: s }))()).rejects.toMatchObject({ code });
    expect(await s.getAccountTrail(ACCOUNT)).toBeUndefined();
  });

  it('accepts letters of any script, spaces and _.:/=+-@', async () => {
    const s = memoryStore();
    await add.execute({ ResourceId: ARN, TagsList: [{ Key: 'Équipe sécurité', Value: 'a_b.c:d/e=f+g-h@i 日本' }] }, ctx(), { store: s });
    expect(await tagsOf(s)).toEqual([{ Key: 'Équipe sécurité', Value: 'a_b.c:d/e=f+g-h@i 日本' }]);
  });
});

describe('PutEventSelectors', () => {
  const put = putEventSelectorsOperation(settings());
  const get = getEventSelectorsOperation(settings());
  const mgmt = { Name: 'm', FieldSelectors: [{ Field: 'eventCategory', Equals: ['Management'] }, { Field: 'readOnly', Equals: ['false'] }] };

  it('stores basic selectors, then advanced ones in their place; GetEventSelectors answers what was put', async () => {
    const s = memoryStore();
    const basic = [{ ReadWriteType: 'WriteOnly' as const, IncludeManagementEvents: true, ExcludeManagementEventSources: ['kms.amazonaws.com'], DataResources: [{ Type: 'AWS::S3::Object', Values: ['arn:aws:s3'] }] }];
    expect(await put.execute({ TrailName: 'castellan', EventSelectors: basic }, ctx(), { store: s })).toEqual({ TrailARN: ARN, EventSelectors: basic });
    expect(await get.execute({ TrailName: ARN }, ctx(), { store: s })).toEqual({ TrailARN: ARN, EventSelectors: basic });
    await put.execute({ TrailName: ARN, AdvancedEventSelectors: [mgmt] }, ctx(), { store: s });
    expect(await get.execute({ TrailName: 'castellan' }, ctx(), { store: s })).toEqual({ TrailARN: ARN, AdvancedEventSelectors: [mgmt] });
  });

  const selector = (_n: number) => ({ ReadWriteType: 'All' as const });
  // [case, request (without TrailName), the error code]
  const refusals: [string, Omit<PutEventSelectorsRequest, 'TrailName'>, string][] = [
    ['neither kind', {}, 'InvalidEventSelectorsException'],
    ['both kinds', { EventSelectors: [selector(1)], AdvancedEventSelectors: [mgmt] }, 'InvalidEventSelectorsException'],
    ['6 basic selectors', { EventSelectors: Array.from({ length: 6 }, (_, i) => selector(i)) }, 'InvalidEventSelectorsException'],
    ['an unknown data resource type', { EventSelectors: [{ DataResources: [{ Type: 'AWS::IAM::User', Values: ['x'] }] }] }, 'InvalidEventSelectorsException'],
    ['251 data resources', { EventSelectors: [{ DataResources: [{ Type: 'AWS::S3::Object', Values: Array.from({ length: 251 }, (_, i) => `arn:aws:s3:::b${i}/`) }] }] }, 'InvalidEventSelectorsException'],
    ['an excluded source other than KMS or RDS Data', { EventSelectors: [{ ExcludeManagementEventSources: ['iam.amazonaws.com'] }] }, 'InvalidEventSelectorsException'],
    ['no advanced selector', { AdvancedEventSelectors: [] }, 'InvalidEventSelectorsException'],
    ['an advanced selector without eventCategory', { AdvancedEventSelectors: [{ FieldSelectors: [{ Field: 'readOnly', Equals: ['true'] }] }] }, 'InvalidEventSelectorsException'],
    ['an unknown field', { AdvancedEventSelectors: [{ FieldSelectors: [{ Field: 'eventCategory', Equals: ['Management'] }, { Field: 'color', Equals: ['x'] }] }] }, 'InvalidEventSelectorsException'],
    ['an unknown category', { AdvancedEventSelectors: [{ FieldSelectors: [{ Field: 'eventCategory', Equals: ['Insight'] }] }] }, 'InvalidEventSelectorsException'],
    ['readOnly neither true nor false', { AdvancedEventSelectors: [{ FieldSelectors: [{ Field: 'eventCategory', Equals: ['Management'] }, { Field: 'readOnly', Equals: ['yes'] }] }] }, 'InvalidEventSelectorsException'],
    ['a field without operator', { AdvancedEventSelectors: [{ FieldSelectors: [{ Field: 'eventCategory' }] }] }, 'InvalidEventSelectorsException'],
    ['data events without resources.type', { AdvancedEventSelectors: [{ FieldSelectors: [{ Field: 'eventCategory', Equals: ['Data'] }] }] }, 'InvalidEventSelectorsException'],
    ['501 values', { AdvancedEventSelectors: [{ FieldSelectors: [{ Field: 'eventCategory', Equals: ['Management'] }, { Field: 'eventSource', NotEquals: Array.from({ length: 500 }, (_, i) => `s${i}.amazonaws.com`) }] }] }, 'InvalidEventSelectorsException'],
  ];
  it.each(refusals)('refuses %s, changing nothing', async (_name, request, code) => {
    const s = memoryStore();
    await expect(put.execute({ TrailName: 'castellan', ...request }, ctx(), { store: s })).rejects.toMatchObject({ code });
    expect(await s.getAccountTrail(ACCOUNT)).toBeUndefined();
  });

  it('accepts a data-event selector with resources.type, and 500 values', async () => {
    const data = { FieldSelectors: [{ Field: 'eventCategory', Equals: ['Data'] }, { Field: 'resources.type', Equals: ['AWS::S3::Object'] }] };
    await put.execute({ TrailName: 'castellan', AdvancedEventSelectors: [data] }, ctx(), { store: memoryStore() });
    await put.execute({ TrailName: 'castellan', AdvancedEventSelectors: [{ FieldSelectors: [{ Field: 'eventCategory', Equals: ['Management'] }, { Field: 'eventSource', NotEquals: Array.from({ length: 499 }, (_, i) => `s${i}.amazonaws.com`) }] }] }, ctx(), { store: memoryStore() });
  });

  it('is changed only from the home Region (InvalidHomeRegionException), and refuses another trail', async () => {
    await expect(put.execute({ TrailName: ARN, AdvancedEventSelectors: [mgmt] }, ctx('us-east-1'), { store: memoryStore() })).rejects.toMatchObject({ code: 'InvalidHomeRegionException' });
    await expect(put.execute({ TrailName: 'other', AdvancedEventSelectors: [mgmt] }, ctx(), { store: memoryStore() })).rejects.toMatchObject({ code: 'TrailNotFoundException' });
  });
});

describe('GetEventSelectors, GetInsightSelectors', () => {
  it('GetEventSelectors answers management events only: AWS requires resources.type in a data-event selector', async () => {
    const out = await getEventSelectorsOperation(settings()).execute({ TrailName: 'castellan' }, ctx(), { store: memoryStore() });
    expect(out).toEqual({
      TrailARN: ARN,
      AdvancedEventSelectors: [
        { Name: 'Management events', FieldSelectors: [{ Field: 'eventCategory', Equals: ['Management'] }] },
      ],
    });
  });

  it('GetInsightSelectors is InsightNotEnabledException on the trail, TrailNotFoundException elsewhere', () => {
    const op = getInsightSelectorsOperation(settings());
    expect(() => op.execute({ TrailName: 'castellan' }, ctx(), undefined)).toThrow(
      expect.objectContaining({ code: 'InsightNotEnabledException', message: `Trail ${ARN} does not have Insights enabled. Edit the trail settings to enable Insights, and then try the operation again.` }),
    );
    expect(() => op.execute({ TrailName: 'other' }, ctx(), undefined)).toThrow(expect.objectContaining({ code: 'TrailNotFoundException' }));
  });
});

describe('ListTags', () => {
  const op = listTagsOperation(settings());
  // [case, ResourceIdList, the error code, or the answered ids]
  const cases: [string, string[], string | string[]][] = [
    ['the trail', [ARN], [ARN]],
    ['the trail twice', [ARN, ARN], [ARN]],
    ['no ARN', [], []],
    ['a name, not an ARN', ['castellan'], 'CloudTrailARNInvalidException'],
    ['an IAM ARN', [`arn:aws:iam::${ACCOUNT}:user/bob`], 'CloudTrailARNInvalidException'],
    ['another account’s trail', [ARN, 'arn:aws:cloudtrail:eu-west-1:210987654321:trail/castellan'], 'CloudTrailARNInvalidException'],
    ['a malformed trail name', [`arn:aws:cloudtrail:eu-west-1:${ACCOUNT}:trail/a`], 'InvalidTrailNameException'],
    ['another trail of the account', [ARN, `arn:aws:cloudtrail:eu-west-1:${ACCOUNT}:trail/other`], 'ResourceNotFoundException'],
    ['an event data store', [`arn:aws:cloudtrail:eu-west-1:${ACCOUNT}:eventdatastore/abc`], 'EventDataStoreNotFoundException'],
    ['20 ARNs (the limit)', Array.from({ length: 20 }, () => ARN), [ARN]],
    ['21 ARNs', Array.from({ length: 21 }, () => ARN), 'InvalidParameterException'],
    ['21 ARNs, one malformed: the limit first', [...Array.from({ length: 20 }, () => ARN), 'castellan'], 'InvalidParameterException'],
  ];
  it.each(cases)('%s', async (_name, ids, expected) => {
    const run = () => op.execute({ ResourceIdList: ids }, ctx(), { store: memoryStore() });
    if (Array.isArray(expected)) expect(await run()).toEqual({ ResourceTagList: expected.map((ResourceId) => ({ ResourceId, TagsList: [] })) });
    else await expect(run).rejects.toMatchObject({ code: expected });
  });

  it('is authorized on every ARN of the list, and checks them before', async () => {
    const other = `arn:aws:cloudtrail:eu-west-1:${ACCOUNT}:trail/other`;
    expect(await op.resource({ ResourceIdList: [ARN, other] }, ctx(), { store })).toBe(ARN);
    expect(await op.alsoAuthorizedOn!({ ResourceIdList: [ARN, other] }, ctx(), { store })).toEqual([other]);
    expect(() => op.resource({ ResourceIdList: ['castellan'] }, ctx(), { store })).toThrow(expect.objectContaining({ code: 'CloudTrailARNInvalidException' }));
  });

  it('checks the ARN list once per request, whichever step reads it', async () => {
    let reads = 0;
    const arns = [ARN, `arn:aws:cloudtrail:eu-west-1:${ACCOUNT}:trail/other`];
    const input = { get ResourceIdList() { reads++; return arns; } };
    await op.resource(input, ctx(), { store });
    const once = reads;
    await op.alsoAuthorizedOn!(input, ctx(), { store });
    await expect(op.execute(input, ctx(), { store })).rejects.toMatchObject({ code: 'ResourceNotFoundException' });
    expect(reads).toBe(once);
  });

  it('refuses a NextToken with the token error its model lists', async () => {
    await expect(op.execute({ ResourceIdList: [ARN], NextToken: 'x' }, ctx(), { store })).rejects.toMatchObject({ code: 'InvalidTokenException' });
  });
});

describe('authorization targets', () => {
  it.each([
    ['GetTrail by name: the ARN in the request’s region', getTrailOperation(settings()), { Name: 'castellan' }, 'us-east-1', `arn:aws:cloudtrail:us-east-1:${ACCOUNT}:trail/castellan`],
    ['GetTrailStatus by ARN: the ARN', getTrailStatusOperation(settings()), { Name: ARN }, 'us-east-1', ARN],
    ['GetEventSelectors', getEventSelectorsOperation(settings()), { TrailName: 'castellan' }, 'eu-west-1', ARN],
    ['DescribeTrails: *', describeTrailsOperation(settings()), {}, 'eu-west-1', '*'],
    ['ListTrails: *', listTrailsOperation(settings()), {}, 'eu-west-1', '*'],
  ] as const)('%s', async (_name, op, input, region, resource) => {
    expect(await (op.resource as (i: unknown, c: RequestContext, d: unknown) => string)(input, ctx(region), undefined)).toBe(resource);
  });
});

/** Every registered CloudTrail operation against AWS's Service Authorization Reference (catalogue). */
describe('authorization targets from the catalogue', () => {
  let catalog: IamDataCatalog;
  beforeAll(async () => {
    catalog = await loadIamDataCatalog();
  });
  const publicKey = describePublicKey(generateKeyPairSync('ed25519').publicKey, created);
  const SAMPLE: Record<string, unknown> = { Name: 'castellan', TrailName: 'castellan', ResourceIdList: [ARN], ResourceId: ARN };
  it.each(cloudTrailOperations({ publicKey, trail: settings() }).map((op) => [op.action, op] as const))('%s', async (action, op) => {
    const info = catalog.action(action);
    expect(info, `${action} is in the catalogue`).toBeDefined();
    const resource = await op.resource(SAMPLE, ctx(), undefined as never);
    const trailType = info!.resourceTypes.find((rt) => rt.name === 'trail');
    if (!trailType) expect(resource).toBe('*');
    else expect(trailType.arnPattern.replace('${Partition}', 'aws').replace('${Region}', 'eu-west-1').replace('${Account}', ACCOUNT).replace('${TrailName}', 'castellan')).toBe(resource);
  });
});
