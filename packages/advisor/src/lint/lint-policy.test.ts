import { describe, expect, it } from 'vitest';
import { lintPolicy, type LintFinding } from './lint-policy.js';
import { testCatalog } from '../test-fixtures/test-catalog.js';

const doc = (...statements: object[]): string => JSON.stringify({ Version: '2012-10-17', Statement: statements }, null, 2);
const lint = (text: string, kind: 'identity' | 'trust' = 'identity'): LintFinding[] => lintPolicy(text, { catalog: testCatalog, kind });
const codes = (text: string, kind: 'identity' | 'trust' = 'identity'): string[] => lint(text, kind).map((f) => `${f.findingType} ${f.issueCode} ${f.path}`);

const CLEAN = doc(
  { Sid: 'Read', Effect: 'Allow', Action: ['s3:GetObject', 's3:PutObject'], Resource: 'arn:aws:s3:::dev-artifacts/*' },
  { Sid: 'Pass', Effect: 'Allow', Action: 'iam:PassRole', Resource: 'arn:aws:iam::111122223333:role/orders-function', Condition: { StringEquals: { 'iam:PassedToService': 'lambda.amazonaws.com' } } },
  { Sid: 'List', Effect: 'Allow', Action: 'iam:ListUsers', Resource: '*', Condition: { Bool: { 'aws:MultiFactorAuthPresent': 'true' }, IpAddress: { 'aws:SourceIp': '203.0.113.0/24' } } },
);

