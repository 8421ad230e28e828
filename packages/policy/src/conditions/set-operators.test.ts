import { runConditionCases } from './test-condition-cases.js';

const MULTI = 'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-single-vs-multi-valued-context-keys.html';
const SET_OPS = 'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_multi-value-conditions.html';

runConditionCases('ForAllValues and ForAnyValue', [
  { name: 'ForAllValues: every request value is in the list (AWS example)', source: MULTI, condition: { 'ForAllValues:StringEquals': { 'aws:TagKeys': ['environment', 'cost-center'] } }, context: { 'aws:TagKeys': ['environment'] }, expected: true },
  { name: 'ForAllValues: one value outside the list fails', source: MULTI, condition: { 'ForAllValues:StringEquals': { 'aws:TagKeys': ['environment', 'cost-center'] } }, context: { 'aws:TagKeys': ['environment', 'owner'] }, expected: false },
  { name: 'ForAllValues: a missing key is true', source: MULTI, condition: { 'ForAllValues:StringEquals': { 'aws:TagKeys': ['environment'] } }, expected: true },
  { name: 'ForAllValues: an empty string is a null dataset: true', source: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition_examples-multi-valued-context-keys.html', condition: { 'ForAllValues:StringEquals': { 'aws:TagKeys': ['environment'] } }, context: { 'aws:TagKeys': '' }, expected: true },
  { name: 'ForAllValues: an empty list is true', source: MULTI, condition: { 'ForAllValues:StringEquals': { 'aws:TagKeys': ['environment'] } }, context: { 'aws:TagKeys': [] }, expected: true },
  { name: 'ForAllValues with a single value', condition: { 'ForAllValues:StringLike': { 'aws:TagKeys': 'env*' } }, context: { 'aws:TagKeys': 'environment' }, expected: true },
  { name: 'ForAllValues:StringNotEquals: no request value is listed', condition: { 'ForAllValues:StringNotEquals': { 'aws:TagKeys': ['secret', 'owner'] } }, context: { 'aws:TagKeys': ['env', 'team'] }, expected: true },
  { name: 'ForAllValues:StringNotEquals: one listed value fails', condition: { 'ForAllValues:StringNotEquals': { 'aws:TagKeys': ['secret', 'owner'] } }, context: { 'aws:TagKeys': ['env', 'owner'] }, expected: false },
  { name: 'ForAnyValue: one value matches (AWS example)', source: MULTI, condition: { 'ForAnyValue:StringEquals': { 'aws:TagKeys': ['environment', 'cost-center'] } }, context: { 'aws:TagKeys': ['owner', 'cost-center'] }, expected: true },
  { name: 'ForAnyValue: no value matches', condition: { 'ForAnyValue:StringEquals': { 'aws:TagKeys': ['environment'] } }, context: { 'aws:TagKeys': ['owner', 'team'] }, expected: false },
  { name: 'ForAnyValue: a missing key is false', source: MULTI, condition: { 'ForAnyValue:StringEquals': { 'aws:TagKeys': ['environment'] } }, expected: false },
  { name: 'ForAnyValue: an empty list is false', condition: { 'ForAnyValue:StringEquals': { 'aws:TagKeys': ['environment'] } }, context: { 'aws:TagKeys': [] }, expected: false },
  // AWS: "If the key values in the request resolve to an empty data set (for example, an empty
  // string), a condition operator modified by ForAllValues returns true, and a condition operator
  // modified by ForAnyValue returns false." Even where a pattern or a negated operator would match ''.
  { name: 'ForAnyValue: an empty string is an empty data set: false, even for StringLike *', source: SET_OPS, condition: { 'ForAnyValue:StringLike': { 'aws:TagKeys': '*' } }, context: { 'aws:TagKeys': '' }, expected: false },
  { name: 'ForAnyValue: an empty string is an empty data set: false, even for a negated operator', source: SET_OPS, condition: { 'ForAnyValue:StringNotEquals': { 'aws:TagKeys': 'env' } }, context: { 'aws:TagKeys': '' }, expected: false },
  { name: 'ForAnyValue: an empty string is an empty data set: false, even against an empty policy value', source: SET_OPS, condition: { 'ForAnyValue:StringEquals': { 'aws:TagKeys': '' } }, context: { 'aws:TagKeys': '' }, expected: false },
  { name: 'ForAllValues: an empty string is an empty data set: true, even for a negated operator', source: SET_OPS, condition: { 'ForAllValues:StringNotLike': { 'aws:TagKeys': '*' } }, context: { 'aws:TagKeys': '' }, expected: true },
  { name: 'ForAnyValue:StringNotEquals: one value is not listed', condition: { 'ForAnyValue:StringNotEquals': { 'aws:TagKeys': ['env'] } }, context: { 'aws:TagKeys': ['env', 'team'] }, expected: true },
  { name: 'ForAnyValue:StringNotEquals: every value is listed', condition: { 'ForAnyValue:StringNotEquals': { 'aws:TagKeys': ['env', 'team'] } }, context: { 'aws:TagKeys': ['env', 'team'] }, expected: false },
  { name: 'ForAnyValue:StringNotEquals: a missing key is false', condition: { 'ForAnyValue:StringNotEquals': { 'aws:TagKeys': ['env'] } }, expected: false },
  { name: 'ForAnyValue:StringLike with wildcards', condition: { 'ForAnyValue:StringLike': { 'aws:PrincipalOrgPaths': 'o-a1b2c3d4e5/*/ou-ab12-11111111/*' } }, context: { 'aws:PrincipalOrgPaths': ['o-a1b2c3d4e5/r-ab12/ou-ab12-11111111/ou-ab12-22222222/'] }, expected: true },
  { name: 'ForAllValues:StringEqualsIgnoreCase', condition: { 'ForAllValues:StringEqualsIgnoreCase': { 'aws:TagKeys': ['Env', 'Team'] } }, context: { 'aws:TagKeys': ['env', 'TEAM'] }, expected: true },
  // Set operators ignore IfExists: a public re:Post question reports AWS denying with
  // ForAnyValue:StringLikeIfExists on a missing key (issue 8), as cloud-copilot's tests against AWS show.
  { name: 'ForAnyValue:StringEqualsIfExists with a missing key is false (IfExists is ignored)', source: 'https://iam.cloudcopilot.io/resources/operators/ForAnyValue:StringNotEqualsIfExists', condition: { 'ForAnyValue:StringEqualsIfExists': { 'aws:TagKeys': ['env'] } }, expected: false },
  { name: 'ForAnyValue:StringLikeIfExists with a missing key is false', condition: { 'ForAnyValue:StringLikeIfExists': { 'aws:TagKeys': ['env*'] } }, expected: false },
  { name: 'ForAllValues:StringEqualsIfExists with a missing key is true', condition: { 'ForAllValues:StringEqualsIfExists': { 'aws:TagKeys': ['env'] } }, expected: true },
  { name: 'ForAllValues:ArnLike', condition: { 'ForAllValues:ArnLike': { 'aws:CalledVia': 'arn:aws:*:*:*:*' } }, context: { 'aws:CalledVia': ['arn:aws:cloudformation:us-east-1:111122223333:stack/x'] }, expected: true },
]);

runConditionCases('…IfExists', [
  { name: 'StringEqualsIfExists: a missing key is true', source: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_IfExists', condition: { StringEqualsIfExists: { 'ec2:InstanceType': ['t1.*', 't2.*', 'm3.*'] } }, expected: true },
  { name: 'StringLikeIfExists checks a present key (AWS example)', condition: { StringLikeIfExists: { 'ec2:InstanceType': ['t1.*', 't2.*', 'm3.*'] } }, context: { 'ec2:InstanceType': 'm5.large' }, expected: false },
  { name: 'StringLikeIfExists matches a present key', condition: { StringLikeIfExists: { 'ec2:InstanceType': ['t1.*', 't2.*', 'm3.*'] } }, context: { 'ec2:InstanceType': 't2.micro' }, expected: true },
  { name: 'StringNotEqualsIfExists with a present equal value is false', condition: { StringNotEqualsIfExists: { 'ec2:InstanceType': 't2.micro' } }, context: { 'ec2:InstanceType': 't2.micro' }, expected: false },
  { name: 'IpAddressIfExists with a missing key is true', condition: { IpAddressIfExists: { 'aws:SourceIp': '10.0.0.0/8' } }, expected: true },
]);
