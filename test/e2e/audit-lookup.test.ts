/**
 * CloudTrail LookupEvents and ListPublicKeys over the wire, driven by @aws-sdk/client-cloudtrail,
 * on the real HTTP app and Node listener with a real store (SQLite, or PostgreSQL in the e2e-postgres
 * project) and the store-backed AuditLog:
 * the events of allowed, refused and unauthenticated calls, as the SDK sees them.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createPublicKey } from 'node:crypto';
import { ListPublicKeysCommand, LookupEventsCommand, paginateLookupEvents } from '@aws-sdk/client-cloudtrail';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describePublicKey, loadOrCreateSigningKey, publicKeyFingerprint } from '../../packages/server/src/audit/export/signing-key.js';
import { StoreAuditLog } from '../../packages/server/src/audit/store-audit-log.js';
import { CryptoIds } from '../../packages/server/src/domain/ids.js';
import { createApp } from '../../packages/server/src/http/create-app.js';
import type { HttpServerHandle } from '../../packages/server/src/http/node-listener.js';
import { OperationRegistry } from '../../packages/server/src/pipeline/operation-registry.js';
import { InMemoryCredentialResolver, ListAuthorizer, rootPrincipal, userPrincipal } from '../../packages/server/src/pipeline/test-support.js';
import { listPublicKeysOperation } from '../../packages/server/src/protocol/json/operations/cloudtrail/list-public-keys.js';
import { lookupEvents } from '../../packages/server/src/protocol/json/operations/cloudtrail/lookup-events.js';
import { getCallerIdentity } from '../../packages/server/src/protocol/query/operations/sts/get-caller-identity.js';
import { SigV4Authenticator } from '../../packages/server/src/services/credentials/sigv4-authenticator.js';
import { openTamperableStore, type TamperableStore } from '../../packages/server/src/audit/test-audit-store.js';
import type { Store } from '../../packages/server/src/store/store.js';
import { cloudTrailClient, sdkError, stsClient } from './helpers/aws-clients.js';
import { startServer } from './helpers/start-server.js';

const ACCOUNT = '123456789012';
const ROOT = { accessKeyId: 'AKIAAUDITROOT0000001', secretAccessKey: 'audit-root-secret-0000000000000000000001' };
const BOB = { accessKeyId: 'AKIAAUDITBOB00000001', secretAccessKey: 'audit-bob-secret-00000000000000000000001' };
const CAROL = { accessKeyId: 'AKIAAUDITCAROL000001', secretAccessKey: 'audit-carol-secret-000000000000000000001' };

type Deps = { store: Store };
let dir: string;
let db: TamperableStore;
let store: Store;
let audit: StoreAuditLog<Deps>;
let server: HttpServerHandle;
let signingKey: Awaited<ReturnType<typeof loadOrCreateSigningKey>>;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'castellan-audit-e2e-'));
  // The e2e project runs this on SQLite, the e2e-postgres project on PostgreSQL.
  db = await openTamperableStore(process.env['CASTELLAN_E2E_DIALECT'] === 'postgres' ? 'postgres' : 'sqlite');
  store = db.store;
  audit = new StoreAuditLog<Deps>({ store, transactionStore: (d) => d.store, flushIntervalMs: 50 });
  signingKey = await loadOrCreateSigningKey(dir);
  const credentials = new InMemoryCredentialResolver()
    .add(ROOT.accessKeyId, ROOT.secretAccessKey, rootPrincipal(ACCOUNT, ROOT.accessKeyId))
    // bob may look events up; carol may not
    .add(BOB.accessKeyId, BOB.secretAccessKey, userPrincipal('bob', ACCOUNT, BOB.accessKeyId))
    .add(CAROL.accessKeyId, CAROL.secretAccessKey, userPrincipal('carol', ACCOUNT, CAROL.accessKeyId));
  const app = createApp<Deps>({
    authenticators: [new SigV4Authenticator(credentials)],
    authorizer: {
      // Only bob (and the root) may look events up.
      authorize: (ctx, req) => new ListAuthorizer(ctx.caller.userName === 'carol' ? [] : [req.action]).authorize(ctx, req),
    },
    transactions: { run: (fn) => store.transaction((tx) => fn({ store: tx })) },
    audit,
    operations: new OperationRegistry<Deps>().register(
      getCallerIdentity,
      lookupEvents,
      listPublicKeysOperation(describePublicKey(signingKey.publicKey, signingKey.createdAt)),
    ),
    operationDeps: { store },
    clock: { now: () => new Date() },
    ids: new CryptoIds(),
    defaultAccountId: ACCOUNT,
    logger: pino({ level: 'silent' }),
  });
  server = await startServer(app);
});
afterAll(async () => {
  await server?.close();
  await audit?.close();
  await db?.close();
  await rm(dir, { recursive: true, force: true });
});

/** Events of the account, all pages, through the SDK's paginator. */
async function allEvents(credentials = ROOT) {
  const events = [];
  for await (const page of paginateLookupEvents({ client: cloudTrailClient(server.url, credentials), pageSize: 3 }, {})) events.push(...(page.Events ?? []));
  return events;
}

