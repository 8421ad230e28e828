/**
 * The validation corpus (test-corpus/validation/aws-answers.json: documents with AWS's answers and
 * where each answer comes from) against the parser: a document AWS stores parses, one AWS refuses
 * does not. The server's test checks AWS's exact texts and which problem is reported first.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parsePolicy } from '../index.js';

interface AwsAnswer {
  name: string;
  kind: 'managed' | 'inline' | 'trust';
  document: unknown;
  aws: string;
  source: string;
}

const cases: AwsAnswer[] = JSON.parse(readFileSync(fileURLToPath(new URL('../../test-corpus/validation/aws-answers.json', import.meta.url)), 'utf8'));

describe('the parser against AWS answers', () => {
  // The version rule of managed policies is the server's (it is not a rule of the language).
  const relevant = cases.filter((c) => c.aws !== 'Policy document must be version 2012-10-17 or greater.');
  it.each(relevant.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const text = typeof c.document === 'string' ? c.document : JSON.stringify(c.document);
    const r = parsePolicy(text, { kind: c.kind === 'trust' ? 'trust' : 'identity' });
    expect(r.ok, r.ok ? 'accepted' : JSON.stringify(r.diagnostics)).toBe(c.aws === 'accepted');
  });
});
