/**
 * The policy parser as the wire reaches it (`validatePolicyDocument`, with AWS's catalogue): random
 * and policy-shaped documents for every use either parse or are refused with AWS's codes for a bad
 * document (`MalformedPolicyDocument`, `LimitExceeded`), never another exception, within a bounded
 * time per document. The pure parser's own fuzz tests are in packages/policy.
 * Runs per property: 2,000 in the normal test run, CASTELLAN_FUZZ_RUNS under `npm run fuzz`.
 */
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadIamDataCatalog, type IamDataCatalog } from '../../catalog/iam-data-catalog.js';
import { AwsError } from '../../domain/errors.js';
import { AWS_ERRORS, awsErrorInfo } from '../../protocol/model/aws-errors.js';
import { validatePolicyDocument, type DocumentUse } from './policy-documents.js';

const RUNS = Number(process.env.CASTELLAN_FUZZ_RUNS ?? 2000);
const MAX_MS_PER_INPUT = 1000;
const USES: DocumentUse[] = ['managed', 'inline', 'trust', 'boundary'];
const DOCUMENT_ERRORS = new Set(['MalformedPolicyDocument', 'LimitExceeded']);

let catalog: IamDataCatalog;
beforeAll(async () => {
  catalog = await loadIamDataCatalog();
});

function validate(document: string, use: DocumentUse): void {
  const started = performance.now();
  try {
    const policy = validatePolicyDocument({ catalog }, document, use);
    expect(Array.isArray(policy.statements)).toBe(true);
  } catch (e) {
    if (!(e instanceof AwsError)) throw new Error(`not an AwsError: ${String(e)}`, { cause: e });
    expect(DOCUMENT_ERRORS.has(e.code), `unexpected code ${e.code}`).toBe(true);
    expect(Object.hasOwn(AWS_ERRORS, e.code)).toBe(true);
    expect(awsErrorInfo(e.code).httpStatus).toBeLessThan(500);
    expect(e.message.length).toBeGreaterThan(0);
  }
  expect(performance.now() - started).toBeLessThan(MAX_MS_PER_INPUT);
}

const anyValue = fc.oneof(
  fc.string({ maxLength: 20 }),
  fc.constantFrom('*', 's3:GetObject', 'iam:*', 'arn:aws:s3:::b/*', 'arn:aws:iam::123456789012:user/a', 'arn:aws:iam::123456789012:root', '123456789012', 'ec2.amazonaws.com', '${aws:username}', '${', 'Allow', 'Deny', 'allow', '', '__proto__', 'constructor'),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.string({ maxLength: 12 }), { maxLength: 3 }),
);
const conditionBlock = fc.dictionary(
  fc.constantFrom('StringEquals', 'StringLike', 'ForAnyValue:StringLike', 'ForAllValues:StringEquals', 'StringLikeIfExists', 'Null', 'Bool', 'IpAddress', 'NotIpAddress', 'DateLessThan', 'NumericGreaterThan', 'ArnLike', 'BinaryEquals', 'Nope', '__proto__', 'constructor'),
  fc.dictionary(fc.constantFrom('aws:username', 'aws:SourceIp', 'aws:CurrentTime', 'aws:TagKeys', 's3:prefix', 'nokey', '__proto__', 'aws:PrincipalTag/${aws:username}'), anyValue, { maxKeys: 2 }),
  { maxKeys: 3 },
);
const principal = fc.oneof(anyValue, fc.dictionary(fc.constantFrom('AWS', 'Service', 'Federated', 'CanonicalUser', 'Bogus', '__proto__'), anyValue, { maxKeys: 2 }));
const statement = fc.record(
  {
    Sid: anyValue,
    Effect: anyValue,
    Action: anyValue,
    NotAction: anyValue,
    Resource: anyValue,
    NotResource: anyValue,
    Principal: principal,
    NotPrincipal: principal,
    Condition: fc.oneof(conditionBlock, anyValue),
    Bogus: anyValue,
  },
  { requiredKeys: [] },
);
const policyShaped = fc.record(
  { Version: fc.oneof(fc.constantFrom('2012-10-17', '2008-10-17'), anyValue), Id: anyValue, Statement: fc.oneof(statement, fc.array(statement, { maxLength: 4 }), anyValue) },
  { requiredKeys: [] },
);

describe('policy documents on the wire: fuzz', () => {
  it('policy-shaped documents with random parts', () => {
    fc.assert(
      fc.property(policyShaped, fc.constantFrom(...USES), (doc, use) => {
        validate(JSON.stringify(doc), use);
      }),
      { numRuns: RUNS },
    );
  });

  it('random JSON and random text', () => {
    fc.assert(
      fc.property(fc.oneof(fc.json({ maxDepth: 5 }), fc.string({ maxLength: 200 }), fc.string({ unit: 'binary', maxLength: 100 })), fc.constantFrom(...USES), (text, use) => {
        validate(text, use);
      }),
      { numRuns: RUNS },
    );
  });

  it('mutations of a valid document', () => {
    const valid = JSON.stringify({
      Version: '2012-10-17',
      Statement: [
        { Sid: 'A', Effect: 'Allow', Action: ['s3:Get*', 'iam:ListUsers'], Resource: 'arn:aws:s3:::b/${aws:username}/*', Condition: { StringLike: { 's3:prefix': ['home/*'] }, Bool: { 'aws:SecureTransport': 'true' } } },
        { Effect: 'Deny', NotAction: 'iam:*', NotResource: '*', Condition: { IpAddress: { 'aws:SourceIp': '10.0.0.0/8' }, DateLessThan: { 'aws:CurrentTime': '2030-01-01T00:00:00Z' } } },
      ],
    });
    fc.assert(
      fc.property(fc.nat(valid.length - 1), fc.nat(valid.length), fc.string({ maxLength: 6 }), fc.constantFrom(...USES), (at, cut, insert, use) => {
        validate(valid.slice(0, at) + insert + valid.slice(Math.max(at, cut)), use);
      }),
      { numRuns: RUNS },
    );
  });
});
