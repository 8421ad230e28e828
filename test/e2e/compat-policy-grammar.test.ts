/**
 * The policy grammar AWS's IAM has, no stricter and no looser, driven over the wire with
 * @aws-sdk/client-iam: documents AWS stores are stored, documents AWS refuses are refused with
 * AWS's MalformedPolicyDocument text, and of several problems the one AWS reports comes back.
 * AWS's answers and their sources: packages/policy/test-corpus/validation/aws-answers.json.
 */
import { CreatePolicyCommand, CreateRoleCommand, CreateUserCommand, GetUserPolicyCommand, PutUserPolicyCommand, UpdateAssumeRolePolicyCommand, type IAMClient } from '@aws-sdk/client-iam';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sdkError } from './helpers/aws-clients.js';
import { startTestCastellan } from './helpers/castellan.js';

const doc = (...statements: object[]) => JSON.stringify({ Version: '2012-10-17', Statement: statements });
const stmt = (extra: object = {}) => ({ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::reports/*', ...extra });
const TRUST = doc({ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' });

describe('policy grammar: compatibility with AWS', () => {
  let s: Awaited<ReturnType<typeof startTestCastellan>>;
  let iam: IAMClient;
  beforeAll(async () => {
    s = await startTestCastellan();
    iam = s.iam();
    await iam.send(new CreateUserCommand({ UserName: 'grammar' }));
  });
  afterAll(() => s?.dispose());

  it.each([
    ['a condition key without a service prefix', doc(stmt({ Condition: { StringEqualsIfExists: { a: 'asf' } } }))],
    ['an empty Condition, an operator without keys, a key without values', doc(stmt({ Condition: {} }), stmt({ Condition: { DateGreaterThan: {}, x: {} } }), stmt({ Condition: { DateGreaterThan: { 'aws:CurrentTime': [] } } }))],
    ['partial ISO 8601 dates, a negative year, epoch seconds', doc(stmt({ Condition: { DateGreaterThan: { 'aws:CurrentTime': ['01T', '2020-06', '-292275054', '2016-12-13t2:00:00.593194+23', '1700000000'] } } }))],
    ['an action name with spaces (the vendor is valid)', doc(stmt({ Action: 'iam: asdf safdsf af ' }))],
    ['two statements with an empty Sid (Terraform writes them)', doc(stmt({ Sid: '' }), stmt({ Sid: '', Effect: 'Deny' }))],
    ['three-field ARNs and regions where the service has them', doc(stmt({ Resource: ['arn:aws:fdsasf', 'arn:aws:ec2:us-east-1::x', 'arn:aws:iam:::user/x'] }))],
    ["an account's root user (AWS's root-task policies name it)", doc(stmt({ Action: 'iam:ListAccessKeys', Resource: ['arn:aws:iam::*:root', 'arn:aws:iam::123456789012:root'] }))],
  ])('PutUserPolicy stores %s, as AWS does', async (_what, document) => {
    await iam.send(new PutUserPolicyCommand({ UserName: 'grammar', PolicyName: 'stored', PolicyDocument: document }));
    const got = await iam.send(new GetUserPolicyCommand({ UserName: 'grammar', PolicyName: 'stored' }));
    expect(JSON.parse(decodeURIComponent(got.PolicyDocument!))).toEqual(JSON.parse(document));
  });

  it.each([
    ['an unknown partition', doc(stmt({ Resource: 'arn:error:s3:::example_bucket' })), 'Partition "error" is not valid for resource "arn:error:s3:::example_bucket".'],
    ['a partition placeholder left in', doc(stmt({ Resource: 'arn:${ARN_PARTITION}:s3:::b' })), 'Partition "${ARN_PARTITION}" is not valid for resource "arn:${ARN_PARTITION}:s3:::b".'],
    ['an ARN without a service', doc(stmt({ Resource: 'arn:aws' })), 'Resource vendor must be fully qualified and cannot contain regexes.'],
    ['an empty service', doc(stmt({ Resource: 'arn:aws::::example_bucket' })), 'The policy failed legacy parsing'],
    ['a five-field ARN with an empty field', doc(stmt({ Resource: 'arn:aws:s3::example_bucket' })), 'The policy failed legacy parsing'],
    ['an IAM ARN with a region', doc(stmt({ Resource: 'arn:aws:iam:us-east-1:111111111111:role/*' })), 'IAM resource arn:aws:iam:us-east-1:111111111111:role/* cannot contain region information.'],
    ['an S3 ARN with a region', doc(stmt({ Resource: 'arn:aws:s3:us-west-2:123456789:test/athena' })), 'Resource arn:aws:s3:us-west-2:123456789:test/athena can not contain region information.'],
    ['an IAM ARN naming no resource type', doc(stmt({ Resource: 'arn:aws:iam:::example_bucket' })), 'IAM resource path must either be "*" or start with user/, federated-user/, role/, group/, instance-profile/, mfa/, server-certificate/, policy/, sms-mfa/, saml-provider/, oidc-provider/, report/, access-report/.'],
    ['a date with a one-digit offset', doc(stmt({ Condition: { DateLessThan: { 'aws:CurrentTime': '2016-12-13t2:00:00.593194+1' } } })), 'The policy failed legacy parsing'],
    ['epoch seconds past Long.MAX_VALUE', doc(stmt({ Condition: { DateLessThan: { 'aws:CurrentTime': '9223372036854775808' } } })), 'The policy failed legacy parsing'],
    ['an unknown operator with keys', doc(stmt({ Condition: { x: { a: '1' } } })), 'Syntax errors in policy.'],
    // Several problems: AWS reports the one of the earliest stage, wherever it is.
    ['a missing Resource before a syntax error', doc(stmt({ Resource: undefined }), stmt({ Foo: 1 })), 'Syntax errors in policy.'],
    ['a bad partition before a date AWS cannot read', doc(stmt({ Resource: 'arn:x:s3:::b' }), stmt({ Condition: { DateLessThan: { 'aws:CurrentTime': 'soon' } } })), 'The policy failed legacy parsing'],
    ['a bad vendor before a repeated Sid', doc(stmt({ Action: 'a b:c' }), stmt({ Sid: 'A' }), stmt({ Sid: 'A' })), 'Statement IDs (SID) in a single policy must be unique.'],
    ['an action without a vendor and no Resource', doc(stmt({ Action: 'invalid', Resource: undefined })), 'Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc.'],
  ])('PutUserPolicy and CreatePolicy refuse %s with AWS\'s text', async (_what, document, message) => {
    expect(await sdkError(() => iam.send(new PutUserPolicyCommand({ UserName: 'grammar', PolicyName: 'refused', PolicyDocument: document })))).toMatchObject({ name: 'MalformedPolicyDocumentException', status: 400, message });
    expect(await sdkError(() => iam.send(new CreatePolicyCommand({ PolicyName: 'Refused', PolicyDocument: document })))).toMatchObject({ name: 'MalformedPolicyDocumentException', message });
  });

  it('CreateRole and UpdateAssumeRolePolicy answer "This policy contains invalid Json" for a trust policy that is not JSON', async () => {
    const notJson = '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow",}]}';
    expect(await sdkError(() => iam.send(new CreateRoleCommand({ RoleName: 'Grammar', AssumeRolePolicyDocument: notJson })))).toMatchObject({
      name: 'MalformedPolicyDocumentException',
      message: 'This policy contains invalid Json',
    });
    await iam.send(new CreateRoleCommand({ RoleName: 'Grammar', AssumeRolePolicyDocument: TRUST }));
    expect(await sdkError(() => iam.send(new UpdateAssumeRolePolicyCommand({ RoleName: 'Grammar', PolicyDocument: 'not json' })))).toMatchObject({
      name: 'MalformedPolicyDocumentException',
      message: 'This policy contains invalid Json',
    });
  });
});
