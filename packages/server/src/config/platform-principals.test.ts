import { describe, expect, it } from 'vitest';
import { parsePlatformPrincipal } from './platform-principals.js';

describe('parsePlatformPrincipal', () => {
  // Principals are named one by one, by the ARN their policies know them by (aws:PrincipalArn).
  it.each([
    ['arn:aws:iam::123456789012:user/s3-service', 'arn:aws:iam::123456789012:user/s3-service'],
    ['arn:aws:iam::123456789012:user/services/s3-service', 'arn:aws:iam::123456789012:user/services/s3-service'],
    ['arn:aws:iam::123456789012:role/s3-platform', 'arn:aws:iam::123456789012:role/s3-platform'],
    ['arn:aws:iam::123456789012:role/platform/storage/s3+files@corp', 'arn:aws:iam::123456789012:role/platform/storage/s3+files@corp'],
    ['arn:aws:sts::123456789012:assumed-role/s3-platform/worker-1', /is a role session: name its role, arn:aws:iam::123456789012:role\/s3-platform/],
    ['arn:aws:iam::123456789012:root', /root user, which no service should run as/],
    ['arn:aws:iam::123456789012:role/*', /has a wildcard/],
    ['arn:aws:iam::123456789012:user/s3-?', /has a wildcard/],
    ['arn:aws:iam::*:role/s3-platform', /has a wildcard/],
    ['arn:aws-cn:iam::123456789012:role/s3-platform', /not in the `aws` partition/],
    ['arn:aws:iam::1234:role/s3-platform', /12-digit account/],
    ['arn:aws:iam::123456789012:group/admins', /not the ARN of an IAM user or role/],
    ['arn:aws:iam::123456789012:federated-user/app', /not the ARN of an IAM user or role/],
    ['arn:aws:sts::123456789012:federated-user/app', /not the ARN of an IAM user or role/],
    ['arn:aws:iam::123456789012:role/', /not the ARN of an IAM user or role/],
    ['arn:aws:iam::123456789012:role/has space', /not an IAM role name/],
    ['s3-service', /not the ARN of an IAM user or role/],
    ['AIDACASTELLANUSER0001', /not the ARN of an IAM user or role/],
  ])('%s', (entry, expected) => {
    const result = parsePlatformPrincipal(entry);
    if (typeof expected === 'string') expect(result).toBe(expected);
    else expect(result).toMatchObject({ problem: expect.stringMatching(expected) });
  });
});
