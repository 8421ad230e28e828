/**
 * The validator AWS has, no stricter and no looser: a differential run of the corpus of documents
 * with AWS's known answers (packages/policy/test-corpus/validation/aws-answers.json), each case
 * naming where AWS's answer comes from, plus the order in which AWS reports one of several problems.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadIamDataCatalog, type IamDataCatalog } from '../../catalog/iam-data-catalog.js';
import { validatePolicyDocument, type DocumentUse } from './policy-documents.js';

interface AwsAnswer {
  name: string;
  kind: DocumentUse;
  document: unknown;
  /** `accepted`, or AWS's MalformedPolicyDocument text. */
  aws: string;
  source: string;
}

const CORPUS: AwsAnswer[] = JSON.parse(readFileSync(fileURLToPath(new URL('../../../../policy/test-corpus/validation/aws-answers.json', import.meta.url)), 'utf8'));

/** What Castellan answers: `accepted`, or its MalformedPolicyDocument text. */
function answer(catalog: IamDataCatalog, c: { kind: DocumentUse; document: unknown }): string {
  const text = typeof c.document === 'string' ? c.document : JSON.stringify(c.document);
  try {
    validatePolicyDocument({ catalog }, text, c.kind);
    return 'accepted';
  } catch (e) {
    const err = e as { code?: string; message: string };
    if (err.code !== 'MalformedPolicyDocument') throw e;
    return err.message;
  }
}

describe('policy documents: AWS answers (differential)', () => {
  let catalog: IamDataCatalog;
  beforeAll(async () => {
    catalog = await loadIamDataCatalog();
  }, 60_000);

  it('the corpus names a source for every case and covers both answers', () => {
    expect(CORPUS.length).toBeGreaterThan(100);
    for (const c of CORPUS) expect(c.source, c.name).toMatch(/^https:\/\//);
    expect(CORPUS.some((c) => c.aws === 'accepted')).toBe(true);
    expect(CORPUS.some((c) => c.aws !== 'accepted')).toBe(true);
  });

  it.each(CORPUS.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    expect(answer(catalog, c)).toBe(c.aws);
  });

  it('a trust policy that is not JSON answers "This policy contains invalid Json", a managed one "Syntax errors in policy."', () => {
    expect(answer(catalog, { kind: 'trust', document: '{"Version": "2012-10-17", "Statement": [' })).toBe('This policy contains invalid Json');
    expect(answer(catalog, { kind: 'managed', document: '{"Version": "2012-10-17", "Statement": [' })).toBe('Syntax errors in policy.');
  });

  it('reports the problem of the earliest stage, wherever it is in the document', () => {
    const stmt = (extra: object) => ({ Effect: 'Allow', Action: 's3:GetObject', Resource: '*', ...extra });
    const doc = (...statements: object[]) => ({ Version: '2012-10-17', Statement: statements });
    // A missing Resource in the first statement, a syntax error in the second: syntax first.
    expect(answer(catalog, { kind: 'managed', document: doc(stmt({ Resource: undefined }), stmt({ Foo: 1 })) })).toBe('Syntax errors in policy.');
    // A bad vendor first, a repeated Sid after: the Sid first.
    expect(answer(catalog, { kind: 'managed', document: doc(stmt({ Action: 'a b:c' }), stmt({ Sid: 'A' }), stmt({ Sid: 'A' })) })).toBe('Statement IDs (SID) in a single policy must be unique.');
    // A bad partition first, a date AWS cannot read after: legacy parsing first.
    expect(answer(catalog, { kind: 'managed', document: doc(stmt({ Resource: 'arn:x:s3:::b' }), stmt({ Condition: { DateLessThan: { 'aws:CurrentTime': 'soon' } } })) })).toBe('The policy failed legacy parsing');
    // A missing Resource first, a bad resource region after: the resource format first.
    expect(answer(catalog, { kind: 'managed', document: doc(stmt({ Resource: undefined }), stmt({ Resource: 'arn:aws:s3:us-east-1::b' })) })).toBe('Resource arn:aws:s3:us-east-1::b can not contain region information.');
  });
});
