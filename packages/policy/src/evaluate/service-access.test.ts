import { describe, expect, it } from 'vitest';
import { parsePolicy, statementsGrantingService, type Policy, type Statement } from '../index.js';

/** A small catalogue: the action names of each service. */
const ACTIONS: Record<string, string[]> = {
  s3: ['GetObject', 'PutObject', 'ListBucket'],
  iam: ['GetUser', 'CreateUser'],
  ec2: ['DescribeInstances'],
  s: ['GetObject'],
};

interface Case {
  name: string;
  statements: object[];
  /** The indexes of the statements that grant each service. */
  grants: Record<string, number[]>;
}

const CASES: Case[] = [
  { name: 'an exact action grants its service only', statements: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }], grants: { s3: [0], iam: [], ec2: [] } },
  { name: 'action names are matched case-insensitively', statements: [{ Effect: 'Allow', Action: 'S3:getobject', Resource: '*' }], grants: { s3: [0], iam: [] } },
  { name: '`*` grants every service', statements: [{ Effect: 'Allow', Action: '*', Resource: '*' }], grants: { s3: [0], iam: [0], ec2: [0] } },
  { name: 'a service wildcard', statements: [{ Effect: 'Allow', Action: 'iam:*', Resource: '*' }], grants: { s3: [], iam: [0] } },
  { name: 'a prefix wildcard grants where the service has such an action', statements: [{ Effect: 'Allow', Action: ['s3:Get*', 'iam:Delete*'], Resource: '*' }], grants: { s3: [0], iam: [] } },
  { name: 'a `?` wildcard', statements: [{ Effect: 'Allow', Action: 's3:Get?bject', Resource: '*' }], grants: { s3: [0], ec2: [] } },
  { name: 'a service whose prefix starts another one is not confused with it', statements: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }], grants: { s: [] } },
  { name: 'an action the catalogue does not list grants nothing', statements: [{ Effect: 'Allow', Action: 's3:NoSuchThing', Resource: '*' }], grants: { s3: [] } },
  { name: 'NotAction grants every service it leaves an action of', statements: [{ Effect: 'Allow', NotAction: 's3:*', Resource: '*' }], grants: { s3: [], iam: [0], ec2: [0] } },
  { name: 'NotAction leaving one action of a service grants it', statements: [{ Effect: 'Allow', NotAction: ['s3:GetObject', 's3:PutObject'], Resource: '*' }], grants: { s3: [0] } },
  { name: 'NotAction `*` grants nothing', statements: [{ Effect: 'Allow', NotAction: '*', Resource: '*' }], grants: { s3: [], iam: [] } },
  { name: 'Deny statements grant nothing and take nothing away', statements: [{ Effect: 'Deny', Action: 's3:*', Resource: '*' }, { Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }], grants: { s3: [1] } },
  {
    name: 'Resource and Condition do not matter',
    statements: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::b/*', Condition: { Bool: { 'aws:SecureTransport': 'true' } } }],
    grants: { s3: [0] },
  },
  { name: 'every granting statement is answered', statements: [{ Effect: 'Allow', Action: 'iam:GetUser', Resource: '*' }, { Effect: 'Allow', Action: 'iam:Create*', Resource: '*' }], grants: { iam: [0, 1] } },
];

/** Statements with a wildcard vendor, which the parser refuses as IAM does, built directly. */
const WILDCARD_VENDOR_CASES: { name: string; statement: Pick<Statement, 'action' | 'notAction'>; grants: string[] }[] = [
  { name: '`*:*` grants every service', statement: { action: ['*:*'] }, grants: ['s3', 'iam', 'ec2', 's'] },
  { name: '`*:Get*` grants the services with a Get action', statement: { action: ['*:Get*'] }, grants: ['s3', 'iam', 's'] },
  { name: '`NotAction: "*:Get*"` grants the services with another action', statement: { notAction: ['*:Get*'] }, grants: ['s3', 'iam', 'ec2'] },
  { name: '`NotAction: "*:*"` grants nothing', statement: { notAction: ['*:*'] }, grants: [] },
  { name: '`s?:GetObject` grants the services it matches', statement: { action: ['s?:GetObject'] }, grants: ['s3'] },
];

describe('statementsGrantingService', () => {
  it.each(WILDCARD_VENDOR_CASES)('wildcard vendor: $name', ({ statement, grants }) => {
    const policy: Policy = { kind: 'identity', statements: [{ index: 0, effect: 'Allow', resource: ['*'], conditions: [], ...statement }] };
    const granted = Object.keys(ACTIONS).filter((service) => statementsGrantingService(policy, service, ACTIONS[service]!).length > 0);
    expect(granted).toEqual(grants);
  });

  it.each(CASES)('$name', ({ statements, grants }) => {
    const parsed = parsePolicy(JSON.stringify({ Version: '2012-10-17', Statement: statements }), { kind: 'identity' });
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.diagnostics));
    for (const [service, expected] of Object.entries(grants)) {
      expect(statementsGrantingService(parsed.policy, service, ACTIONS[service]!).map((s) => s.index), service).toEqual(expected);
    }
  });

  it('a service without actions is granted by nothing', () => {
    const parsed = parsePolicy('{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}', { kind: 'identity' });
    expect(parsed.ok && statementsGrantingService(parsed.policy, 'none', [])).toEqual([]);
  });
});
