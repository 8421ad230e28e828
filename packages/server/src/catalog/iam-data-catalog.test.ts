import { beforeAll, describe, expect, it } from 'vitest';
import { parsePolicy } from '@castellan/policy';
import { formatResourceArn, loadIamDataCatalog, type IamDataCatalog } from './iam-data-catalog.js';

let catalog: IamDataCatalog;
beforeAll(async () => {
  catalog = await loadIamDataCatalog();
}, 30_000);

describe('the iam-data catalogue adapter', () => {
  it('knows services and actions, case-insensitively', () => {
    expect(catalog.hasService('iam') && catalog.hasService('S3') && catalog.hasService('sts')).toBe(true);
    expect(catalog.hasService('nosuchservice')).toBe(false);
    expect(catalog.hasAction('iam', 'createuser') && catalog.hasAction('IAM', 'CreateUser')).toBe(true);
    expect(catalog.hasAction('iam', 'CreateUsers')).toBe(false);
    expect(catalog.actionNames('sts')).toContain('AssumeRole');
    expect(catalog.actionNames('nosuchservice')).toEqual([]);
  });

  it.each([
    ['aws:SourceIp', true],
    ['AWS:sourceip', true],
    ['aws:PrincipalTag/team', true],
    ['aws:RequestTag/Project', true],
    ['aws:NoSuchKey', false],
    ['s3:prefix', true],
    ['s3:NoSuchKey', false],
    ['iam:PermissionsBoundary', true],
    ['iam:ResourceTag/env', true],
    ['ec2:ResourceTag/Name', true],
    ['sts:ExternalId', true],
    ['token.actions.githubusercontent.com:sub', true],
    ['accounts.google.com:aud', true],
    ['nokey', false],
  ])('condition key %s known: %s', (key, known) => {
    expect(catalog.hasConditionKey(key)).toBe(known);
  });

  it("gives an action's resource types and ARN patterns, for authorization", () => {
    const createUser = catalog.action('iam:CreateUser');
    expect(createUser).toMatchObject({ service: 'iam', name: 'CreateUser', accessLevel: 'Write' });
    expect(createUser!.resourceTypes).toEqual([{ name: 'user', required: true, arnPattern: 'arn:${Partition}:iam::${Account}:user/${UserNameWithPath}', conditionKeys: [] }]);
    expect(createUser!.conditionKeys).toContain('iam:PermissionsBoundary');
    expect(catalog.action('iam:listusers')!.resourceTypes).toEqual([]);
    expect(catalog.action('iam:Nope')).toBeUndefined();
    expect(catalog.action('nocolon')).toBeUndefined();
    expect(catalog.action('sts:AssumeRole')!.resourceTypes[0]!.arnPattern).toBe('arn:${Partition}:iam::${Account}:role/${RoleNameWithPath}');
  });

  it("knows Castellan's own actions from its model, for policies and authorization", () => {
    expect(catalog.serviceName('castellan')).toBe('Castellan');
    expect(catalog.actionNames('castellan')).toEqual(expect.arrayContaining(['CreateAccount', 'ListAccounts', 'RegisterWorkload', 'ListWorkloads', 'RevokeWorkload']));
    expect(catalog.action('castellan:listaccounts')).toMatchObject({ service: 'castellan', name: 'ListAccounts', accessLevel: 'List', resourceTypes: [] });
    expect(catalog.action('castellan:RevokeWorkload')!.resourceTypes).toEqual([{ name: 'workload', required: true, arnPattern: 'arn:${Partition}:castellan::${Account}:workload/${WorkloadId}', conditionKeys: [] }]);
    const r = parsePolicy(JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['castellan:CreateAccount', 'castellan:*Workload*', 'castellan:Nope'], Resource: '*' }] }), { kind: 'identity', catalog });
    expect(r.ok && r.warnings.map((w) => w.code)).toEqual(['UnknownAction']);
  });

  it('fills ARN patterns', () => {
    expect(formatResourceArn('arn:${Partition}:iam::${Account}:user/${UserNameWithPath}', { Partition: 'aws', Account: '123456789012', UserNameWithPath: 'team/alice' })).toBe('arn:aws:iam::123456789012:user/team/alice');
    expect(formatResourceArn('arn:${Partition}:s3:::${BucketName}', { Partition: 'aws' })).toBe('arn:aws:s3:::${BucketName}');
  });

  it('plugs into policy validation', () => {
    const r = parsePolicy(JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['iam:CreateUser', 'iam:Create*', 'iam:CreateUzer', 'iamx:Get'], Resource: '*', Condition: { StringEquals: { 'aws:PrincipalTag/team': 'a', 'iam:NoSuch': 'b' } } }] }), { kind: 'identity', catalog });
    expect(r.ok).toBe(true);
    if (r.ok) expect(r.warnings.map((w) => w.code)).toEqual(['UnknownAction', 'UnknownService', 'UnknownConditionKey']);
  });
});
