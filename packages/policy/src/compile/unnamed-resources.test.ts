import { describe, expect, it } from 'vitest';
import { mayMatchSome, matchesEvery, requestTokens, statementTokens } from './unnamed-resources.js';

const A = '111122223333';
const users = `arn:aws:iam::${A}:user/*`;

describe('statement patterns against resources not named yet', () => {
  // [statement pattern, request pattern, may match some, matches every]
  it.each([
    [users, users, true, true],
    ['arn:aws:iam::*:user/*', users, true, true],
    [`arn:aws:iam::${A}:user/dev-*`, users, true, false],
    [`arn:aws:iam::${A}:user/team/*`, users, true, false],
    [`arn:aws:iam::${A}:user/*`, `arn:aws:iam::${A}:user/team/*`, true, true],
    [`arn:aws:iam::${A}:user/team/*`, `arn:aws:iam::${A}:user/team/*`, true, true],
    [`arn:aws:iam::${A}:user/ops/*`, `arn:aws:iam::${A}:user/team/*`, false, false],
    [`arn:aws:iam::${A}:group/*`, users, false, false],
    ['arn:aws:iam::444455556666:user/*', users, false, false],
    ['arn:aws:iam::*:group/*', users, false, false],
    [`arn:aws:iam::${A}:user/?*`, users, true, false],
    [`arn:aws:iam::${A}:user/bob`, users, true, false],
    [`arn:aws:iam::${A}:*`, users, true, true],
    ['arn:aws:iam::*:*', users, true, true],
    // a variable stands for any text: it may match, it is never sure to
    ['arn:aws:iam::*:user/${aws:username}', users, true, false],
    ['arn:aws:iam::*:user/${aws:username}*', users, true, false],
    // an escaped star is a star, not a wildcard
    [`arn:aws:iam::${A}:user/\${*}`, users, true, false],
    // the request's wildcards stand for a name's characters, never a colon
    [`arn:aws:iam::${A}:user/a:b`, users, false, false],
  ])('%s against %s', (statement, request, some, every) => {
    const s = statementTokens(statement, true);
    const r = requestTokens(request);
    expect([mayMatchSome(s, r), matchesEvery(s, r)]).toEqual([some, every]);
  });

  it('gives each test its safe answer for patterns too long to compare', () => {
    const long = requestTokens(`arn:aws:iam::${A}:user/${'a'.repeat(2000)}*`);
    const statement = statementTokens(`arn:aws:iam::${A}:user/${'*a'.repeat(300)}`, true);
    expect([mayMatchSome(statement, long), matchesEvery(statement, long)]).toEqual([true, false]);
  });
});
