import { runConditionCases } from './test-condition-cases.js';

const OPS = 'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html';

runConditionCases('string condition operators', [
  { name: 'StringEquals matches a principal tag (AWS example)', source: OPS, condition: { StringEquals: { 'aws:PrincipalTag/job-category': 'iamuser-admin' } }, expected: true },
  { name: 'StringEquals is case-sensitive on values', condition: { StringEquals: { 'aws:PrincipalTag/job-category': 'IAMUSER-ADMIN' } }, expected: false },
  { name: 'condition keys are case-insensitive', source: OPS, condition: { StringEquals: { 'AWS:principaltag/JOB-CATEGORY': 'iamuser-admin' } }, expected: true },
  { name: 'context keys are case-insensitive', condition: { StringEquals: { 's3:prefix': 'home/' } }, context: { 'S3:Prefix': 'home/' }, expected: true },
  { name: 'StringEquals with several values is an OR', condition: { StringEquals: { 's3:prefix': ['a/', 'home/', 'b/'] } }, context: { 's3:prefix': 'home/' }, expected: true },
  { name: 'StringEquals with a missing key is false', source: OPS, condition: { StringEquals: { 'aws:PrincipalTag/project': 'x' } }, expected: false },
  { name: 'StringEquals compares a number context value as text', condition: { StringEquals: { 's3:max-keys': '10' } }, context: { 's3:max-keys': 10 }, expected: true },
  { name: 'StringNotEquals is true when the value differs', condition: { StringNotEquals: { 's3:prefix': 'home/' } }, context: { 's3:prefix': 'other/' }, expected: true },
  { name: 'StringNotEquals is false when the value equals', condition: { StringNotEquals: { 's3:prefix': 'home/' } }, context: { 's3:prefix': 'home/' }, expected: false },
  { name: 'StringNotEquals with several values is a NOR', source: OPS, condition: { StringNotEquals: { 's3:prefix': ['a/', 'home/'] } }, context: { 's3:prefix': 'home/' }, expected: false },
  { name: 'StringNotEquals with a missing key is true', source: OPS, condition: { StringNotEquals: { 'aws:PrincipalTag/project': 'x' } }, expected: true },
  { name: 'StringEqualsIgnoreCase ignores case', condition: { StringEqualsIgnoreCase: { 'aws:PrincipalTag/Department': 'ENGINEERING' } }, expected: true },
  { name: 'StringNotEqualsIgnoreCase ignores case', condition: { StringNotEqualsIgnoreCase: { 'aws:PrincipalTag/Department': 'engineering' } }, expected: false },
  { name: 'StringNotEqualsIgnoreCase with a missing key is true', condition: { StringNotEqualsIgnoreCase: { 'aws:PrincipalTag/none': 'x' } }, expected: true },
  { name: 'StringLike with * matches any run', source: OPS, condition: { StringLike: { 's3:prefix': ['', 'home/', 'home/${aws:username}/*'] } }, context: { 's3:prefix': 'home/JaneDoe/photos/' }, expected: true },
  { name: 'StringLike with ? matches one character', condition: { StringLike: { 's3:prefix': 'v?/' } }, context: { 's3:prefix': 'v2/' }, expected: true },
  { name: 'StringLike ? does not match two characters', condition: { StringLike: { 's3:prefix': 'v?/' } }, context: { 's3:prefix': 'v10/' }, expected: false },
  { name: 'StringLike is case-sensitive', condition: { StringLike: { 's3:prefix': 'Home/*' } }, context: { 's3:prefix': 'home/x' }, expected: false },
  { name: 'StringLike needs a wildcard for a partial match', source: OPS, condition: { StringLike: { 's3:prefix': 'home' } }, context: { 's3:prefix': 'home/x' }, expected: false },
  { name: 'StringLike * crosses slashes and colons', condition: { StringLike: { 'aws:PrincipalArn': 'arn:*:user/*/JaneDoe' } }, expected: true },
  { name: 'StringNotLike is true when no pattern matches', condition: { StringNotLike: { 's3:prefix': ['tmp/*', 'cache/*'] } }, context: { 's3:prefix': 'home/' }, expected: true },
  { name: 'StringNotLike is false when a pattern matches', condition: { StringNotLike: { 's3:prefix': ['tmp/*', 'home/*'] } }, context: { 's3:prefix': 'home/x' }, expected: false },
  { name: 'StringNotLike with a missing key is true', source: OPS, condition: { StringNotLike: { 's3:prefix': 'home/*' } }, expected: true },
  { name: 'several keys under one operator are AND-ed', condition: { StringEquals: { 'aws:PrincipalTag/Department': 'Engineering', 's3:prefix': 'x' } }, context: { 's3:prefix': 'y' }, expected: false },
  { name: 'several operators are AND-ed', condition: { StringEquals: { 'aws:PrincipalTag/Department': 'Engineering' }, StringLike: { 's3:prefix': 'home/*' } }, context: { 's3:prefix': 'home/a' }, expected: true },
  // AWS: "Multivalued context keys require a condition set operator"; what it decides without one is
  // not documented, so an Allow does not grant (and a Deny applies, see evaluate/decision.test.ts).
  { name: 'without a qualifier, a multivalued key does not allow even when a value matches', source: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-single-vs-multi-valued-context-keys.html', condition: { StringEquals: { 'aws:TagKeys': 'env' } }, context: { 'aws:TagKeys': ['team', 'env'] }, expected: false },
  { name: 'without a qualifier, a negated operator on a multivalued key does not allow', condition: { StringNotEquals: { 'aws:TagKeys': 'env' } }, context: { 'aws:TagKeys': ['team', 'ops'] }, expected: false },
  { name: 'an empty list counts as a missing key', condition: { StringEquals: { 'aws:TagKeys': 'env' } }, context: { 'aws:TagKeys': [] }, expected: false },
]);
