import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RequestContext } from '../../domain/context.js';
import type { ResourcePolicy } from '../../domain/ports/authorizer.js';
import { publishingChanges } from '../../store/change-publishing-store.js';
import { LocalChangeFeed } from '../../store/local-change-feed.js';
import { testDialects } from '../../store/testing.js';
import type { ServiceDeps } from '../service-deps.js';
import { putInlinePolicy } from '../iam/inline-policies.js';
import { identityFixture, type IdentityFixture } from '../iam/test-identity-fixture.js';
import { createUser } from '../iam/users.js';
import { CompiledPolicyCache } from './compiled-policy-cache.js';
import { PolicyAuthorizer } from './policy-authorizer.js';
import { PrincipalPolicyCache } from './principal-policy-cache.js';

// The prepared sets of a cached principal with a request's resource policy (AuthorizeRequest's
// bucket policy): reused by policy text, and never across a change of the principal's policies.
const doc = (...statements: object[]) => JSON.stringify({ Version: '2012-10-17', Statement: statements });
const READ = doc({ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::b/*' });
const DENY_SECRET = doc({ Sid: 'NoSecret', Effect: 'Deny', Principal: '*', Action: 's3:GetObject', Resource: 'arn:aws:s3:::b/secret/*' });
const DENY_ALL = doc({ Sid: 'Closed', Effect: 'Deny', Principal: '*', Action: 's3:*', Resource: 'arn:aws:s3:::b/*' });
const bucket = (document: string, policyId = 'bucket-policy:b'): ResourcePolicy => ({ kind: 'resource', policyId, document });

describe.each(testDialects())('PolicyAuthorizer with a principal cache and resource policies (%s)', (dialect) => {
  let f: IdentityFixture;
  let deps: ServiceDeps;
  let authorizer: PolicyAuthorizer;
  let dana: RequestContext;
  const decide = async (resource: string, resourcePolicy: ResourcePolicy) => {
    const { decision } = await authorizer.decide(dana, { action: 's3:GetObject', resource, resourceAccount: dana.caller.accountId, resourcePolicy, context: {} });
    return { effect: decision.effect, by: decision.decidedBy.map((s) => `${s.policyKind}:${s.policyId}:${s.sid ?? s.statementIndex}`) };
  };

  beforeAll(async () => {
    f = await identityFixture(dialect);
    const feed = new LocalChangeFeed();
    const principalCache = new PrincipalPolicyCache();
    feed.subscribe((change) => principalCache.forget(change));
    deps = { ...f.deps, store: publishingChanges(f.t.store, feed) };
    authorizer = new PolicyAuthorizer({ ...deps, policyCache: new CompiledPolicyCache(), principalCache });
    const { user } = await createUser(deps, { userName: 'dana' }, f.root());
    await putInlinePolicy(deps, { kind: 'user', entityName: 'dana', policyName: 'read', policyDocument: READ }, f.root());
    dana = f.as(user);
  });
  afterAll(() => f.dispose());

  it('decides each request with the resource policy it brings, compiling nothing for one seen before', async () => {
    expect(await decide('arn:aws:s3:::b/a.jpg', bucket(DENY_SECRET))).toMatchObject({ effect: 'allow' });
    const before = authorizer.cache.compileCount;
    // An allow is decided by dana's inline policy; a denial names the resource policy's statement
    const rows: Array<[string, ResourcePolicy, string, string[]]> = [
      ['arn:aws:s3:::b/a.jpg', bucket(DENY_SECRET), 'allow', ['identity']],
      ['arn:aws:s3:::b/secret/x', bucket(DENY_SECRET), 'explicitDeny', ['resource:bucket-policy:b:NoSecret']],
      ['arn:aws:s3:::b/a.jpg', bucket(DENY_ALL), 'explicitDeny', ['resource:bucket-policy:b:Closed']],
      ['arn:aws:s3:::b/a.jpg', bucket(DENY_ALL, 'bucket-policy:other'), 'explicitDeny', ['resource:bucket-policy:other:Closed']],
      ['arn:aws:s3:::b/a.jpg', bucket(DENY_SECRET), 'allow', ['identity']],
    ];
    for (const [resource, policy, effect, by] of rows) {
      const got = await decide(resource, policy);
      const shown = effect === 'allow' ? got.by.map((b) => b.split(':')[0]) : got.by;
      expect([resource, policy.policyId, got.effect, shown]).toEqual([resource, policy.policyId, effect, by]);
    }
    // Two documents (DENY_ALL once more under another id) were new; the rest came from the cache
    expect(authorizer.cache.compileCount - before).toBe(2);
    for (let i = 0; i < 20; i++) await decide(`arn:aws:s3:::b/${i}.jpg`, bucket(DENY_SECRET));
    expect(authorizer.cache.compileCount - before).toBe(2);
  });

  it('follows a change of the principal’s own policies heard on the change feed', async () => {
    expect(await decide('arn:aws:s3:::b/a.jpg', bucket(DENY_SECRET))).toMatchObject({ effect: 'allow' });
    await putInlinePolicy(deps, { kind: 'user', entityName: 'dana', policyName: 'read', policyDocument: doc({ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::other/*' }) }, f.root());
    expect(await decide('arn:aws:s3:::b/a.jpg', bucket(DENY_SECRET))).toMatchObject({ effect: 'implicitDeny' });
    await putInlinePolicy(deps, { kind: 'user', entityName: 'dana', policyName: 'read', policyDocument: READ }, f.root());
    expect(await decide('arn:aws:s3:::b/a.jpg', bucket(DENY_SECRET))).toMatchObject({ effect: 'allow' });
  });
});
