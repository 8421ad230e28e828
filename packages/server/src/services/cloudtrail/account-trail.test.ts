import { describe, expect, it } from 'vitest';
import { findAccountTrail, namesAccountTrail, parseTrailReference } from './account-trail.js';

const ACCOUNT = '123456789012';
const SETTINGS = { homeRegion: 'eu-west-1', logFileValidation: true };
const ARN = `arn:aws:cloudtrail:eu-west-1:${ACCOUNT}:trail/castellan`;
const HOME = { accountId: ACCOUNT, region: 'eu-west-1' };
const ELSEWHERE = { accountId: ACCOUNT, region: 'us-east-1' };

describe('findAccountTrail', () => {
  // [case, reference, caller, the error code, or the ARN found]
  const cases: [string, string, typeof HOME, string][] = [
    ['its name in its home region', 'castellan', HOME, ARN],
    ['its ARN in its home region', ARN, HOME, ARN],
    ['its ARN from another region (the shadow trail)', ARN, ELSEWHERE, ARN],
    ['its name from another region', 'castellan', ELSEWHERE, 'TrailNotFoundException'],
    ['another name', 'management-events', HOME, 'TrailNotFoundException'],
    ['its name with the ARN of another region', `arn:aws:cloudtrail:us-east-1:${ACCOUNT}:trail/castellan`, HOME, 'TrailNotFoundException'],
    ['an ARN of another account', 'arn:aws:cloudtrail:eu-west-1:210987654321:trail/castellan', HOME, 'CloudTrailARNInvalidException'],
    ['a name too short', 'ab', HOME, 'InvalidTrailNameException'],
    ['a name too long', 'a'.repeat(129), HOME, 'InvalidTrailNameException'],
    ['a name with a space', 'my trail', HOME, 'InvalidTrailNameException'],
    ['a name starting with a dash', '-trail', HOME, 'InvalidTrailNameException'],
    ['a name ending with a period', 'trail.', HOME, 'InvalidTrailNameException'],
    ['adjacent special characters', 'my-_trail', HOME, 'InvalidTrailNameException'],
    ['an IP address', '192.168.5.4', HOME, 'InvalidTrailNameException'],
    ['an ARN of another resource type', `arn:aws:cloudtrail:eu-west-1:${ACCOUNT}:eventdatastore/x`, HOME, 'InvalidTrailNameException'],
    ['an ARN with a malformed trail name', `arn:aws:cloudtrail:eu-west-1:${ACCOUNT}:trail/a--b`, HOME, 'InvalidTrailNameException'],
  ];
  it.each(cases)('%s', (_name, ref, caller, expected) => {
    const run = () => findAccountTrail(parseTrailReference(ref), caller, SETTINGS);
    if (expected.startsWith('arn:')) expect(run()).toEqual({ name: 'castellan', arn: expected, homeRegion: 'eu-west-1', logFileValidation: true });
    else expect(run).toThrow(expect.objectContaining({ code: expected }));
  });

  it('names the trail it did not find and the caller, as AWS does', () => {
    expect(() => findAccountTrail(parseTrailReference('other'), HOME, SETTINGS)).toThrow(`Unknown trail: arn:aws:cloudtrail:eu-west-1:${ACCOUNT}:trail/other for the user: ${ACCOUNT}`);
  });
});

describe('namesAccountTrail', () => {
  it.each([
    ['castellan', HOME, true],
    ['castellan', ELSEWHERE, false],
    [ARN, ELSEWHERE, true],
    ['arn:aws:cloudtrail:eu-west-1:210987654321:trail/castellan', HOME, false],
    ['other', HOME, false],
  ] as const)('%s from %o: %s', (ref, caller, expected) => {
    expect(namesAccountTrail(parseTrailReference(ref), caller, SETTINGS)).toBe(expected);
  });
});