describe('audit events over the wire', () => {
  let allowedId: string | undefined;
  beforeAll(async () => {
    // Given an allowed call, a refused call and an unauthenticated call
    allowedId = (await stsClient(server.url, ROOT, 'eu-west-1').send(new GetCallerIdentityCommand({}))).$metadata.requestId;
    await sdkError(() => cloudTrailClient(server.url, CAROL).send(new LookupEventsCommand({})));
    await sdkError(() => stsClient(server.url, { accessKeyId: 'AKIANOSUCHKEY0000000', secretAccessKey: 'x' }).send(new GetCallerIdentityCommand({})));
    await audit.flush();
  });

  it('records the allowed call with identity, source IP, region and request id', async () => {
    const events = await allEvents();
    const e = events.find((x) => JSON.parse(x.CloudTrailEvent!).requestID === allowedId);
    expect(e).toMatchObject({ EventName: 'GetCallerIdentity', EventSource: 'sts.amazonaws.com', ReadOnly: 'true', Username: 'root', AccessKeyId: ROOT.accessKeyId });
    expect(JSON.parse(e!.CloudTrailEvent!)).toMatchObject({
      eventVersion: '1.09',
      userIdentity: { type: 'Root', arn: `arn:aws:iam::${ACCOUNT}:root`, accountId: ACCOUNT, accessKeyId: ROOT.accessKeyId },
      awsRegion: 'eu-west-1',
      sourceIPAddress: '127.0.0.1',
      recipientAccountId: ACCOUNT,
      eventType: 'AwsApiCall',
      managementEvent: true,
    });
  });

  it('records the refused call with the caller and AccessDenied', async () => {
    const [e] = (await cloudTrailClient(server.url, BOB).send(new LookupEventsCommand({ LookupAttributes: [{ AttributeKey: 'Username', AttributeValue: 'carol' }] }))).Events!;
    expect(e).toMatchObject({ EventName: 'LookupEvents', EventSource: 'cloudtrail.amazonaws.com', Username: 'carol' });
    const record = JSON.parse(e!.CloudTrailEvent!);
    // The code carol's JSON client received, as AWS records it for JSON services.
    expect(record).toMatchObject({ userIdentity: { type: 'IAMUser', userName: 'carol' }, errorCode: 'AccessDeniedException' });
    expect(record.errorMessage).toContain('is not authorized to perform: cloudtrail:LookupEvents');
  });

  it('records the unauthenticated call with the claimed key only', async () => {
    const [e] = (await cloudTrailClient(server.url, ROOT).send(new LookupEventsCommand({ LookupAttributes: [{ AttributeKey: 'AccessKeyId', AttributeValue: 'AKIANOSUCHKEY0000000' }] }))).Events!;
    expect(JSON.parse(e!.CloudTrailEvent!)).toMatchObject({ userIdentity: { type: 'Unknown', accessKeyId: 'AKIANOSUCHKEY0000000' }, errorCode: 'InvalidClientTokenId', recipientAccountId: ACCOUNT });
  });

  it('pages with the SDK paginator, newest first, without duplicates', async () => {
    // The earlier tests' own LookupEvents calls are batched: write them before counting.
    await audit.flush();
    const events = await allEvents();
    expect(events.length).toBeGreaterThanOrEqual(5);
    expect(new Set(events.map((e) => e.EventId)).size).toBe(events.length);
    const times = events.map((e) => e.EventTime!.getTime());
    expect([...times].sort((a, b) => b - a)).toEqual(times);
  });

  it('answers AWS errors for bad lookups', async () => {
    const ct = cloudTrailClient(server.url, ROOT);
    const range = await sdkError(() => ct.send(new LookupEventsCommand({ StartTime: new Date(2_000_000), EndTime: new Date(1_000_000) })));
    expect(range).toMatchObject({ name: 'InvalidTimeRangeException', status: 400 });
    const token = await sdkError(() => ct.send(new LookupEventsCommand({ NextToken: 'forged' })));
    expect(token).toMatchObject({ name: 'InvalidNextTokenException', status: 400 });
  });

  it('honours only the first of several lookup attributes, as CloudTrail does', async () => {
    // Observed on a live account (zb-ss/servonaut#103): CloudTrail applies the first attribute and
    // ignores the others, without an error; its API reference says the list "can contain only one item".
    await audit.flush();
    const ct = cloudTrailClient(server.url, ROOT);
    const byName = (await ct.send(new LookupEventsCommand({ LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: 'GetCallerIdentity' }] }))).Events!;
    expect(byName.length).toBeGreaterThan(0);
    const both = (await ct.send(new LookupEventsCommand({ LookupAttributes: [{ AttributeKey: 'EventName', AttributeValue: 'GetCallerIdentity' }, { AttributeKey: 'Username', AttributeValue: 'nobody-at-all' }] }))).Events!;
    expect(both.map((e) => e.EventId)).toEqual(byName.map((e) => e.EventId));
  });

  it('serves the digest public key through ListPublicKeys', async () => {
    const out = await cloudTrailClient(server.url, ROOT).send(new ListPublicKeysCommand({}));
    expect(out.PublicKeyList).toHaveLength(1);
    const [k] = out.PublicKeyList!;
    const parsed = createPublicKey({ key: Buffer.from(k!.Value!), format: 'der', type: 'spki' });
    expect(k!.Fingerprint).toBe(signingKey.fingerprint);
    expect(publicKeyFingerprint(parsed)).toBe(signingKey.fingerprint);
  });
});
