import { runConditionCases } from './test-condition-cases.js';

const OPS = 'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html';

runConditionCases('numeric condition operators', [
  { name: 'NumericLessThanEquals allows up to the value (AWS example)', source: OPS, condition: { NumericLessThanEquals: { 's3:max-keys': '10' } }, context: { 's3:max-keys': '10' }, expected: true },
  { name: 'NumericLessThanEquals refuses above the value', source: OPS, condition: { NumericLessThanEquals: { 's3:max-keys': '10' } }, context: { 's3:max-keys': 11 }, expected: false },
  { name: 'NumericEquals compares numbers, not text', condition: { NumericEquals: { 's3:max-keys': '10' } }, context: { 's3:max-keys': '10.0' }, expected: true },
  { name: 'NumericNotEquals', condition: { NumericNotEquals: { 's3:max-keys': ['10', '20'] } }, context: { 's3:max-keys': 15 }, expected: true },
  { name: 'NumericNotEquals with a matching value is false', condition: { NumericNotEquals: { 's3:max-keys': ['10', '20'] } }, context: { 's3:max-keys': 20 }, expected: false },
  { name: 'NumericNotEquals with a missing key is true', source: OPS, condition: { NumericNotEquals: { 's3:max-keys': '10' } }, expected: true },
  { name: 'NumericLessThan', condition: { NumericLessThan: { 's3:max-keys': 10 } }, context: { 's3:max-keys': 9.5 }, expected: true },
  { name: 'NumericGreaterThan', condition: { NumericGreaterThan: { 's3:max-keys': '10' } }, context: { 's3:max-keys': 10 }, expected: false },
  { name: 'NumericGreaterThanEquals', condition: { NumericGreaterThanEquals: { 's3:max-keys': '10' } }, context: { 's3:max-keys': 10 }, expected: true },
  { name: 'a non-numeric request value never matches', condition: { NumericLessThan: { 's3:max-keys': '10' } }, context: { 's3:max-keys': 'ten' }, expected: false },
  { name: 'a missing key is false', condition: { NumericLessThan: { 's3:max-keys': '10' } }, expected: false },
  { name: 'NumericLessThanIfExists with a missing key is true', source: OPS, condition: { NumericLessThanIfExists: { 's3:max-keys': '10' } }, expected: true },
  // Fail closed: NumericNotEquals on a value it cannot read does not allow (it used to grant).
  { name: 'NumericNotEquals on a non-numeric request value does not allow', condition: { NumericNotEquals: { 's3:max-keys': '10' } }, context: { 's3:max-keys': 'ten' }, expected: false },
  { name: 'ForAllValues:NumericNotEquals with one unreadable value does not allow', condition: { 'ForAllValues:NumericNotEquals': { 's3:max-keys': '10' } }, context: { 's3:max-keys': ['11', 'ten'] }, expected: false },
]);

runConditionCases('date condition operators', [
  { name: 'DateGreaterThan with aws:CurrentTime (from the request time)', source: OPS, condition: { DateGreaterThan: { 'aws:CurrentTime': '2026-01-01T00:00:00Z' } }, expected: true },
  { name: 'DateLessThan with aws:CurrentTime', condition: { DateLessThan: { 'aws:CurrentTime': '2026-06-15T12:00:00Z' } }, expected: false },
  { name: 'DateLessThanEquals at the same instant', condition: { DateLessThanEquals: { 'aws:CurrentTime': '2026-06-15T12:00:00Z' } }, expected: true },
  { name: 'DateEquals with a zone offset', condition: { DateEquals: { 'aws:CurrentTime': '2026-06-15T14:00:00+02:00' } }, expected: true },
  { name: 'DateNotEquals', condition: { DateNotEquals: { 'aws:CurrentTime': '2026-06-15T12:00:01Z' } }, expected: true },
  { name: 'epoch seconds as the policy value', source: OPS, condition: { DateGreaterThanEquals: { 'aws:EpochTime': '1781524800' } }, expected: true },
  { name: 'aws:EpochTime against an ISO date', condition: { DateLessThan: { 'aws:EpochTime': '2026-06-15T12:00:01Z' } }, expected: true },
  { name: 'aws:TokenIssueTime given as an ISO string', source: OPS, condition: { DateGreaterThan: { 'aws:TokenIssueTime': '2026-06-15T00:00:00Z' } }, context: { 'aws:TokenIssueTime': '2026-06-15T08:00:00Z' }, expected: true },
  { name: 'a date-only policy value is midnight UTC', condition: { DateGreaterThanEquals: { 'aws:CurrentTime': '2026-06-15' } }, expected: true },
  { name: 'a missing date key is false', condition: { DateGreaterThan: { 'aws:TokenIssueTime': '2020-01-01T00:00:00Z' } }, expected: false },
  { name: 'DateNotEquals with a missing key is true', condition: { DateNotEquals: { 'aws:TokenIssueTime': '2020-01-01T00:00:00Z' } }, expected: true },
  { name: 'DateGreaterThanIfExists with a missing key is true', condition: { DateGreaterThanIfExists: { 'aws:TokenIssueTime': '2020-01-01T00:00:00Z' } }, expected: true },
  { name: 'an unparseable request date never matches', condition: { DateLessThan: { 'aws:TokenIssueTime': '2030-01-01T00:00:00Z' } }, context: { 'aws:TokenIssueTime': 'yesterday' }, expected: false },
  { name: 'DateNotEquals on an unparseable request date does not allow', condition: { DateNotEquals: { 'aws:TokenIssueTime': '2030-01-01T00:00:00Z' } }, context: { 'aws:TokenIssueTime': 'yesterday' }, expected: false },
  // Dates AWS reads (ISO 8601 as Joda-Time parses it; cases recorded against AWS in getmoto/moto
  // tests/test_iam/test_iam_policies.py): partial dates, lowercase t, short offsets, negative years.
  { name: 'a year and month is the first of the month', condition: { DateGreaterThan: { 'aws:CurrentTime': '2026-06' } }, expected: true },
  { name: 'a year and month: the month after is later', condition: { DateLessThan: { 'aws:CurrentTime': '2026-07' } }, expected: true },
  { name: '`01T` is the year 1', condition: { DateGreaterThan: { 'aws:CurrentTime': '01T' } }, expected: true },
  { name: 'a negative year is a date long past', condition: { DateGreaterThan: { 'aws:CurrentTime': '-292275054' } }, expected: true },
  { name: 'a lowercase t, a one-digit hour and an hours-only offset', condition: { DateEquals: { 'aws:CurrentTime': '2026-06-15t9:00:00-03' } }, expected: true },
  { name: 'an hour without minutes', condition: { DateEquals: { 'aws:CurrentTime': '2026-06-15T12Z' } }, expected: true },
  { name: 'nine fraction digits', condition: { DateLessThan: { 'aws:CurrentTime': '2026-06-15T12:00:00.001000000Z' } }, expected: true },
]);
