/**
 * sts:AssumeRole decided with the role's tags, as on AWS: the Service Authorization Reference gives
 * AssumeRole the condition key `iam:ResourceTag/${TagKey}`, and the `role` resource type
 * `aws:ResourceTag/${TagKey}` and `iam:ResourceTag/${TagKey}`. So a caller's Deny on a tag holds,
 * the IAM User Guide's "Assume roles that have a specific tag" Allow grants, sts:TagSession and
 * the trust policy see the same keys, and an unknown role is refused as before. Through the SDK
 * and the AWS CLI.
 */
import { CreateRoleCommand, TagRoleCommand, UntagRoleCommand, type IAMClient } from '@aws-sdk/client-iam';
import { AssumeRoleCommand, type AssumeRoleCommandInput } from '@aws-sdk/client-sts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { awsCliJson } from './helpers/aws-cli.js';
import { sdkError, stsClient, type StaticCredentials } from './helpers/aws-clients.js';
import { E2E_ACCOUNT_ID, startTestCastellan, type TestCastellan } from './helpers/castellan.js';
import { createUserWithKey } from './helpers/iam-users.js';

const A = `arn:aws:iam::${E2E_ACCOUNT_ID}`;
const policy = (...statements: object[]) => JSON.stringify({ Version: '2012-10-17', Statement: statements });
/** A trust policy that leaves the decision to the caller's own policies (same account). */
const TRUST_ACCOUNT = policy({ Effect: 'Allow', Principal: { AWS: E2E_ACCOUNT_ID }, Action: ['sts:AssumeRole', 'sts:TagSession'] });

