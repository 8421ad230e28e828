import { runConditionCases } from './test-condition-cases.js';

const OPS = 'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html';
const MULTI_EXAMPLES = 'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition_examples-multi-valued-context-keys.html';

runConditionCases('Bool', [
  { name: 'Bool true with aws:SecureTransport true (AWS example)', source: OPS, condition: { Bool: { 'aws:SecureTransport': 'true' } }, context: { 'aws:SecureTransport': true }, expected: true },
  { name: 'Bool compares without regard to case', condition: { Bool: { 'aws:SecureTransport': 'True' } }, context: { 'aws:SecureTransport': 'TRUE' }, expected: true },
  { name: 'Bool false does not match true', condition: { Bool: { 'aws:MultiFactorAuthPresent': 'false' } }, context: { 'aws:MultiFactorAuthPresent': true }, expected: false },
  { name: 'Bool with a missing key is false, even for "false" (why AWS advises BoolIfExists)', source: OPS, condition: { Bool: { 'aws:MultiFactorAuthPresent': 'false' } }, expected: false },
  { name: 'BoolIfExists with a missing key is true', source: OPS, condition: { BoolIfExists: { 'aws:MultiFactorAuthPresent': 'false' } }, expected: true },
  { name: 'BoolIfExists checks a present key', condition: { BoolIfExists: { 'aws:MultiFactorAuthPresent': 'false' } }, context: { 'aws:MultiFactorAuthPresent': true }, expected: false },
  { name: 'Bool accepts JSON booleans in the policy', condition: { Bool: { 'aws:SecureTransport': true } }, context: { 'aws:SecureTransport': true }, expected: true },
]);

runConditionCases('BinaryEquals', [
  { name: 'BinaryEquals compares base64 text (AWS example)', source: OPS, condition: { BinaryEquals: { 'key:name': 'QmluYXJ5VmFsdWVJbkJhc2U2NA==' } }, context: { 'key:name': 'QmluYXJ5VmFsdWVJbkJhc2U2NA==' }, expected: true },
  { name: 'BinaryEquals differs', condition: { BinaryEquals: { 'key:name': 'QmluYXJ5VmFsdWVJbkJhc2U2NA==' } }, context: { 'key:name': 'AAAA' }, expected: false },
  { name: 'BinaryEquals with a missing key is false', condition: { BinaryEquals: { 'key:name': 'AAAA' } }, expected: false },
]);

runConditionCases('Null', [
  { name: 'Null true: the key is absent (AWS example, aws:TokenIssueTime)', source: OPS, condition: { Null: { 'aws:TokenIssueTime': 'true' } }, expected: true },
  { name: 'Null true with the key present is false', condition: { Null: { 'aws:TokenIssueTime': 'true' } }, context: { 'aws:TokenIssueTime': '2026-06-15T00:00:00Z' }, expected: false },
  { name: 'Null false: the key is present', condition: { Null: { 'aws:TokenIssueTime': 'false' } }, context: { 'aws:TokenIssueTime': '2026-06-15T00:00:00Z' }, expected: true },
  { name: 'Null false with the key absent is false', condition: { Null: { 'aws:TokenIssueTime': 'false' } }, expected: false },
  { name: 'Null sees keys AWS derives from the principal', condition: { Null: { 'aws:username': 'false' } }, expected: true },
  // AWS: `Null: false` checks "that the context key in the request exists and its value is not null", to
  // keep keys "with empty values" from passing ForAllValues: an empty string counts as null.
  { name: 'Null: an empty string is null', source: MULTI_EXAMPLES, condition: { Null: { 's3:prefix': 'false' } }, context: { 's3:prefix': '' }, expected: false },
  { name: 'Null true: an empty string is null', source: MULTI_EXAMPLES, condition: { Null: { 's3:prefix': 'true' } }, context: { 's3:prefix': '' }, expected: true },
  { name: 'Null: an empty list is absent', condition: { Null: { 'aws:TagKeys': 'true' } }, context: { 'aws:TagKeys': [] }, expected: true },
  { name: 'Null takes JSON booleans too', condition: { Null: { 'aws:TokenIssueTime': true } }, expected: true },
]);
