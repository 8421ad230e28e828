import { describe, expect, it } from 'vitest';
import { arnAccountId, parseArn } from './arn.js';

describe('arnAccountId', () => {
  it.each([
    'arn:aws:iam::123456789012:user/eng/alice',
    'arn:aws:iam::aws:policy/ReadOnlyAccess',
    'arn:aws:s3:::bucket/key:with:colons',
    'arn:aws:sts::123456789012:assumed-role/r/s',
    'arn:aws:ec2:us-east-1:123456789012:instance/i-1',
    'arn:aws:iam::123456789012:',
    'arn:aws:iam::123456789012',
    'arn::iam::123456789012:user/x',
    'arn:aws::us-east-1:123456789012:x',
    'arn:',
    'arn',
    '*',
    '',
    'ARN:aws:iam::123456789012:user/x',
    'xarn:aws:iam::123456789012:user/x',
  ])('is parseArn’s account of %j', (arn) => {
    expect(arnAccountId(arn)).toBe(parseArn(arn)?.accountId);
  });
});