describe('AssumeRole with the role\u2019s tags', () => {
  let s: TestCastellan;
  let root: IAMClient;
  /** Allowed sts:AssumeRole on any role, denied on roles tagged env=prod (the reviewer's case). */
  let denier: StaticCredentials;
  /** The IAM User Guide's example (reference_policies_examples_iam-assume-tagged-role), nothing else. */
  let abac: StaticCredentials;

  const assume = (who: StaticCredentials, input: Omit<AssumeRoleCommandInput, 'RoleSessionName'>) =>
    stsClient(s.url, who).send(new AssumeRoleCommand({ RoleSessionName: 's1', ...input }));
  const cliAssume = (who: StaticCredentials, roleArn: string) => awsCliJson(s.url, who, 'sts', 'assume-role', '--role-arn', roleArn, '--role-session-name', 's1');
  const role = async (name: string, tags: Array<{ Key: string; Value: string }>, trust = TRUST_ACCOUNT, path = '/') =>
    (await root.send(new CreateRoleCommand({ RoleName: name, Path: path, AssumeRolePolicyDocument: trust, Tags: tags }))).Role!.Arn!;

  beforeAll(async () => {
    s = await startTestCastellan();
    root = s.iam();
    denier = await createUserWithKey(root, 'denier', policy(
      { Effect: 'Allow', Action: ['sts:AssumeRole', 'sts:TagSession'], Resource: '*' },
      { Effect: 'Deny', Action: 'sts:AssumeRole', Resource: '*', Condition: { StringEquals: { 'iam:ResourceTag/env': 'prod' } } },
    ));
    abac = await createUserWithKey(root, 'abac', policy(
      { Sid: 'AssumeTaggedRole', Effect: 'Allow', Action: 'sts:AssumeRole', Resource: '*', Condition: { StringEquals: { 'iam:ResourceTag/Project': 'ExampleCorpABC' } } },
    ));
  });
  afterAll(() => s?.dispose());

  it('a Deny on iam:ResourceTag/env = prod in the caller\u2019s policy refuses the prod role, not another (SDK and CLI)', async () => {
    const prod = await role('deny-prod', [{ Key: 'env', Value: 'prod' }]);
    const dev = await role('deny-dev', [{ Key: 'env', Value: 'dev' }], TRUST_ACCOUNT, '/team/');
    expect(await sdkError(() => assume(denier, { RoleArn: prod }))).toMatchObject({
      name: 'AccessDenied',
      status: 403,
      message: `User: ${A}:user/denier is not authorized to perform: sts:AssumeRole on resource: ${prod} with an explicit deny in an identity-based policy`,
    });
    expect((await assume(denier, { RoleArn: dev })).AssumedRoleUser!.Arn).toBe(`arn:aws:sts::${E2E_ACCOUNT_ID}:assumed-role/deny-dev/s1`);

    const cliProd = await cliAssume(denier, prod);
    expect(cliProd.ok).toBe(false);
    if (!cliProd.ok) expect(cliProd.err).toContain('(AccessDenied) when calling the AssumeRole operation');
    if (!cliProd.ok) expect(cliProd.err).toContain('with an explicit deny in an identity-based policy');
    const cliDev = await cliAssume(denier, dev);
    expect(cliDev.ok && cliDev.out.AssumedRoleUser.Arn).toBe(`arn:aws:sts::${E2E_ACCOUNT_ID}:assumed-role/deny-dev/s1`);
  });

  it('aws:ResourceTag/<key> works the same as iam:ResourceTag/<key>', async () => {
    const arn = await role('aws-key', [{ Key: 'tier', Value: 'gold' }]);
    const user = await createUserWithKey(root, 'awskey', policy({ Effect: 'Allow', Action: 'sts:AssumeRole', Resource: '*', Condition: { StringEquals: { 'aws:ResourceTag/tier': 'gold' } } }));
    expect((await assume(user, { RoleArn: arn })).AssumedRoleUser!.Arn).toContain('assumed-role/aws-key/');
    await root.send(new TagRoleCommand({ RoleName: 'aws-key', Tags: [{ Key: 'tier', Value: 'silver' }] }));
    expect(await sdkError(() => assume(user, { RoleArn: arn }))).toMatchObject({ name: 'AccessDenied', message: expect.stringContaining('because no identity-based policy allows the sts:AssumeRole action') });
  });

  it('the documented ABAC Allow (iam:ResourceTag/Project) grants the tagged role only, and follows a tag change at once (SDK and CLI)', async () => {
    const tagged = await role('abac-tagged', [{ Key: 'Project', Value: 'ExampleCorpABC' }]);
    const other = await role('abac-other', [{ Key: 'Project', Value: 'Other' }]);
    expect((await assume(abac, { RoleArn: tagged })).AssumedRoleUser!.Arn).toBe(`arn:aws:sts::${E2E_ACCOUNT_ID}:assumed-role/abac-tagged/s1`);
    const cli = await cliAssume(abac, tagged);
    expect(cli.ok && cli.out.AssumedRoleUser.Arn).toBe(`arn:aws:sts::${E2E_ACCOUNT_ID}:assumed-role/abac-tagged/s1`);
    expect(await sdkError(() => assume(abac, { RoleArn: other }))).toMatchObject({ name: 'AccessDenied', status: 403 });
    const cliOther = await cliAssume(abac, other);
    expect(cliOther.ok).toBe(false);

    // The tag removed, the next call is refused; put back, allowed again.
    await root.send(new UntagRoleCommand({ RoleName: 'abac-tagged', TagKeys: ['Project'] }));
    expect(await sdkError(() => assume(abac, { RoleArn: tagged }))).toMatchObject({ name: 'AccessDenied', status: 403 });
    await root.send(new TagRoleCommand({ RoleName: 'abac-tagged', Tags: [{ Key: 'Project', Value: 'ExampleCorpABC' }] }));
    expect((await assume(abac, { RoleArn: tagged })).AssumedRoleUser!.Arn).toContain('assumed-role/abac-tagged/');
  });

  it('an unknown role, or the right name at another path, is the same AccessDenied as before, whatever the policy says of tags', async () => {
    await role('abac-path', [{ Key: 'Project', Value: 'ExampleCorpABC' }], TRUST_ACCOUNT, '/p/');
    for (const arn of [`${A}:role/no-such-role`, `${A}:role/abac-path`]) {
      expect(await sdkError(() => assume(abac, { RoleArn: arn }))).toMatchObject({
        name: 'AccessDenied',
        message: `User: ${A}:user/abac is not authorized to perform: sts:AssumeRole on resource: ${arn} because no identity-based policy allows the sts:AssumeRole action`,
      });
      expect(await sdkError(() => assume(denier, { RoleArn: arn }))).toMatchObject({
        name: 'AccessDenied',
        message: `User: ${A}:user/denier is not authorized to perform: sts:AssumeRole on resource: ${arn}`,
      });
    }
  });

  it('sts:TagSession is decided on the role with its tags too', async () => {
    const arn = await role('tag-session', [{ Key: 'env', Value: 'prod' }]);
    const user = await createUserWithKey(root, 'tagger', policy(
      { Effect: 'Allow', Action: ['sts:AssumeRole', 'sts:TagSession'], Resource: '*' },
      { Effect: 'Deny', Action: 'sts:TagSession', Resource: '*', Condition: { StringEquals: { 'aws:ResourceTag/env': 'prod' } } },
    ));
    expect((await assume(user, { RoleArn: arn })).AssumedRoleUser!.Arn).toContain('assumed-role/tag-session/');
    expect(await sdkError(() => assume(user, { RoleArn: arn, Tags: [{ Key: 'dept', Value: 'eng' }] }))).toMatchObject({
      name: 'AccessDenied',
      message: `User: ${A}:user/tagger is not authorized to perform: sts:TagSession on resource: ${arn} with an explicit deny in an identity-based policy`,
    });
  });

  it('the trust policy sees the role\u2019s tags', async () => {
    const trust = policy({ Effect: 'Allow', Principal: { AWS: `${A}:user/denier` }, Action: 'sts:AssumeRole', Condition: { StringEquals: { 'aws:ResourceTag/open': 'yes' } } });
    const arn = await role('trust-tags', [{ Key: 'open', Value: 'yes' }], trust);
    expect((await assume(denier, { RoleArn: arn })).AssumedRoleUser!.Arn).toContain('assumed-role/trust-tags/');
    await root.send(new UntagRoleCommand({ RoleName: 'trust-tags', TagKeys: ['open'] }));
    expect(await sdkError(() => assume(denier, { RoleArn: arn }))).toMatchObject({ name: 'AccessDenied', status: 403 });
  });
});
