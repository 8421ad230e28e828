import { describe, expect, it } from 'vitest';
import { serviceLinkedRoleSpec } from './service-linked-role-names.js';

const knownPrefixes = new Set(['lambda', 'codebuild', 'ecs', 'network-firewall']);
const policies = new Set(['CodebuildServiceRolePolicy']);
const spec = (service: string) => serviceLinkedRoleSpec(service, (p) => knownPrefixes.has(p), (n) => policies.has(n));

describe('service-linked role names', () => {
  it.each([
    ['elasticbeanstalk.amazonaws.com', { roleName: 'AWSServiceRoleForElasticBeanstalk', policyName: 'AWSElasticBeanstalkServiceRolePolicy', customSuffix: false }],
    ['autoscaling.amazonaws.com', { roleName: 'AWSServiceRoleForAutoScaling', policyName: 'AutoScalingServiceRolePolicy', customSuffix: true }],
    ['dynamodb.application-autoscaling.amazonaws.com', { roleName: 'AWSServiceRoleForApplicationAutoScaling_DynamoDBTable', policyName: 'AWSApplicationAutoscalingDynamoDBTablePolicy', customSuffix: false }],
    // Outside the table: derived from a known first label; the policy only when AWS has one of that name.
    ['lambda.amazonaws.com', { roleName: 'AWSServiceRoleForLambda', customSuffix: false }],
    ['codebuild.amazonaws.com', { roleName: 'AWSServiceRoleForCodebuild', policyName: 'CodebuildServiceRolePolicy', customSuffix: false }],
    ['network-firewall.amazonaws.com', { roleName: 'AWSServiceRoleForNetworkFirewall', customSuffix: false }],
  ])('%s', (service, expected) => {
    expect(spec(service)).toEqual(expected);
  });

  it.each([
    ['an unknown first label', 'nonsense.amazonaws.com'],
    ['a bare prefix', 'lambda'],
    ['another partition', 'lambda.amazonaws.com.cn'],
    ['a sub-service outside the table', 'edge.lambda.amazonaws.com'],
    ['upper case', 'Lambda.amazonaws.com'],
  ])('none for %s', (_what, service) => {
    expect(spec(service)).toBeUndefined();
  });
});
