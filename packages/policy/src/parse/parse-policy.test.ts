import { describe, expect, it } from 'vitest';
import { parsePolicy, type PolicyKind, type PolicySizeClass, type ServiceCatalog } from '../index.js';

interface ParseCase {
  name: string;
  kind?: PolicyKind;
  sizeClass?: PolicySizeClass;
  checks?: 'write' | 'evaluation';
  doc: unknown;
  /** Expected errors as `path (code)`; absent means the document is valid. */
  errors?: string[];
  warnings?: string[];
}

const st = (extra: Record<string, unknown>) => ({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: '*', ...extra }] });
const trust = (extra: Record<string, unknown>) => ({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: '123456789012' }, Action: 'sts:AssumeRole', ...extra }] });

const CASES: ParseCase[] = [
  { name: 'a minimal identity policy', doc: st({}) },
  { name: 'Statement may be a single object', doc: { Version: '2012-10-17', Statement: { Effect: 'Deny', NotAction: 'iam:*', NotResource: 'arn:aws:iam::*:user/x' } } },
  { name: 'Version 2008-10-17 and no Version are accepted', doc: { Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] } },
  { name: 'an unknown Version', doc: { Version: '2012-10-18', Statement: st({}).Statement }, errors: ['Version (MalformedPolicyDocument)'] },
  { name: 'no Statement', doc: { Version: '2012-10-17' }, errors: ['Statement (MalformedPolicyDocument)'] },
  { name: 'an empty Statement list', doc: { Version: '2012-10-17', Statement: [] }, errors: ['Statement (MalformedPolicyDocument)'] },
  { name: 'an unknown top-level element', doc: { ...st({}), Foo: 1 }, errors: ['Foo (MalformedPolicyDocument)'] },
  { name: 'a document that is not an object', doc: '[1,2]', errors: [' (MalformedPolicyDocument)'] },
  { name: 'invalid JSON', doc: '{"Version": "2012-10-17",', errors: [' (MalformedPolicyDocument)'] },
  { name: 'duplicate keys are refused, not silently merged', doc: '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Effect":"Deny","Action":"s3:*","Resource":"*"}]}', errors: ['Statement[0].Effect (MalformedPolicyDocument)'] },
  { name: 'a duplicate condition operator would drop a condition: refused', doc: '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*","Condition":{"StringEquals":{"a:b":"1"},"StringEquals":{"a:c":"2"}}}]}', errors: ['Statement[0].Condition.StringEquals (MalformedPolicyDocument)'] },
  { name: 'duplicate condition keys differing in case', doc: st({ Condition: { StringEquals: { 'aws:SourceVpc': 'a', 'AWS:sourcevpc': 'b' } } }), errors: ['Statement[0].Condition.StringEquals.AWS:sourcevpc (MalformedPolicyDocument)'] },
  { name: 'Effect must be Allow or Deny, case-sensitively', doc: st({ Effect: 'allow' }), errors: ['Statement[0].Effect (MalformedPolicyDocument)'] },
  { name: 'Action and NotAction together', doc: st({ NotAction: 'iam:*' }), errors: ['Statement[0] (MalformedPolicyDocument)'] },
  { name: 'no Action', doc: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Resource: '*' }] }, errors: ['Statement[0] (MalformedPolicyDocument)'] },
  { name: 'an action without a service prefix', doc: st({ Action: 'GetObject' }), errors: ['Statement[0].Action (MalformedPolicyDocument)'] },
  { name: 'a wildcard in the service prefix', doc: st({ Action: ['s3*:Get'] }), errors: ['Statement[0].Action[0] (MalformedPolicyDocument)'] },
  // AWS: "Action vendors (e.g., aws, ec2, etc.) must not contain wildcards" for `*:Untag*`
  // (boogy/iam-policy-validator#172, theserverlessway/aws-baseline#1).
  { name: 'a service prefix that is only a wildcard', doc: st({ Action: ['*:*', '*:Untag*'] }), errors: ['Statement[0].Action[0] (MalformedPolicyDocument)', 'Statement[0].Action[1] (MalformedPolicyDocument)'] },
  { name: 'a wildcard service prefix is refused in evaluation checks too', checks: 'evaluation', doc: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', NotAction: '*:Get*', Resource: '*' }] }, errors: ['Statement[0].NotAction (MalformedPolicyDocument)'] },
  { name: 'an empty Action list', doc: st({ Action: [] }), errors: ['Statement[0].Action (MalformedPolicyDocument)'] },
  { name: 'a non-string action', doc: st({ Action: ['s3:GetObject', 7] }), errors: ['Statement[0].Action[1] (MalformedPolicyDocument)'] },
  { name: 'an identity policy needs Resource', doc: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:*' }] }, errors: ['Statement[0] (MalformedPolicyDocument)'] },
  { name: 'a resource that is not an ARN', doc: st({ Resource: 'bucket/key' }), errors: ['Statement[0].Resource (MalformedPolicyDocument)'] },
  { name: 'an identity policy must not name a principal', doc: st({ Principal: '*' }), errors: ['Statement[0].Principal (MalformedPolicyDocument)'] },
  { name: 'an SCP must not name a principal', kind: 'scp', doc: st({ NotPrincipal: { AWS: '*' } }), errors: ['Statement[0].NotPrincipal (MalformedPolicyDocument)'] },
  { name: 'a resource policy needs a principal', kind: 'resource', doc: st({}), errors: ['Statement[0] (MalformedPolicyDocument)'] },
  { name: 'a resource policy statement may omit Resource', kind: 'resource', doc: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::123456789012:root' }, Action: 'sqs:SendMessage' }] } },
  { name: 'a resource policy with every principal type', kind: 'resource', doc: st({ Principal: { AWS: ['123456789012', 'arn:aws:iam::123456789012:user/a', 'arn:aws:sts::123456789012:assumed-role/r/s', '*'], Service: 'ec2.amazonaws.com', Federated: 'cognito-identity.amazonaws.com', CanonicalUser: '79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be' } }) },
  { name: 'a wildcard inside a principal ARN', kind: 'resource', doc: st({ Principal: { AWS: 'arn:aws:iam::123456789012:user/*' } }), errors: ['Statement[0].Principal.AWS (MalformedPolicyDocument)'] },
  { name: 'an unknown principal type', kind: 'resource', doc: st({ Principal: { Aws: '123456789012' } }), errors: ['Statement[0].Principal.Aws (MalformedPolicyDocument)'] },
  { name: 'a principal string other than *', kind: 'resource', doc: st({ Principal: '123456789012' }), errors: ['Statement[0].Principal (MalformedPolicyDocument)'] },
  { name: 'NotPrincipal only with Deny', kind: 'resource', doc: st({ NotPrincipal: { AWS: '123456789012' } }), errors: ['Statement[0].NotPrincipal (MalformedPolicyDocument)'] },
  { name: 'a trust policy', kind: 'trust', doc: trust({ Condition: { StringEquals: { 'sts:ExternalId': 'x' } } }) },
  { name: 'a trust policy needs a principal', kind: 'trust', doc: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole' }] }, errors: ['Statement[0] (MalformedPolicyDocument)'] },
  { name: 'a trust policy has no Resource', kind: 'trust', doc: trust({ Resource: '*' }), errors: ['Statement[0].Resource (MalformedPolicyDocument)'] },
  { name: 'a trust policy may only name sts actions', kind: 'trust', doc: trust({ Action: 's3:GetObject' }), errors: ['Statement[0].Action (MalformedPolicyDocument)'] },
  { name: 'a trust policy may only name the sts actions of a role session', kind: 'trust', doc: trust({ Action: ['sts:AssumeRole', 'sts:GetSessionToken'] }), errors: ['Statement[0].Action[1] (MalformedPolicyDocument)'] },
  { name: 'a trust policy may grant tagging, source identity and context', kind: 'trust', doc: trust({ Action: ['sts:AssumeRole', 'STS:tagsession', 'sts:SetSourceIdentity', 'sts:SetContext', 'sts:AssumeRoleWithSAML', 'sts:AssumeRoleWithWebIdentity'] }) },
  { name: 'a trust policy must not use NotPrincipal', kind: 'trust', doc: { Version: '2012-10-17', Statement: [{ Effect: 'Deny', NotPrincipal: { AWS: '123456789012' }, Action: 'sts:AssumeRole' }] }, errors: ['Statement[0].NotPrincipal (MalformedPolicyDocument)'] },
  { name: 'IAM Sids are alphanumeric', doc: { Version: '2012-10-17', Statement: [{ Sid: 'my sid', Effect: 'Allow', Action: '*', Resource: '*' }] }, errors: ['Statement[0].Sid (MalformedPolicyDocument)'] },
  { name: 'IAM Sids are unique', doc: { Version: '2012-10-17', Statement: [{ Sid: 'A', Effect: 'Allow', Action: '*', Resource: '*' }, { Sid: 'A', Effect: 'Deny', Action: '*', Resource: '*' }] }, errors: ['Statement[1].Sid (MalformedPolicyDocument)'] },
  { name: 'resource policy Sids may hold other characters', kind: 'resource', doc: { Version: '2012-10-17', Statement: [{ Sid: 'Allow get-object', Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: 'arn:aws:s3:::b/*' }] } },
  { name: 'an unknown condition operator', doc: st({ Condition: { StringEqual: { 'aws:username': 'a' } } }), errors: ['Statement[0].Condition.StringEqual (MalformedPolicyDocument)'] },
  { name: 'operator names are case-sensitive', doc: st({ Condition: { stringequals: { 'aws:username': 'a' } } }), errors: ['Statement[0].Condition.stringequals (MalformedPolicyDocument)'] },
  { name: 'an unknown set operator', doc: st({ Condition: { 'ForSomeValues:StringLike': { 'aws:TagKeys': 'a' } } }), errors: ['Statement[0].Condition.ForSomeValues:StringLike (MalformedPolicyDocument)'] },
  { name: 'NullIfExists is not an operator', doc: st({ Condition: { NullIfExists: { 'aws:username': 'true' } } }), errors: ['Statement[0].Condition.NullIfExists (MalformedPolicyDocument)'] },
  { name: 'Null takes true or false', doc: st({ Condition: { Null: { 'aws:username': 'yes' } } }), errors: ['Statement[0].Condition.Null.aws:username (MalformedPolicyDocument)'] },
  { name: 'every operator with qualifiers and IfExists', doc: st({ Condition: { 'ForAllValues:StringLikeIfExists': { 'aws:TagKeys': ['a*'] }, 'ForAnyValue:StringEquals': { 'aws:TagKeys': 'b' }, NumericLessThanIfExists: { 's3:max-keys': 10 }, DateGreaterThan: { 'aws:CurrentTime': '2020-01-01T00:00:00Z' }, BoolIfExists: { 'aws:MultiFactorAuthPresent': false }, BinaryEquals: { 'a:b': 'QUJD' }, NotIpAddress: { 'aws:SourceIp': ['10.0.0.0/8', '2001:db8::/32'] }, ArnNotLike: { 'aws:PrincipalArn': 'arn:aws:iam::*:role/x' }, Null: { 'aws:TokenIssueTime': 'true' } } }) },
  { name: 'a numeric operator with text', doc: st({ Condition: { NumericLessThan: { 's3:max-keys': 'ten' } } }), errors: ['Statement[0].Condition.NumericLessThan.s3:max-keys (MalformedPolicyDocument)'] },
  { name: 'a date operator with a non-date', doc: st({ Condition: { DateLessThan: { 'aws:CurrentTime': 'tomorrow' } } }), errors: ['Statement[0].Condition.DateLessThan.aws:CurrentTime (MalformedPolicyDocument)'] },
  { name: 'a date that does not exist (30 February)', doc: st({ Condition: { DateLessThan: { 'aws:CurrentTime': '2020-02-30T00:00:00Z' } } }), errors: ['Statement[0].Condition.DateLessThan.aws:CurrentTime (MalformedPolicyDocument)'] },
  { name: 'an IP operator with a bad block', doc: st({ Condition: { IpAddress: { 'aws:SourceIp': ['10.0.0.0/8', '10.0.0.0/33'] } } }), errors: ['Statement[0].Condition.IpAddress.aws:SourceIp[1] (MalformedPolicyDocument)'] },
  { name: 'Bool with something else than true/false', doc: st({ Condition: { Bool: { 'aws:SecureTransport': 'yes' } } }), errors: ['Statement[0].Condition.Bool.aws:SecureTransport (MalformedPolicyDocument)'] },
  // What AWS stores (cases recorded against AWS: getmoto/moto tests/test_iam/test_iam_policies.py):
  // accepted, with a warning for what can never match or tests nothing.
  { name: 'a condition key without a prefix is stored (a warning)', doc: st({ Condition: { StringEquals: { username: 'a' } } }), warnings: ['Statement[0].Condition.StringEquals.username (ConditionKeyWithoutService)'] },
  { name: 'a condition key with no values is stored (a warning)', doc: st({ Condition: { StringEquals: { 'aws:username': [] } } }), warnings: ['Statement[0].Condition.StringEquals.aws:username (EmptyCondition)'] },
  { name: 'an empty Condition is stored', doc: st({ Condition: {} }) },
  { name: 'an operator with no keys is stored (a warning)', doc: st({ Condition: { DateGreaterThan: {} } }), warnings: ['Statement[0].Condition.DateGreaterThan (EmptyCondition)'] },
  { name: 'an unknown operator with no keys is stored (a warning)', doc: st({ Condition: { x: {}, y: {} } }), warnings: ['Statement[0].Condition.x (EmptyCondition)', 'Statement[0].Condition.y (EmptyCondition)'] },
  { name: 'an unknown operator with keys is refused', doc: st({ Condition: { x: { a: '1' } } }), errors: ['Statement[0].Condition.x (MalformedPolicyDocument)'] },
  { name: 'an operator block that is a list is refused', doc: st({ Condition: { DateGreaterThan: [] } }), errors: ['Statement[0].Condition.DateGreaterThan (MalformedPolicyDocument)'] },
  { name: 'ForAnyValue:…IfExists on a key without a prefix is stored', doc: st({ Condition: { 'ForAnyValue:StringEqualsIfExists': { a: 'asf' } } }), warnings: ['Statement[0].Condition.ForAnyValue:StringEqualsIfExists.a (ConditionKeyWithoutService)'] },
  { name: 'dates AWS reads: partial, negative, lowercase t, short offset', doc: st({ Condition: { DateGreaterThan: { 'aws:CurrentTime': ['01T', '2020', '2020-06', '-292275054', '2016-12-13t2:00:00.593194+23', '2016-12-13T21:20:37.593194+00:00', '2019-07-01T13:20:15Z'] } } }) },
  { name: 'a date with a one-digit offset', doc: st({ Condition: { DateLessThanEquals: { 'aws:CurrentTime': '2016-12-13t2:00:00.593194+1' } } }), errors: ['Statement[0].Condition.DateLessThanEquals.aws:CurrentTime (MalformedPolicyDocument)'] },
  { name: 'a date with ten fraction digits', doc: st({ Condition: { DateLessThanEquals: { 'aws:CurrentTime': '2016-12-13t2:00:00.1999999999+10:59' } } }), errors: ['Statement[0].Condition.DateLessThanEquals.aws:CurrentTime (MalformedPolicyDocument)'] },
  { name: 'a month 13', doc: st({ Condition: { DateLessThanEquals: { 'aws:CurrentTime': '234-13' } } }), errors: ['Statement[0].Condition.DateLessThanEquals.aws:CurrentTime (MalformedPolicyDocument)'] },
  { name: 'epoch seconds past Long.MAX_VALUE', doc: st({ Condition: { DateLessThan: { 'aws:CurrentTime': '9223372036854775808' } } }), errors: ['Statement[0].Condition.DateLessThan.aws:CurrentTime (MalformedPolicyDocument)'] },
  { name: 'epoch seconds at Long.MAX_VALUE', doc: st({ Condition: { DateLessThan: { 'aws:CurrentTime': '9223372036854775807' } } }) },
  { name: 'two statements with an empty Sid (Terraform writes them)', doc: { Version: '2012-10-17', Statement: [{ Sid: '', Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }, { Sid: '', Effect: 'Deny', Action: 's3:PutObject', Resource: '*' }] } },
  { name: 'an action name with spaces and odd characters (the vendor is valid)', doc: st({ Action: ['iam: asdf safdsf af ', 's3-s:List#Bucket', 's3.s:x'] }) },
  { name: 'a vendor with a space', doc: st({ Action: 'a a:ListBucket' }), errors: ['Statement[0].Action (MalformedPolicyDocument)'] },
  { name: 'an action with two colons', doc: st({ Action: 's3:List:Bucket' }), errors: ['Statement[0].Action (MalformedPolicyDocument)'] },
  { name: 'resource ARNs AWS stores', doc: st({ Resource: ['arn:aws:fdsasf', 'arn:aws:s33:::b', 'arn:aws:iam:::user/b', 'arn:aws:cloudwatch:us-east-1::b', 'arn:aws:invalid-service:us-east-1::b', 'arn:aws:ec2:region:account-id:instance/*', 'arn:aws:iam::*:user/${aws:username}', 'arn:aws:s3:*:bucket/*'] }) },
  { name: 'an unknown partition', doc: st({ Resource: 'arn:error:s3:::b' }), errors: ['Statement[0].Resource (MalformedPolicyDocument)'] },
  { name: 'an unknown partition in a string that does not start with arn', doc: st({ Resource: 'a:b:cadfsdf' }), errors: ['Statement[0].Resource (MalformedPolicyDocument)'] },
  { name: 'a partition that is not the account\'s', kind: 'identity', doc: st({ Resource: 'arn:aws-cn:s3:::b' }), errors: ['Statement[0].Resource (MalformedPolicyDocument)'] },
  { name: 'a wildcard partition matching the account\'s (AWS\'s partition-neutral ARNs)', doc: st({ Resource: ['arn:*:kms:*:::*', 'arn:*:iam::*:role/managed/*', 'arn:aws*:ec2:*:*:vpc/*', 'arn:a?s:s3:::b'] }) },
  { name: 'a wildcard partition matching no partition of the account', doc: st({ Resource: 'arn:aws-cn*:s3:::b' }), errors: ['Statement[0].Resource (MalformedPolicyDocument)'] },
  { name: 'a literal placeholder partition', doc: st({ Resource: 'arn:${ARN_PARTITION}:s3:::b' }), errors: ['Statement[0].Resource (MalformedPolicyDocument)'] },
  { name: 'evaluation checks: IAM\'s write-time ARN and Sid rules do not apply', checks: 'evaluation', doc: { Version: '2012-10-17', Statement: [{ Sid: 'not alpha-numeric', Effect: 'Allow', Action: 'iam:GetUser', Resource: ['arn:aws:iam::*:root', 'arn:aws-cn:s3:::b', 'arn:aws:iam:us-east-1::role/x', 'bucket'] }, { Sid: 'not alpha-numeric', Effect: 'Deny', Action: 's3:*', Resource: '*' }] } },
  { name: 'evaluation checks: a broken policy variable is still an error', checks: 'evaluation', doc: st({ Resource: 'arn:aws:s3:::b/${aws:username' }), errors: ['Statement[0].Resource (MalformedPolicyDocument)'] },
  { name: 'evaluation checks: a broken condition value is still an error', checks: 'evaluation', doc: st({ Condition: { DateLessThan: { 'aws:CurrentTime': 'soon' } } }), errors: ['Statement[0].Condition.DateLessThan.aws:CurrentTime (MalformedPolicyDocument)'] },
  { name: 'evaluation checks: an identity policy still names no principal', checks: 'evaluation', doc: st({ Principal: '*' }), errors: ['Statement[0].Principal (MalformedPolicyDocument)'] },
  { name: 'no service in the ARN', doc: st({ Resource: 'arn:aws' }), errors: ['Statement[0].Resource (MalformedPolicyDocument)'] },
  { name: 'an empty service', doc: st({ Resource: ['arn:aws::::b', 'arn:aws::fdsasf'] }), errors: ['Statement[0].Resource[0] (MalformedPolicyDocument)', 'Statement[0].Resource[1] (MalformedPolicyDocument)'] },
  { name: 'a five-field ARN with an empty field', doc: st({ Resource: 'arn:aws:s3::b' }), errors: ['Statement[0].Resource (MalformedPolicyDocument)'] },
  { name: 'an IAM ARN with a region', doc: st({ Resource: 'arn:aws:iam:us-east-1:111122223333:role/*' }), errors: ['Statement[0].Resource (MalformedPolicyDocument)'] },
  { name: 'an S3 ARN with a region', doc: st({ Resource: 'arn:aws:s3:us-west-2:123456789012:test/athena' }), errors: ['Statement[0].Resource (MalformedPolicyDocument)'] },
  { name: 'an account\'s root user (AWS\'s root-task policies name it)', doc: st({ Resource: ['arn:aws:iam::123456789012:root', 'arn:aws:iam::*:root'] }) },
  { name: 'a root-user ARN with a region, or `root` as a prefix, is still refused', doc: st({ Resource: ['arn:aws:iam:us-east-1:123456789012:root', 'arn:aws:iam::123456789012:rootx', 'arn:aws:iam::123456789012:root/x'] }), errors: ['Statement[0].Resource[0] (MalformedPolicyDocument)', 'Statement[0].Resource[1] (MalformedPolicyDocument)', 'Statement[0].Resource[2] (MalformedPolicyDocument)'] },
  { name: 'an IAM ARN naming no resource type', doc: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:GetObject', NotResource: 'arn:aws:iam:::example_bucket' }] }, errors: ['Statement[0].NotResource (MalformedPolicyDocument)'] },
  { name: 'a resource policy keeps its own resource rules', kind: 'resource', doc: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: 'arn:aws:s3:us-east-1::b/*' }] } },
  { name: 'an object as a condition value', doc: st({ Condition: { StringEquals: { 'aws:username': { a: 1 } } } }), errors: ['Statement[0].Condition.StringEquals.aws:username (MalformedPolicyDocument)'] },
  { name: 'a malformed policy variable', doc: st({ Resource: 'arn:aws:s3:::b/${aws:username' }), errors: ['Statement[0].Resource (MalformedPolicyDocument)'] },
  { name: 'a default value without quotes', doc: st({ Resource: 'arn:aws:s3:::b/${aws:username, x}' }), errors: ['Statement[0].Resource (MalformedPolicyDocument)'] },
  { name: 'variables in a 2008-10-17 policy are a warning', doc: { Version: '2008-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: 'arn:aws:s3:::b/${aws:username}' }] }, warnings: ['Statement[0].Resource (PolicyVariableIgnored)'] },
  { name: 'every problem is reported at once', doc: { Version: 'x', Statement: [{ Effect: 'Maybe', Action: 'nope', Resource: 'nope' }, { Effect: 'Allow' }] }, errors: ['Version (MalformedPolicyDocument)', 'Statement[0].Effect (MalformedPolicyDocument)', 'Statement[0].Action (MalformedPolicyDocument)', 'Statement[0].Resource (MalformedPolicyDocument)', 'Statement[1] (MalformedPolicyDocument)', 'Statement[1] (MalformedPolicyDocument)'] },
];

const SIZE_CASES: { name: string; sizeClass: PolicySizeClass; kind?: PolicyKind; chars: number; whitespace?: number; ok: boolean }[] = [
  { name: 'managed policy at 6,144 characters', sizeClass: 'managed', chars: 6144, ok: true },
  { name: 'managed policy over 6,144 characters', sizeClass: 'managed', chars: 6145, ok: false },
  { name: 'whitespace does not count against a managed policy', sizeClass: 'managed', chars: 6000, whitespace: 5000, ok: true },
  { name: 'user inline policy over 2,048', sizeClass: 'userInline', chars: 2049, ok: false },
  { name: 'group inline policy at 5,120', sizeClass: 'groupInline', chars: 5120, ok: true },
  { name: 'role inline policy over 10,240', sizeClass: 'roleInline', chars: 10241, ok: false },
  { name: 'session policy counts whitespace', sizeClass: 'session', kind: 'session', chars: 2000, whitespace: 100, ok: false },
];

/** A valid identity policy of exactly `chars` non-whitespace characters plus `whitespace` spaces. */
function sized(chars: number, whitespace = 0): string {
  const head = '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::';
  const tail = '"}]}';
  return head + ' '.repeat(whitespace) + 'b'.repeat(chars - head.length - tail.length) + tail;
}

describe('parsePolicy validation', () => {
  for (const c of CASES) {
    it(c.name, () => {
      // Given a document for a kind of attachment; When it is parsed
      const r = parsePolicy(typeof c.doc === 'string' ? c.doc : JSON.stringify(c.doc, null, 2), { kind: c.kind ?? 'identity', ...(c.checks ? { checks: c.checks } : {}) });
      // Then exactly the expected errors (or none) and warnings come back
      const all = r.ok ? r.warnings : r.diagnostics;
      const errors = all.filter((d) => d.severity === 'error').map((d) => `${d.path} (${d.code})`);
      const warnings = all.filter((d) => d.severity === 'warning').map((d) => `${d.path} (${d.code})`);
      expect(errors).toEqual(c.errors ?? []);
      expect(r.ok).toBe(!c.errors);
      expect(warnings).toEqual(c.warnings ?? []);
      for (const d of all) {
        expect(d.message).toMatch(/^[a-z`"$]/);
        expect(d.message).not.toMatch(/\.$/);
      }
    });
  }
  for (const c of SIZE_CASES) {
    it(`size: ${c.name}`, () => {
      const r = parsePolicy(sized(c.chars, c.whitespace), { kind: c.kind ?? 'identity', sizeClass: c.sizeClass });
      expect(r.ok).toBe(c.ok);
      if (!r.ok) expect(r.diagnostics.map((d) => d.code)).toEqual(['LimitExceeded']);
    });
  }

  it('reports line and column of each problem, and statement spans', () => {
    const text = '{\n  "Version": "2012-10-17",\n  "Statement": [\n    {"Effect": "Allow", "Action": "s3:*", "Resource": "*"},\n    {"Effect": "Nope", "Action": "s3:*", "Resource": "*"}\n  ]\n}';
    const r = parsePolicy(text, { kind: 'identity' });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.diagnostics[0]).toMatchObject({ path: 'Statement[1].Effect', position: { line: 5, column: 16 } });
    const ok = parsePolicy(text.replace('Nope', 'Deny'), { kind: 'identity' });
    expect(ok.ok && ok.policy.statements.map((s) => s.span)).toEqual([
      { start: { line: 4, column: 5 }, end: { line: 4, column: 58 } },
      { start: { line: 5, column: 5 }, end: { line: 5, column: 57 } },
    ]);
  });

  it('returns a frozen, normalized policy', () => {
    const r = parsePolicy(JSON.stringify({ Version: '2012-10-17', Id: 'x', Statement: { Sid: 'S', Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::b/*', Condition: { 'ForAnyValue:StringLikeIfExists': { 'aws:TagKeys': 'a*' }, NumericEquals: { 's3:max-keys': 10 } } } }), { kind: 'identity' });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(Object.isFrozen(r.policy) && Object.isFrozen(r.policy.statements[0])).toBe(true);
    expect(r.policy.statements[0]).toMatchObject({
      index: 0,
      sid: 'S',
      effect: 'Allow',
      action: ['s3:GetObject'],
      resource: ['arn:aws:s3:::b/*'],
      conditions: [
        { operator: 'ForAnyValue:StringLikeIfExists', base: 'StringLike', qualifier: 'ForAnyValue', ifExists: true, key: 'aws:TagKeys', values: ['a*'] },
        { operator: 'NumericEquals', base: 'NumericEquals', ifExists: false, key: 's3:max-keys', values: ['10'] },
      ],
    });
  });

  it('normalizes account ids in principals to root ARNs', () => {
    const r = parsePolicy(st({ Principal: { AWS: '123456789012' } }), { kind: 'resource' });
    expect(r.ok && r.policy.statements[0]!.principal!.aws).toEqual(['arn:aws:iam::123456789012:root']);
  });

  it('checks services, actions and condition keys against a catalogue, as warnings', () => {
    const catalog: ServiceCatalog = {
      hasService: (s) => ['s3', 'iam'].includes(s.toLowerCase()),
      hasAction: (s, a) => s.toLowerCase() === 's3' && ['getobject', 'putobject'].includes(a.toLowerCase()),
      actionNames: (s) => (s.toLowerCase() === 's3' ? ['GetObject', 'PutObject'] : []),
      hasConditionKey: (k) => ['aws:sourceip', 's3:prefix'].includes(k.toLowerCase()),
    };
    const r = parsePolicy(st({ Action: ['s3:GetObject', 's3:Get*', 's3:List*', 's3:Nope', 'ec2:RunInstances'], Condition: { StringEquals: { 's3:prefix': 'a', 's3:nokey': 'b' } } }), { kind: 'identity', catalog });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.warnings.map((w) => `${w.path} (${w.code})`)).toEqual([
      'Statement[0].Action[2] (UnknownAction)',
      'Statement[0].Action[3] (UnknownAction)',
      'Statement[0].Action[4] (UnknownService)',
      'Statement[0].Condition.StringEquals.s3:nokey (UnknownConditionKey)',
    ]);
  });

  it('checks a many-wildcard action pattern against long action names in linear time', () => {
    // A backtracking RegExp (`^.*a.*a.*…b$`) took minutes here.
    const catalog: ServiceCatalog = { hasService: () => true, hasAction: () => false, actionNames: () => ['a'.repeat(64), 'GetObject'], hasConditionKey: () => true };
    const started = Date.now();
    const r = parsePolicy(st({ Action: 's3:*a*a*a*a*a*a*a*a*a*a*a*b' }), { kind: 'identity', catalog });
    expect(r.ok && r.warnings.map((w) => w.code)).toEqual(['UnknownAction']);
    const matching = parsePolicy(st({ Action: 's3:*A*a*A*' }), { kind: 'identity', catalog });
    expect(matching.ok && matching.warnings).toEqual([]); // action patterns match without regard to case
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('checks a partition of many wildcards in linear time', () => {
    // A RegExp of one `.*` per star (`^.*.*…x$`) backtracked in cubic time: 300 stars took seconds.
    const started = Date.now();
    const refused = parsePolicy(st({ Resource: `arn:${'*'.repeat(2000)}x:s3:::b` }), { kind: 'identity' });
    expect(!refused.ok && refused.diagnostics.map((e) => `${e.path} (${e.code})`)).toEqual(['Statement[0].Resource (MalformedPolicyDocument)']);
    expect(parsePolicy(st({ Resource: `arn:${'*'.repeat(2000)}s:s3:::b` }), { kind: 'identity' }).ok).toBe(true);
    expect(Date.now() - started).toBeLessThan(1000);
  });
});
