/**
 * The hot path's caches (access keys, principals with their policies, users read by name) never outlive a change: for
 * every kind of change that affects a cached entry, a warm principal (its key and policies served
 * from memory) is refused, or sees the new state, on the very next call after the change answers.
 * Driven with the AWS SDK against a started server, on the e2e project's database.
 */
import {
  AddUserToGroupCommand, AttachGroupPolicyCommand, CreateLoginProfileCommand, CreateUserCommand, DeleteUserCommand, DeleteUserPermissionsBoundaryCommand, AttachRolePolicyCommand, AttachUserPolicyCommand, CreateGroupCommand, CreatePolicyCommand, CreatePolicyVersionCommand, CreateRoleCommand, DeleteAccessKeyCommand,
  DeleteGroupPolicyCommand, DeleteUserPolicyCommand, DetachGroupPolicyCommand, DetachRolePolicyCommand, DetachUserPolicyCommand,
  GetAccountPasswordPolicyCommand, GetUserCommand, PutGroupPolicyCommand, PutRolePolicyCommand, PutUserPermissionsBoundaryCommand,
  PutUserPolicyCommand, RemoveUserFromGroupCommand, SetDefaultPolicyVersionCommand, TagUserCommand, UntagUserCommand, UpdateAccessKeyCommand,
  UpdateAccountPasswordPolicyCommand, UpdateAssumeRolePolicyCommand, UpdateUserCommand, type IAMClient,
} from '@aws-sdk/client-iam';
import { AssumeRoleCommand, GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { iamClient, sdkError, stsClient, type StaticCredentials } from './helpers/aws-clients.js';
import { E2E_ACCOUNT_ID, startTestCastellan, type TestCastellan } from './helpers/castellan.js';
import { createUserWithKey } from './helpers/iam-users.js';

const A = `arn:aws:iam::${E2E_ACCOUNT_ID}`;
const doc = (...statements: object[]) => JSON.stringify({ Version: '2012-10-17', Statement: statements });
const ALLOW_GET_USER = doc({ Effect: 'Allow', Action: 'iam:GetUser', Resource: '*' });
const ALLOW_OTHER = doc({ Effect: 'Allow', Action: 'iam:ListUsers', Resource: '*' });

/** What a case works with: the root's client, its own user (with a key) and a name prefix for what it creates. */
interface Env {
  root: IAMClient;
  user: string;
  key: StaticCredentials;
  name: (suffix: string) => string;
  /** Set by `grant` when the probe runs as a role session. */
  session?: StaticCredentials;
  role?: string;
}

/** A change, and how the next call shows it. */
interface Case {
  name: string;
  /** Gives the case's user what the probe needs, in the way the change takes away. */
  grant(env: Env): Promise<void>;
  /** The call made warm before the change and once right after it; resolves with what it answered. */
  probe(env: Env): Promise<unknown>;
  change(env: Env): Promise<void>;
  /** Before the change: a check of the warm probe's answer (that the change has something to undo). */
  warm?: (answer: unknown) => void;
  /** After the change: the error the probe gets, or a check of its answer. */
  then: { error: string } | { answer: (answer: unknown, env: Env) => void };
}

const getSelf = (credentials: (env: Env) => StaticCredentials) => (env: Env) => iamClient(url, credentials(env)).send(new GetUserCommand({ UserName: env.user }));
const asUser = getSelf((env) => env.key);
const asSession = getSelf((env) => env.session!);
const callerIdentity = (env: Env) => stsClient(url, env.key).send(new GetCallerIdentityCommand({}));
/** GetUser of the case's user by itself (granted by `allowGetUser`): what it answers. */
const ownUser = async (env: Env) => (await asUser(env)).User!;
const allowGetUser = async (env: Env) => void (await env.root.send(new PutUserPolicyCommand({ UserName: env.user, PolicyName: 'p', PolicyDocument: ALLOW_GET_USER })));
const PASSWORD = 'Hot-path-passw0rd!';

async function managed(env: Env, suffix: string, document: string): Promise<string> {
  return (await env.root.send(new CreatePolicyCommand({ PolicyName: env.name(suffix), PolicyDocument: document }))).Policy!.Arn!;
}

/**
 * A role whose trust policy names the case's user (enough within one account), allowed iam:GetUser
 * by its inline policy `p` or by the managed policy `attach`, and a session of it in `env.session`.
 */
async function roleSession(env: Env, attach?: string): Promise<void> {
  env.role = env.name('role');
  await env.root.send(new CreateRoleCommand({ RoleName: env.role, AssumeRolePolicyDocument: doc({ Effect: 'Allow', Principal: { AWS: `${A}:user/${env.user}` }, Action: 'sts:AssumeRole' }) }));
  if (attach) await env.root.send(new AttachRolePolicyCommand({ RoleName: env.role, PolicyArn: attach }));
  else await env.root.send(new PutRolePolicyCommand({ RoleName: env.role, PolicyName: 'p', PolicyDocument: ALLOW_GET_USER }));
  const { Credentials: c } = await stsClient(url, env.key).send(new AssumeRoleCommand({ RoleArn: `${A}:role/${env.role}`, RoleSessionName: 'sess' }));
  env.session = { accessKeyId: c!.AccessKeyId!, secretAccessKey: c!.SecretAccessKey!, sessionToken: c!.SessionToken! };
}

const CASES: Case[] = [
  {
    name: 'access key deactivated',
    grant: async () => {},
    probe: callerIdentity,
    change: (env) => env.root.send(new UpdateAccessKeyCommand({ UserName: env.user, AccessKeyId: env.key.accessKeyId, Status: 'Inactive' })).then(() => {}),
    then: { error: 'InvalidClientTokenId' },
  },
  {
    name: 'access key deleted',
    grant: async () => {},
    probe: callerIdentity,
    change: (env) => env.root.send(new DeleteAccessKeyCommand({ UserName: env.user, AccessKeyId: env.key.accessKeyId })).then(() => {}),
    then: { error: 'InvalidClientTokenId' },
  },
  {
    name: 'managed policy detached from the user',
    grant: async (env) => void (await env.root.send(new AttachUserPolicyCommand({ UserName: env.user, PolicyArn: await managed(env, 'p', ALLOW_GET_USER) }))),
    probe: asUser,
    change: async (env) => void (await env.root.send(new DetachUserPolicyCommand({ UserName: env.user, PolicyArn: `${A}:policy/${env.name('p')}` }))),
    then: { error: 'AccessDenied' },
  },
  {
    name: 'inline policy deleted',
    grant: async (env) => void (await env.root.send(new PutUserPolicyCommand({ UserName: env.user, PolicyName: 'p', PolicyDocument: ALLOW_GET_USER }))),
    probe: asUser,
    change: async (env) => void (await env.root.send(new DeleteUserPolicyCommand({ UserName: env.user, PolicyName: 'p' }))),
    then: { error: 'AccessDenied' },
  },
  {
    name: 'inline Deny added',
    grant: async (env) => void (await env.root.send(new PutUserPolicyCommand({ UserName: env.user, PolicyName: 'p', PolicyDocument: ALLOW_GET_USER }))),
    probe: asUser,
    change: async (env) => void (await env.root.send(new PutUserPolicyCommand({ UserName: env.user, PolicyName: 'deny', PolicyDocument: doc({ Effect: 'Deny', Action: 'iam:*', Resource: '*' }) }))),
    then: { error: 'AccessDenied' },
  },
  {
    name: 'new default policy version',
    grant: async (env) => void (await env.root.send(new AttachUserPolicyCommand({ UserName: env.user, PolicyArn: await managed(env, 'p', ALLOW_GET_USER) }))),
    probe: asUser,
    change: async (env) => void (await env.root.send(new CreatePolicyVersionCommand({ PolicyArn: `${A}:policy/${env.name('p')}`, PolicyDocument: ALLOW_OTHER, SetAsDefault: true }))),
    then: { error: 'AccessDenied' },
  },
  {
    name: 'older default policy version set',
    grant: async (env) => {
      const arn = await managed(env, 'p', ALLOW_OTHER);
      await env.root.send(new CreatePolicyVersionCommand({ PolicyArn: arn, PolicyDocument: ALLOW_GET_USER, SetAsDefault: true }));
      await env.root.send(new AttachUserPolicyCommand({ UserName: env.user, PolicyArn: arn }));
    },
    probe: asUser,
    change: async (env) => void (await env.root.send(new SetDefaultPolicyVersionCommand({ PolicyArn: `${A}:policy/${env.name('p')}`, VersionId: 'v1' }))),
    then: { error: 'AccessDenied' },
  },
  {
    name: 'user removed from the granting group',
    grant: async (env) => {
      await env.root.send(new CreateGroupCommand({ GroupName: env.name('g') }));
      await env.root.send(new PutGroupPolicyCommand({ GroupName: env.name('g'), PolicyName: 'p', PolicyDocument: ALLOW_GET_USER }));
      await env.root.send(new AddUserToGroupCommand({ GroupName: env.name('g'), UserName: env.user }));
    },
    probe: asUser,
    change: async (env) => void (await env.root.send(new RemoveUserFromGroupCommand({ GroupName: env.name('g'), UserName: env.user }))),
    then: { error: 'AccessDenied' },
  },
  {
    name: "group's inline policy deleted",
    grant: async (env) => {
      await env.root.send(new CreateGroupCommand({ GroupName: env.name('g') }));
      await env.root.send(new PutGroupPolicyCommand({ GroupName: env.name('g'), PolicyName: 'p', PolicyDocument: ALLOW_GET_USER }));
      await env.root.send(new AddUserToGroupCommand({ GroupName: env.name('g'), UserName: env.user }));
    },
    probe: asUser,
    change: async (env) => void (await env.root.send(new DeleteGroupPolicyCommand({ GroupName: env.name('g'), PolicyName: 'p' }))),
    then: { error: 'AccessDenied' },
  },
  {
    name: "group's managed policy detached",
    grant: async (env) => {
      await env.root.send(new CreateGroupCommand({ GroupName: env.name('g') }));
      await env.root.send(new AttachGroupPolicyCommand({ GroupName: env.name('g'), PolicyArn: await managed(env, 'p', ALLOW_GET_USER) }));
      await env.root.send(new AddUserToGroupCommand({ GroupName: env.name('g'), UserName: env.user }));
    },
    probe: asUser,
    change: async (env) => void (await env.root.send(new DetachGroupPolicyCommand({ GroupName: env.name('g'), PolicyArn: `${A}:policy/${env.name('p')}` }))),
    then: { error: 'AccessDenied' },
  },
  {
    name: 'permissions boundary set',
    grant: async (env) => void (await env.root.send(new PutUserPolicyCommand({ UserName: env.user, PolicyName: 'p', PolicyDocument: ALLOW_GET_USER }))),
    probe: asUser,
    change: async (env) => void (await env.root.send(new PutUserPermissionsBoundaryCommand({ UserName: env.user, PermissionsBoundary: await managed(env, 'b', ALLOW_OTHER) }))),
    then: { error: 'AccessDenied' },
  },
  {
    name: 'principal tag removed',
    grant: async (env) => {
      await env.root.send(new PutUserPolicyCommand({ UserName: env.user, PolicyName: 'p', PolicyDocument: doc({ Effect: 'Allow', Action: 'iam:GetUser', Resource: '*', Condition: { StringEquals: { 'aws:PrincipalTag/team': 'platform' } } }) }));
      await env.root.send(new TagUserCommand({ UserName: env.user, Tags: [{ Key: 'team', Value: 'platform' }] }));
    },
    probe: asUser,
    change: async (env) => void (await env.root.send(new UntagUserCommand({ UserName: env.user, TagKeys: ['team'] }))),
    then: { error: 'AccessDenied' },
  },
  {
    name: 'principal tag changed',
    grant: async (env) => {
      await env.root.send(new PutUserPolicyCommand({ UserName: env.user, PolicyName: 'p', PolicyDocument: doc({ Effect: 'Allow', Action: 'iam:GetUser', Resource: '*', Condition: { StringEquals: { 'aws:PrincipalTag/team': 'platform' } } }) }));
      await env.root.send(new TagUserCommand({ UserName: env.user, Tags: [{ Key: 'team', Value: 'platform' }] }));
    },
    probe: asUser,
    change: async (env) => void (await env.root.send(new TagUserCommand({ UserName: env.user, Tags: [{ Key: 'team', Value: 'sales' }] }))),
    then: { error: 'AccessDenied' },
  },
  {
    name: 'user renamed',
    grant: async () => {},
    probe: callerIdentity,
    change: async (env) => void (await env.root.send(new UpdateUserCommand({ UserName: env.user, NewUserName: `${env.user}-renamed`, NewPath: '/moved/' }))),
    then: { answer: (answer, env) => expect((answer as { Arn?: string }).Arn).toBe(`${A}:user/moved/${env.user}-renamed`) },
  },
  {
    name: "account's password policy no longer lets users read it",
    grant: async (env) => void (await env.root.send(new UpdateAccountPasswordPolicyCommand({ MinimumPasswordLength: 12, AllowUsersToChangePassword: true }))),
    probe: (env) => iamClient(url, env.key).send(new GetAccountPasswordPolicyCommand({})),
    change: async (env) => void (await env.root.send(new UpdateAccountPasswordPolicyCommand({ MinimumPasswordLength: 12, AllowUsersToChangePassword: false }))),
    then: { error: 'AccessDenied' },
  },
  {
    name: "role sessions revoked (the role's inline Deny on aws:TokenIssueTime)",
    grant: (env) => roleSession(env),
    probe: asSession,
    change: async (env) => void (await env.root.send(new PutRolePolicyCommand({
      RoleName: env.role!, PolicyName: 'AWSRevokeOlderSessions',
      PolicyDocument: doc({ Effect: 'Deny', Action: '*', Resource: '*', Condition: { DateLessThan: { 'aws:TokenIssueTime': new Date(Date.now() + 60_000).toISOString() } } }),
    }))),
    then: { error: 'AccessDenied' },
  },
  {
    name: "managed policy detached from a session's role",
    grant: async (env) => roleSession(env, await managed(env, 'p', ALLOW_GET_USER)),
    probe: asSession,
    change: async (env) => void (await env.root.send(new DetachRolePolicyCommand({ RoleName: env.role!, PolicyArn: `${A}:policy/${env.name('p')}` }))),
    then: { error: 'AccessDenied' },
  },
  {
    name: 'role trust no longer names the user',
    grant: (env) => roleSession(env),
    probe: (env) => stsClient(url, env.key).send(new AssumeRoleCommand({ RoleArn: `${A}:role/${env.role}`, RoleSessionName: 'sess' })),
    change: async (env) => void (await env.root.send(new UpdateAssumeRolePolicyCommand({ RoleName: env.role!, PolicyDocument: doc({ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }) }))),
    then: { error: 'AccessDenied' },
  },
  // GetUser answers from the cache of users read by name: each change to what it answers shows at once.
  {
    name: "GetUser answer: the user's tag added",
    grant: allowGetUser,
    probe: ownUser,
    change: async (env) => void (await env.root.send(new TagUserCommand({ UserName: env.user, Tags: [{ Key: 'team', Value: 'sales' }] }))),
    then: { answer: (answer) => expect((answer as { Tags?: unknown }).Tags).toEqual([{ Key: 'team', Value: 'sales' }]) },
  },
  {
    name: "GetUser answer: the user's tag removed",
    grant: async (env) => {
      await allowGetUser(env);
      await env.root.send(new TagUserCommand({ UserName: env.user, Tags: [{ Key: 'team', Value: 'sales' }] }));
    },
    probe: ownUser,
    change: async (env) => void (await env.root.send(new UntagUserCommand({ UserName: env.user, TagKeys: ['team'] }))),
    warm: (answer) => expect((answer as { Tags?: unknown }).Tags).toEqual([{ Key: 'team', Value: 'sales' }]),
    then: { answer: (answer) => expect((answer as { Tags?: unknown }).Tags).toBeUndefined() },
  },
  {
    name: 'GetUser answer: the user moved to another path',
    grant: allowGetUser,
    probe: ownUser,
    change: async (env) => void (await env.root.send(new UpdateUserCommand({ UserName: env.user, NewPath: '/moved/' }))),
    then: { answer: (answer, env) => expect(answer).toMatchObject({ Path: '/moved/', Arn: `${A}:user/moved/${env.user}` }) },
  },
  {
    name: 'GetUser answer: a permissions boundary set',
    grant: allowGetUser,
    probe: ownUser,
    change: async (env) => void (await env.root.send(new PutUserPermissionsBoundaryCommand({ UserName: env.user, PermissionsBoundary: await managed(env, 'b', ALLOW_GET_USER) }))),
    then: { answer: (answer, env) => expect((answer as { PermissionsBoundary?: unknown }).PermissionsBoundary).toEqual({ PermissionsBoundaryType: 'PermissionsBoundaryPolicy', PermissionsBoundaryArn: `${A}:policy/${env.name('b')}` }) },
  },
  {
    name: 'GetUser answer: the permissions boundary removed',
    grant: async (env) => {
      await allowGetUser(env);
      await env.root.send(new PutUserPermissionsBoundaryCommand({ UserName: env.user, PermissionsBoundary: await managed(env, 'b', ALLOW_GET_USER) }));
    },
    probe: ownUser,
    change: async (env) => void (await env.root.send(new DeleteUserPermissionsBoundaryCommand({ UserName: env.user }))),
    warm: (answer) => expect((answer as { PermissionsBoundary?: unknown }).PermissionsBoundary).toBeDefined(),
    then: { answer: (answer) => expect((answer as { PermissionsBoundary?: unknown }).PermissionsBoundary).toBeUndefined() },
  },
  {
    name: 'GetUser answer: the password used to sign in to the console',
    grant: async (env) => {
      await allowGetUser(env);
      await env.root.send(new CreateLoginProfileCommand({ UserName: env.user, Password: PASSWORD }));
    },
    probe: ownUser,
    change: async (env) => {
      const res = await fetch(`${url}/signin`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ account: E2E_ACCOUNT_ID, userName: env.user, password: PASSWORD }) });
      expect(res.status).toBe(200);
    },
    then: { answer: (answer) => expect((answer as { PasswordLastUsed?: unknown }).PasswordLastUsed).toBeInstanceOf(Date) },
  },
  {
    name: 'GetUser answer: another user, deleted',
    grant: async (env) => {
      await allowGetUser(env);
      await env.root.send(new CreateUserCommand({ UserName: env.name('other') }));
    },
    probe: (env) => iamClient(url, env.key).send(new GetUserCommand({ UserName: env.name('other') })),
    change: async (env) => void (await env.root.send(new DeleteUserCommand({ UserName: env.name('other') }))),
    then: { error: 'NoSuchEntityException' },
  },
];

let url: string;

describe('hot path caches: every change reaches the next call', () => {
  let s: TestCastellan;
  let root: IAMClient;
  beforeAll(async () => {
    s = await startTestCastellan();
    url = s.url;
    root = s.iam();
  });
  afterAll(() => s?.dispose());

  CASES.forEach((c, i) => {
    it(c.name, async () => {
      // Given a user with a key, granted what the probe needs
      const user = `hot${i}`;
      const env: Env = { root, user, key: await createUserWithKey(root, user), name: (suffix) => `${user}-${suffix}` };
      await c.grant(env);
      // and warm: its key and policies are served from the caches
      await c.probe(env);
      c.warm?.(await c.probe(env));

      // When the change answers
      await c.change(env);

      // Then the very next call sees it
      if ('error' in c.then) expect((await sdkError(() => c.probe(env))).name).toBe(c.then.error);
      else c.then.answer(await c.probe(env), env);
    });
  });
});
