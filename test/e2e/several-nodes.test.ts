/**
 * Several `castellan serve` nodes on one PostgreSQL schema (issue 11): a change made through one
 * node applies on the other within about a second, whatever either keeps in memory. Each node is
 * a full server (its own pool, listener and change feed) sharing only the database and the master
 * key with the other, as separate processes would.
 *
 * It is about PostgreSQL whichever dialect the e2e project runs, so it runs once, in `e2e`.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  AttachUserPolicyCommand, CreatePolicyCommand, CreateRoleCommand, CreateSAMLProviderCommand, CreateUserCommand, DetachUserPolicyCommand,
  ListUsersCommand, PutUserPolicyCommand, TagRoleCommand, UntagRoleCommand, UpdateAccessKeyCommand,
} from '@aws-sdk/client-iam';
import { AssumeRoleCommand, AssumeRoleWithSAMLCommand, GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { testSamlIdp } from '../../packages/server/src/services/sts/test-saml-idp.js';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveConfig, startCastellan, type CastellanServer } from '@castellan/server';
import { dropSchema, E2E_POSTGRES_URL } from './helpers/postgres.js';
import { iamClient, sdkError, stsClient } from './helpers/aws-clients.js';
import { E2E_ACCOUNT_ID, E2E_DIALECT, E2E_ROOT } from './helpers/castellan.js';
import { createAccessKey } from './helpers/iam-users.js';


/** Retries `probe` until it passes or `withinMs` has gone by; answers how long it took. */
async function eventually(probe: () => Promise<void>, withinMs: number): Promise<number> {
  const started = Date.now();
  for (;;) {
    try {
      await probe();
      return Date.now() - started;
    } catch (err) {
      if (Date.now() - started > withinMs) throw err;
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}

describe.skipIf(E2E_DIALECT === 'postgres')('several nodes on one PostgreSQL', () => {
  const schema = `e2e_nodes_${randomBytes(6).toString('hex')}`;
  const masterKey = randomBytes(32).toString('hex');
  const nodes: CastellanServer[] = [];
  const dirs: string[] = [];

  beforeAll(async () => {
    // Both nodes start at once on the empty schema.
    for (let i = 0; i < 2; i++) dirs.push(await mkdtemp(join(tmpdir(), 'castellan-e2e-node-')));
    nodes.push(...await Promise.all(dirs.map((dataDir) => {
      const resolved = resolveConfig([{
        host: '127.0.0.1', port: 0, dataDir, databaseUrl: E2E_POSTGRES_URL, masterKey, accountId: E2E_ACCOUNT_ID,
        rootAccessKeyId: E2E_ROOT.accessKeyId, rootSecretAccessKey: E2E_ROOT.secretAccessKey, logLevel: 'silent', trailExportMinutes: 0,
      }]);
      if (!resolved.ok) throw new Error(JSON.stringify(resolved.problems));
      return startCastellan(resolved.config, { postgresSchema: schema, logger: pino({ level: 'silent' }) });
    })));
  });

  afterAll(async () => {
    await Promise.all(nodes.map((n) => n.close()));
    for (const dir of dirs) await rm(dir, { recursive: true, force: true });
    await dropSchema(schema);
  });

  it('a detached policy and a deactivated key stop working on every node within a second', async () => {
    const [a, b] = nodes as [CastellanServer, CastellanServer];
    const rootA = iamClient(a.url, E2E_ROOT);
    // Given alice, allowed ListUsers by an attached managed policy, with an access key
    await rootA.send(new CreateUserCommand({ UserName: 'alice' }));
    const policy = await rootA.send(new CreatePolicyCommand({
      PolicyName: 'list-users',
      PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'iam:ListUsers', Resource: '*' }] }),
    }));
    await rootA.send(new AttachUserPolicyCommand({ UserName: 'alice', PolicyArn: policy.Policy!.Arn! }));
    const alice = await createAccessKey(rootA, 'alice');

    // And both nodes have served her (whatever they cache of her key and policies is warm)
    for (const node of [a, b]) {
      expect((await iamClient(node.url, alice).send(new ListUsersCommand({}))).Users?.map((u) => u.UserName)).toContain('alice');
      expect((await stsClient(node.url, alice).send(new GetCallerIdentityCommand({}))).Arn).toBe(`arn:aws:iam::${E2E_ACCOUNT_ID}:user/alice`);
    }

    // When the policy is detached through node A
    await rootA.send(new DetachUserPolicyCommand({ UserName: 'alice', PolicyArn: policy.Policy!.Arn! }));

    // Then A refuses at once, and B within a second
    expect(await sdkError(() => iamClient(a.url, alice).send(new ListUsersCommand({})))).toMatchObject({ name: 'AccessDenied', status: 403 });
    await eventually(async () => {
      expect(await sdkError(() => iamClient(b.url, alice).send(new ListUsersCommand({})))).toMatchObject({ name: 'AccessDenied', status: 403 });
    }, 1_000);

    // When her key is deactivated through node B
    await iamClient(b.url, E2E_ROOT).send(new UpdateAccessKeyCommand({ UserName: 'alice', AccessKeyId: alice.accessKeyId, Status: 'Inactive' }));

    // Then B refuses it at once, and A within a second
    expect(await sdkError(() => stsClient(b.url, alice).send(new GetCallerIdentityCommand({})))).toMatchObject({ name: 'InvalidClientTokenId', status: 403 });
    await eventually(async () => {
      expect(await sdkError(() => stsClient(a.url, alice).send(new GetCallerIdentityCommand({})))).toMatchObject({ name: 'InvalidClientTokenId', status: 403 });
    }, 1_000);
  });

  it('a role tag changed through one node decides the next AssumeRole on the other (no node keeps the role\'s tags)', async () => {
    const [a, b] = nodes as [CastellanServer, CastellanServer];
    const rootA = iamClient(a.url, E2E_ROOT);
    const trust = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: E2E_ACCOUNT_ID }, Action: 'sts:AssumeRole' }] });
    const roleArn = (await rootA.send(new CreateRoleCommand({ RoleName: 'NodesTagged', AssumeRolePolicyDocument: trust, Tags: [{ Key: 'env', Value: 'dev' }] }))).Role!.Arn!;
    await rootA.send(new CreateUserCommand({ UserName: 'nodes-ar' }));
    await rootA.send(new PutUserPolicyCommand({
      UserName: 'nodes-ar',
      PolicyName: 'p',
      PolicyDocument: JSON.stringify({ Version: '2012-10-17', Statement: [
        { Effect: 'Allow', Action: 'sts:AssumeRole', Resource: '*' },
        { Effect: 'Deny', Action: 'sts:AssumeRole', Resource: '*', Condition: { StringEquals: { 'iam:ResourceTag/env': 'prod' } } },
      ] }),
    }));
    const user = await createAccessKey(rootA, 'nodes-ar');
    const assume = (url: string) => stsClient(url, user).send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: 's1' }));
    // Both nodes have assumed it (whatever they keep of the role is warm)
    for (const node of [a, b]) expect((await assume(node.url)).AssumedRoleUser!.Arn).toContain('assumed-role/NodesTagged/s1');

    // When the role is tagged env=prod through A, B refuses at once; untagged through B, A allows at once
    await rootA.send(new TagRoleCommand({ RoleName: 'NodesTagged', Tags: [{ Key: 'env', Value: 'prod' }] }));
    expect(await sdkError(() => assume(b.url))).toMatchObject({ name: 'AccessDenied', message: expect.stringContaining('with an explicit deny in an identity-based policy') });
    await iamClient(b.url, E2E_ROOT).send(new UntagRoleCommand({ RoleName: 'NodesTagged', TagKeys: ['env'] }));
    expect((await assume(a.url)).AssumedRoleUser!.Arn).toContain('assumed-role/NodesTagged/s1');
  });

  it('every node shares one change feed on the schema: a change published on one is heard on the other', async () => {
    const [a, b] = nodes as [CastellanServer, CastellanServer];
    expect(a.changes).toBeDefined();
    const heard: unknown[] = [];
    const unsubscribe = b.changes!.subscribe((change) => heard.push(change));
    try {
      const change = { scope: 'principal', accountId: E2E_ACCOUNT_ID, key: `arn:aws:iam::${E2E_ACCOUNT_ID}:user/alice` } as const;
      await a.changes!.publish([change]);
      await eventually(async () => expect(heard).toContainEqual(change), 1_000);
    } finally {
      unsubscribe();
    }
  });
  it('a SAML assertion used on one node is refused as a replay on the other', async () => {
    const [a, b] = nodes as [CastellanServer, CastellanServer];
    const idp = testSamlIdp();
    const rootA = iamClient(a.url, E2E_ROOT);
    const providerArn = (await rootA.send(new CreateSAMLProviderCommand({ Name: 'Nodes', SAMLMetadataDocument: idp.metadata }))).SAMLProviderArn!;
    const trust = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Federated: providerArn }, Action: 'sts:AssumeRoleWithSAML' }] });
    const roleArn = (await rootA.send(new CreateRoleCommand({ RoleName: 'NodesSaml', AssumeRolePolicyDocument: trust }))).Role!.Arn!;
    const unsigned = (url: string) => new STSClient({ endpoint: url, region: 'us-east-1', maxAttempts: 1, credentials: async () => { throw new Error('unsigned call'); } });
    const assertion = idp.response({ roles: [[roleArn, providerArn]] });
    const call = new AssumeRoleWithSAMLCommand({ RoleArn: roleArn, PrincipalArn: providerArn, SAMLAssertion: assertion });
    expect((await unsigned(a.url).send(call)).AssumedRoleUser!.Arn).toContain('assumed-role/NodesSaml/');
    expect(await sdkError(() => unsigned(b.url).send(call))).toMatchObject({ name: 'InvalidIdentityTokenException', message: expect.stringContaining('already been used') });
  });
});
