import { describe, expect, it } from 'vitest';
import { refusedServiceConditionKey, serviceMaySupply } from './service-condition-keys.js';

describe('serviceMaySupply', () => {
  it.each([
    // The service's own keys, and the request/resource keys only it sees.
    ['s3:prefix', true],
    ['s3:x-amz-copy-source', true],
    ['reports:Format', true],
    ['aws:RequestTag/team', true],
    ['AWS:requesttag/Team', true],
    ['aws:TagKeys', true],
    ['aws:ResourceTag/owner', true],
    ['aws:Referer', true],
    // Keys of the caller, its session, the network and AWS's calling path: Castellan's, set or absent.
    ['aws:MultiFactorAuthPresent', false],
    ['aws:multifactorauthpresent', false],
    ['aws:MultiFactorAuthAge', false],
    ['aws:TokenIssueTime', false],
    ['aws:SourceIdentity', false],
    ['aws:username', false],
    ['aws:PrincipalArn', false],
    ['aws:PrincipalTag/team', false],
    ['aws:SourceIp', false],
    ['aws:SecureTransport', false],
    ['aws:CalledVia', false],
    ['aws:ResourceAccount', false],
    ['aws:RequestTag', false],
    ['aws:NotInTheCatalogue', false],
    // The catalogue's session keys under other prefixes.
    ['ec2:SourceInstanceArn', false],
    ['lambda:SourceFunctionArn', false],
    ['identitystore:UserId', false],
  ])('%s → %s', (key, allowed) => {
    expect(serviceMaySupply(key)).toBe(allowed);
  });

  it('names the first refused key', () => {
    expect(refusedServiceConditionKey(['s3:prefix', 'aws:TokenIssueTime', 'aws:username'])).toContain("'aws:TokenIssueTime'");
    expect(refusedServiceConditionKey(['s3:prefix', 'aws:TagKeys'])).toBeUndefined();
  });
});