describe('policy lint', () => {
  it('finds nothing in a tidy policy', () => {
    expect(lint(CLEAN)).toEqual([]);
  });

  // Each row: a statement, and the one finding it must produce (type, code, path).
  const CASES: [string, object, string][] = [
    ['an unknown action', { Effect: 'Allow', Action: 's3:GetObjekt', Resource: '*' }, 'ERROR UNKNOWN_ACTION Statement[0].Action'],
    ['an unknown service', { Effect: 'Allow', Action: 'nosuch:Do', Resource: '*' }, 'ERROR UNKNOWN_SERVICE Statement[0].Action'],
    ['an unknown global condition key', { Effect: 'Allow', Action: 's3:ListAllMyBuckets', Resource: '*', Condition: { Bool: { 'aws:SecureTransprt': 'true' } } }, 'ERROR UNKNOWN_CONDITION_KEY Statement[0].Condition.Bool.aws:SecureTransprt'],
    ['a Date operator on an IP key', { Effect: 'Allow', Action: 's3:ListAllMyBuckets', Resource: '*', Condition: { DateGreaterThan: { 'aws:SourceIp': '2020-01-01T00:00:00Z' } } }, 'ERROR MISMATCHED_TYPE Statement[0].Condition.DateGreaterThan.aws:SourceIp'],
    ['a String operator on a Bool key', { Effect: 'Allow', Action: 's3:ListAllMyBuckets', Resource: '*', Condition: { StringEquals: { 'aws:MultiFactorAuthPresent': 'true' } } }, 'ERROR MISMATCHED_TYPE Statement[0].Condition.StringEquals.aws:MultiFactorAuthPresent'],
    ['ForAllValues on a single-valued key', { Effect: 'Allow', Action: 's3:ListAllMyBuckets', Resource: '*', Condition: { 'ForAllValues:StringEquals': { 'aws:PrincipalOrgID': 'o-abc' } } }, 'WARNING SET_OPERATOR_ON_SINGLE_VALUED_KEY Statement[0].Condition.ForAllValues:StringEquals.aws:PrincipalOrgID'],
    ['a multivalued key without a set operator', { Effect: 'Allow', Action: 'dynamodb:GetItem', Resource: 'arn:aws:dynamodb:eu-west-1:111122223333:table/orders', Condition: { StringEquals: { 'dynamodb:LeadingKeys': 'u1' } } }, 'WARNING MULTIVALUED_KEY_WITHOUT_SET_OPERATOR Statement[0].Condition.StringEquals.dynamodb:LeadingKeys'],
    ['a resource of the wrong type', { Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:dynamodb:eu-west-1:111122223333:table/orders' }, 'WARNING RESOURCE_NOT_SUPPORTED Statement[0].Action'],
    ['a resource for an action without resource-level permissions', { Effect: 'Allow', Action: 'ec2:DescribeInstances', Resource: 'arn:aws:ec2:eu-west-1:111122223333:instance/i-0abc' }, 'WARNING RESOURCE_NOT_SUPPORTED Statement[0].Action'],
    ['Action *', { Effect: 'Allow', Action: '*', Resource: '*' }, 'SECURITY_WARNING FULL_ACCESS Statement[0].Action'],
    ['iam:*', { Effect: 'Allow', Action: 'iam:*', Resource: 'arn:aws:iam::111122223333:user/*' }, 'SECURITY_WARNING FULL_IAM_ACCESS Statement[0].Action'],
    ['a service wildcard on every resource', { Effect: 'Allow', Action: 's3:*', Resource: '*' }, 'WARNING SERVICE_WILDCARD_ON_ALL_RESOURCES Statement[0].Action'],
    ['NotAction with Allow', { Effect: 'Allow', NotAction: 'iam:*', Resource: '*' }, 'SECURITY_WARNING ALLOW_WITH_NOT_ACTION Statement[0].NotAction'],
    ['PassRole without iam:PassedToService', { Effect: 'Allow', Action: 'iam:PassRole', Resource: 'arn:aws:iam::111122223333:role/app' }, 'SECURITY_WARNING MISSING_SENSITIVE_CONDITION Statement[0].Action'],
    ['an action listed twice', { Effect: 'Allow', Action: ['s3:GetObject', 's3:getobject'], Resource: 'arn:aws:s3:::b/*' }, 'SUGGESTION REDUNDANT_ACTION Statement[0].Action[1]'],
    ['an action already matched by a wildcard', { Effect: 'Allow', Action: ['s3:Get*', 's3:GetObject'], Resource: 'arn:aws:s3:::b/*' }, 'SUGGESTION REDUNDANT_ACTION Statement[0].Action[1]'],
  ];

  it.each(CASES)('%s', (_name, statement, expected) => {
    expect(codes(doc(statement))).toEqual([expected]);
  });

  it('reports PassRole on * and its missing condition', () => {
    expect(codes(doc({ Effect: 'Allow', Action: 'iam:PassRole', Resource: '*' }))).toEqual([
      'SECURITY_WARNING PASS_ROLE_WITH_STAR_IN_RESOURCE Statement[0].Resource',
      'SECURITY_WARNING MISSING_SENSITIVE_CONDITION Statement[0].Action',
    ]);
  });

  it('reports a statement covered by another', () => {
    const text = doc({ Sid: 'All', Effect: 'Allow', Action: 's3:Get*', Resource: 'arn:aws:s3:::dev-artifacts/*' }, { Sid: 'One', Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::dev-artifacts/build/*' });
    expect(codes(text)).toEqual(['SUGGESTION REDUNDANT_STATEMENT Statement[1]']);
    // Different conditions: not redundant.
    const scoped = doc({ Effect: 'Allow', Action: 's3:Get*', Resource: '*', Condition: { Bool: { 'aws:SecureTransport': 'true' } } }, { Effect: 'Allow', Action: 's3:GetObject', Resource: '*' });
    expect(codes(scoped).filter((c) => c.includes('REDUNDANT'))).toEqual([]);
  });

  it('reports one of two identical statements', () => {
    const st = { Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::b/*' };
    expect(codes(doc(st, st))).toEqual(['SUGGESTION REDUNDANT_STATEMENT Statement[1]']);
  });

  it('reports a trust policy open to everyone', () => {
    expect(codes(doc({ Effect: 'Allow', Principal: { AWS: '*' }, Action: 'sts:AssumeRole' }), 'trust')).toEqual(['SECURITY_WARNING PUBLIC_PRINCIPAL Statement[0].Principal']);
  });

  it('locates findings by line and column', () => {
    const text = '{\n  "Version": "2012-10-17",\n  "Statement": [\n    {"Effect": "Allow", "Action": ["s3:GetObject", "iam:PassRole"], "Resource": "*"}\n  ]\n}';
    const f = lint(text).find((x) => x.issueCode === 'MISSING_SENSITIVE_CONDITION')!;
    expect(f.path).toBe('Statement[0].Action[1]');
    expect(f.span?.start).toEqual({ line: 4, column: 52 });
  });

  it('reports grammar errors as ERROR and stops there', () => {
    expect(codes('{"Version": "2012-10-17", "Statement": {"Effect": "Alow", "Action": "*", "Resource": "*"}}')).toEqual(['ERROR MALFORMED_POLICY Statement.Effect']);
  });

  it('runs the checks that need no catalogue without one', () => {
    const findings = lintPolicy(doc({ Effect: 'Allow', Action: 'iam:PassRole', Resource: '*' }, { Effect: 'Allow', Action: 'nosuch:Do', Resource: '*' }));
    expect(findings.map((f) => f.issueCode)).toEqual(['PASS_ROLE_WITH_STAR_IN_RESOURCE', 'MISSING_SENSITIVE_CONDITION']);
  });
});
