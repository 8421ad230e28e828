/**
 * Issue 11's promise, checked at the database driver: once a principal is warm, authenticating and
 * authorizing its calls reads nothing from the database. Every statement the server sends (better-sqlite3
 * statements on SQLite, `pg` queries on PostgreSQL; the server runs in this process) is recorded while a
 * non-root user with attached, group and inline policies calls GetCallerIdentity with its key and with a
 * session token, and GetUser on itself (whose answer comes from the users cache too). Writes remain:
 * the audit records and the last-used data, batched; no read may.
 */
import BetterSqlite3 from 'better-sqlite3';
import pg from 'pg';
import {
  AddUserToGroupCommand, AttachGroupPolicyCommand, AttachUserPolicyCommand, CreateGroupCommand, CreatePolicyCommand, GetUserCommand, PutGroupPolicyCommand,
} from '@aws-sdk/client-iam';
import { GetCallerIdentityCommand, GetSessionTokenCommand } from '@aws-sdk/client-sts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StaticCredentials } from './helpers/aws-clients.js';
import { startTestCastellan, type TestCastellan } from './helpers/castellan.js';
import { createUserWithKey } from './helpers/iam-users.js';

const doc = (...statements: object[]) => JSON.stringify({ Version: '2012-10-17', Statement: statements });

/** Records the SQL of every statement the drivers run while `recording` is on. */
const recorded: string[] = [];
let recording = false;
const restores: Array<() => void> = [];
function wrap(proto: Record<string, any>, method: string, sqlOf: (self: any, args: any[]) => string | undefined): void {
  const original = proto[method];
  proto[method] = function (this: unknown, ...args: any[]) {
    if (recording) recorded.push(sqlOf(this, args) ?? '?');
    return original.apply(this, args);
  };
  restores.push(() => {
    proto[method] = original;
  });
}

/**
 * A statement that reads data: anything but INSERT, UPDATE, DELETE, transaction control, SQLite's
 * pragmas (the WAL checkpointer's) and `select 1` (PostgreSQL's change feed heartbeat).
 */
const isRead = (sql: string) => !/^\s*(insert|update|delete|begin|commit|rollback|savepoint|release|pragma)\b/i.test(sql) && !/^\s*select 1\s*$/i.test(sql);

let t: TestCastellan;
let key: StaticCredentials;
let session: StaticCredentials;

beforeAll(async () => {
  const probe = new BetterSqlite3(':memory:');
  const statementProto = Object.getPrototypeOf(probe.prepare('select 1')) as Record<string, any>;
  probe.close();
  for (const m of ['all', 'get', 'iterate', 'run']) wrap(statementProto, m, (self) => (self as { source?: string }).source);
  wrap(pg.Client.prototype as unknown as Record<string, any>, 'query', (_self, args) => (typeof args[0] === 'string' ? args[0] : args[0]?.text));

  t = await startTestCastellan();
  const iam = t.iam();
  key = await createUserWithKey(iam, 'reader', doc({ Effect: 'Allow', Action: ['iam:GetUser', 'sts:GetSessionToken'], Resource: '*' }));
  for (const n of [1, 2, 3]) {
    const arn = (await iam.send(new CreatePolicyCommand({ PolicyName: `p${n}`, PolicyDocument: doc({ Effect: 'Allow', Action: `iam:ListRoles`, Resource: '*' }) }))).Policy!.Arn!;
    await iam.send(new AttachUserPolicyCommand({ UserName: 'reader', PolicyArn: arn }));
  }
  await iam.send(new CreateGroupCommand({ GroupName: 'readers' }));
  await iam.send(new AddUserToGroupCommand({ GroupName: 'readers', UserName: 'reader' }));
  await iam.send(new AttachGroupPolicyCommand({ GroupName: 'readers', PolicyArn: 'arn:aws:iam::aws:policy/IAMReadOnlyAccess' }));
  await iam.send(new PutGroupPolicyCommand({ GroupName: 'readers', PolicyName: 'deny', PolicyDocument: doc({ Effect: 'Deny', Action: 'iam:DeleteUser', Resource: '*' }) }));
  const c = (await t.sts(key).send(new GetSessionTokenCommand({}))).Credentials!;
  session = { accessKeyId: c.AccessKeyId!, secretAccessKey: c.SecretAccessKey!, sessionToken: c.SessionToken! };
});

afterAll(async () => {
  recording = false;
  for (const restore of restores.splice(0)) restore();
  await t?.dispose();
});

describe('a warm principal', () => {
  it('is authenticated and authorized without reading the database: GetCallerIdentity (key and session token) and GetUser', async () => {
    // Given the principal warm: each call made once
    const calls = [
      () => t.sts(key).send(new GetCallerIdentityCommand({})),
      () => t.sts(session).send(new GetCallerIdentityCommand({})),
      () => t.iam(key).send(new GetUserCommand({})),
      () => t.iam(key).send(new GetUserCommand({ UserName: 'reader' })),
    ];
    for (const call of calls) await call();
    // When each is made again, recording every statement
    recorded.length = 0;
    recording = true;
    for (let i = 0; i < 5; i++) for (const call of calls) await call();
    recording = false;
    // Then none of them read (GetUser without a name read its caller by id on every call before)
    expect(recorded.filter(isRead)).toEqual([]);
  });

  it('the recorder sees a read when one happens (a cold principal)', async () => {
    recorded.length = 0;
    recording = true;
    const other = await createUserWithKey(t.iam(), 'cold', doc({ Effect: 'Allow', Action: 'iam:GetUser', Resource: '*' }));
    recorded.length = 0;
    await t.iam(other).send(new GetUserCommand({}));
    recording = false;
    expect(recorded.filter(isRead).length).toBeGreaterThan(0);
  });
});
