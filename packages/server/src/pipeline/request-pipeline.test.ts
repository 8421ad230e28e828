import { describe, expect, it } from 'vitest';
import type { Principal, RequestContext } from '../domain/context.js';
import type { AuthorizationDecision, AuthorizationRequest } from '../domain/ports/authorizer.js';
import { DeterministicIds } from '../domain/ids.js';
import { InvalidClientTokenIdError, ValidationError } from '../domain/errors.js';
import type { Authentication, AuthenticationAttempt, Authenticator } from '../domain/ports/authenticator.js';
import type { InboundRequest } from '../domain/ports/inbound-request.js';
import { OperationRegistry } from './operation-registry.js';
import type { OperationSpec } from './operation-spec.js';
import type { PipelineCall } from './pipeline-call.js';
import type { PipelineService } from './pipeline-service.js';
import { RequestPipeline } from './request-pipeline.js';
import { InMemoryAuditLog } from './test-audit-log.js';
import { CountingTransactionRunner, ListAuthorizer, userPrincipal } from './test-support.js';

const NOW = new Date('2026-05-06T07:08:09Z');
const IAM: PipelineService = { name: 'iam', title: 'IAM', eventSource: 'iam.amazonaws.com', global: true };
const session: Principal = {
  ...userPrincipal('bob'),
  type: 'AssumedRole',
  arn: 'arn:aws:sts::123456789012:assumed-role/admin/s1',
  session: { issuerArn: 'arn:aws:iam::123456789012:role/admin', issuerType: 'Role', issuerName: 'admin', issuerPrincipalId: 'AROAADMIN', createdAt: new Date('2026-05-06T07:00:00Z'), expiresAt: new Date('2026-05-06T08:00:00Z'), mfaAuthenticated: true },
};

/** A kind of proof the pipeline has never heard of: a cookie naming a console session. */
class CookieAuthenticator implements Authenticator {
  recognizes(request: InboundRequest): boolean {
    return request.header('cookie')?.startsWith('session=') === true;
  }
  async authenticate(attempt: AuthenticationAttempt): Promise<Authentication> {
    attempt.claim({ accountId: '210987654321', region: 'eu-west-1' });
    if (attempt.request.header('cookie') !== 'session=good') throw new InvalidClientTokenIdError('The security token included in the request is invalid.');
    return {
      principal: session,
      facts: { method: 'console-session', temporaryCredentials: true, mfaAuthenticatedAt: new Date('2026-05-06T07:00:00Z'), tokenIssuedAt: new Date('2026-05-06T07:00:00Z'), sourceIdentity: 'bob@example.com', sessionTags: { team: 'blue' } },
    };
  }
}

function setup(allowed: string[]) {
  const audit = new InMemoryAuditLog();
  const authorizer = new ListAuthorizer(allowed);
  const operations = new OperationRegistry().register({ service: 'iam', name: 'ListUsers', action: 'iam:ListUsers', readOnly: true, resource: () => '*', execute: () => ({ Users: [], IsTruncated: false }) });
  const pipeline = new RequestPipeline({
    authenticators: [new CookieAuthenticator()],
    authorizer,
    transactions: new CountingTransactionRunner({}),
    audit,
    operations,
    operationDeps: {},
    clock: { now: () => NOW },
    ids: new DeterministicIds(),
    defaultAccountId: '123456789012',
  });
  return { pipeline, audit, authorizer };
}

/** The setup's pipeline again, with `spec` as its one operation. */
function withOperation(t: ReturnType<typeof setup>, spec: OperationSpec<unknown, { recorded?: boolean } & Record<string, unknown>>): ReturnType<typeof setup> {
  t.pipeline = new RequestPipeline({
    authenticators: [new CookieAuthenticator()],
    authorizer: t.authorizer,
    transactions: new CountingTransactionRunner({}),
    audit: t.audit,
    operations: new OperationRegistry().register(spec as OperationSpec),
    operationDeps: {},
    clock: { now: () => NOW },
    ids: new DeterministicIds(),
    defaultAccountId: '123456789012',
  });
  return t;
}

function call(cookie: string | undefined): PipelineCall {
  const headers: Record<string, string> = cookie ? { cookie } : {};
  return {
    request: { method: 'POST', path: '/', query: '', header: (n) => headers[n], host: 'castellan.test', body: new Uint8Array() },
    services: [IAM],
    fallbackService: IAM,
    sourceIp: '192.0.2.1',
    secureTransport: true,
    userAgent: 'ua',
    operationHint: 'ListUsers',
    decode: () => ({ operation: 'ListUsers', input: {} }),
    recordedErrorCode: (code) => `Recorded${code}`,
  };
}

describe('RequestPipeline with an authenticator it was given', () => {
  it('builds the condition context from the principal and the facts of its authentication', async () => {
    const t = setup(['iam:ListUsers']);
    const outcome = await t.pipeline.run(call('session=good'));
    expect(outcome.ok).toBe(true);
    expect(t.authorizer.requests[0]!.context).toMatchObject({
      'aws:MultiFactorAuthPresent': 'true',
      'aws:MultiFactorAuthAge': '489',
      'aws:TokenIssueTime': '2026-05-06T07:00:00Z',
      'aws:SourceIdentity': 'bob@example.com',
      'aws:PrincipalTag/team': 'blue',
      'aws:SecureTransport': 'true',
      // No credential scope, but IAM is global: us-east-1 (the cookie named eu-west-1).
      'aws:RequestedRegion': 'us-east-1',
    });
    expect(t.audit.events[0]).toMatchObject({ eventSource: 'iam.amazonaws.com', global: true, caller: { arn: session.arn } });
  });

  it.each([
    { name: 'a global service signed for ap-south-1: us-east-1, as AWS serves IAM', service: IAM, scope: 'ap-south-1', region: 'us-east-1' },
    { name: 'a global service without a credential scope (console): us-east-1', service: IAM, scope: undefined, region: 'us-east-1' },
    { name: 'a regional service signed for ap-south-1: ap-south-1', service: { ...IAM, global: false }, scope: 'ap-south-1', region: 'ap-south-1' },
    { name: 'a regional service without a credential scope: the region the request claimed', service: { ...IAM, global: false }, scope: undefined, region: 'eu-west-1' },
  ])('aws:RequestedRegion of $name', async ({ service, scope, region }) => {
    const t = setup(['iam:ListUsers']);
    // The cookie's proof (it claims eu-west-1), as a SigV4 signature scoped to `scope` would state it.
    const scoped = new (class extends CookieAuthenticator {
      override async authenticate(attempt: AuthenticationAttempt): Promise<Authentication> {
        const found = await super.authenticate(attempt);
        return scope ? { ...found, facts: { ...found.facts, scope: { region: scope, service: 'iam' } } } : found;
      }
    })();
    t.pipeline = new RequestPipeline({
      authenticators: [scoped], authorizer: t.authorizer, transactions: new CountingTransactionRunner({}), audit: t.audit,
      operations: new OperationRegistry().register({ service: 'iam', name: 'ListUsers', action: 'iam:ListUsers', readOnly: true, resource: () => '*', execute: () => ({ Users: [], IsTruncated: false }) }),
      operationDeps: {}, clock: { now: () => NOW }, ids: new DeterministicIds(), defaultAccountId: '123456789012',
    });
    expect((await t.pipeline.run({ ...call('session=good'), services: [service], fallbackService: service })).ok).toBe(true);
    expect(t.authorizer.requests[0]!.context['aws:RequestedRegion']).toBe(region);
  });

  it('audits a refused proof with what the request claimed, and the error code its protocol records', async () => {
    const t = setup([]);
    const outcome = await t.pipeline.run(call('session=forged'));
    expect(outcome).toMatchObject({ ok: false, error: { code: 'InvalidClientTokenId' } });
    expect(t.audit.events).toMatchObject([{ accountId: '210987654321', region: 'eu-west-1', error: { code: 'RecordedInvalidClientTokenId' } }]);
  });

  it('answers MissingAuthenticationToken when no authenticator recognizes the request', async () => {
    const t = setup([]);
    const outcome = await t.pipeline.run(call(undefined));
    expect(outcome).toMatchObject({ ok: false, error: { code: 'MissingAuthenticationToken', message: 'Request is missing Authentication Token' } });
  });

  it('turns a denial into AccessDenied and records the decision with the call', async () => {
    const t = setup([]);
    const outcome = await t.pipeline.run(call('session=good'));
    expect(outcome).toMatchObject({ ok: false, error: { code: 'AccessDenied', message: `User: ${session.arn} is not authorized to perform: iam:ListUsers on resource: * because no identity-based policy allows the iam:ListUsers action` } });
    expect(t.audit.events[0]!.additionalEventData).toEqual({ 'castellan:decision': { effect: 'implicitDeny', action: 'iam:ListUsers', resource: '*', decidedBy: [], deniedBy: 'identity' } });
  });
});

describe('RequestPipeline with an operation allowed unless denied', () => {
  // castellan:GetCallerPermissions: no statement need allow it, a Deny refuses it, and its execute
  // reads the request's global keys.
  class DenyingAuthorizer extends ListAuthorizer {
    override async authorize(ctx: RequestContext, request: AuthorizationRequest): Promise<AuthorizationDecision> {
      const answer = await super.authorize(ctx, request);
      const deny = { policyId: 'user:bob:no', policyKind: 'identity' as const, statementIndex: 0, effect: 'Deny' as const };
      return { ...answer, decision: { effect: 'explicitDeny', decidedBy: [deny], matched: [deny], missingContextKeys: [], errors: [], reason: { kind: 'explicitDeny', layer: 'identity' } } };
    }
  }
  const seen: Array<RequestContext['conditionKeys']> = [];
  const spec = (reads: boolean): OperationSpec<unknown, Record<string, unknown>> => ({
    service: 'iam', name: 'ListUsers', action: 'iam:ListUsers', readOnly: true, allowedUnlessDenied: true, readsConditionKeys: reads,
    resource: () => '*',
    conditionKeys: () => ({ 'iam:Own': 'x' }),
    execute: (_i, ctx) => (seen.push(ctx.conditionKeys), {}),
  });

  it.each([
    ['no statement allows it: allowed, recorded as allowed by default', [], true, { effect: 'allow', action: 'iam:ListUsers', resource: '*', decidedBy: [], allowedBy: 'default' }],
    ['a statement allows it: recorded as any allowed call', ['iam:ListUsers'], true, { effect: 'allow', action: 'iam:ListUsers', resource: '*', decidedBy: [{ policyId: 'test:list-authorizer', policyName: 'ListAuthorizer', policyKind: 'identity', statementIndex: 0 }] }],
  ])('%s', async (_what, allowed, ok, decision) => {
    const t = withOperation(setup(allowed), spec(false));
    expect((await t.pipeline.run(call('session=good'))).ok).toBe(ok);
    expect(t.audit.events[0]!.additionalEventData).toEqual({ 'castellan:decision': decision });
  });

  it.each([
    ['allowed by default: bounded as a refused call\'s', [], 70_000, false],
    ['allowed by default, within the bound: kept', [], 1_000, true],
    ['allowed by a statement: valid input is kept as it is', ['iam:ListUsers'], 70_000, true],
  ])('records its input %s', async (_what, allowed, length, kept) => {
    // Anyone may make such a call: a caller no policy grants anything must not bloat the trail with it
    const t = withOperation(setup(allowed), spec(false));
    const input = { Checks: [{ Resource: 'x'.repeat(length) }] };
    expect((await t.pipeline.run({ ...call('session=good'), decode: () => ({ operation: 'ListUsers', input }) })).ok).toBe(true);
    expect(t.audit.events[0]!.request).toEqual(kept ? input : undefined);
  });

  it('is refused by a Deny statement', async () => {
    const t = setup([]);
    t.authorizer = new DenyingAuthorizer([]);
    withOperation(t, spec(false));
    expect(await t.pipeline.run(call('session=good'))).toMatchObject({ ok: false, error: { code: 'AccessDenied', message: expect.stringContaining('with an explicit deny in an identity-based policy') } });
  });

  it('hands the request\'s global keys to an operation that reads them, without its own keys, and to no other', async () => {
    seen.length = 0;
    await withOperation(setup([]), spec(true)).pipeline.run(call('session=good'));
    await withOperation(setup([]), spec(false)).pipeline.run(call('session=good'));
    expect(seen[0]).toMatchObject({ 'aws:MultiFactorAuthPresent': 'true', 'aws:SourceIp': '192.0.2.1' });
    expect(seen[0]!['iam:Own']).toBeUndefined();
    expect(Object.isFrozen(seen[0])).toBe(true);
    expect(seen[1]).toBeUndefined();
  });
});

describe('RequestPipeline with a read that records its own event', () => {
  // As castellan:AuthorizeRequest: its data event stands for the call when it recorded one.
  function selfRecording(recorded: boolean, { fail = false, allowed = ['iam:ListUsers'] } = {}) {
    return withOperation(setup(allowed), {
      service: 'iam', name: 'ListUsers', action: 'iam:ListUsers', readOnly: true, resource: () => '*',
      recordedByExecute: (_input, output) => output.recorded === true,
      execute: () => {
        if (fail) throw new InvalidClientTokenIdError('refused');
        return { recorded };
      },
    });
  }

  it('records nothing more when execute says it recorded the call', async () => {
    const t = selfRecording(true);
    expect((await t.pipeline.run(call('session=good'))).ok).toBe(true);
    expect(t.audit.events).toEqual([]);
  });

  it('records the call when execute recorded nothing, and a refused call always', async () => {
    const quiet = selfRecording(false);
    await quiet.pipeline.run(call('session=good'));
    expect(quiet.audit.events).toMatchObject([{ eventName: 'ListUsers' }]);
    const failed = selfRecording(true, { fail: true });
    expect((await failed.pipeline.run(call('session=good'))).ok).toBe(false);
    expect(failed.audit.events).toMatchObject([{ eventName: 'ListUsers', error: { code: 'RecordedInvalidClientTokenId' } }]);
    const denied = selfRecording(true, { allowed: [] });
    expect((await denied.pipeline.run(call('session=good'))).ok).toBe(false);
    expect(denied.audit.events).toMatchObject([{ eventName: 'ListUsers', error: { code: 'RecordedAccessDenied' } }]);
  });
});

describe('RequestPipeline when a read\'s event cannot be built', () => {
  it('records the failure\'s event instead of none', async () => {
    // Given a read whose recorded response elements throw while its event is built
    const t = withOperation(setup(['iam:ListUsers']), {
      service: 'iam', name: 'ListUsers', action: 'iam:ListUsers', readOnly: true, resource: () => '*',
      auditedAs: { service: IAM, eventName: 'ListUsers', response: () => { throw new Error('unrecordable'); } },
      execute: () => ({ Users: [], IsTruncated: false }),
    });
    // When it runs, Then the call fails and the trail has its event with the error
    expect(await t.pipeline.run(call('session=good'))).toMatchObject({ ok: false, error: { code: 'ServiceFailure' } });
    expect(t.audit.events).toMatchObject([{ eventName: 'ListUsers', error: { code: 'RecordedServiceFailure' } }]);
  });
});

describe('RequestPipeline with request parameters an operation records besides its input', () => {
  it.each([
    { name: 'an allowed call', allowed: ['iam:ListUsers'], ok: true },
    { name: 'a denied call', allowed: [], ok: false },
  ])('adds them to $name\'s record, from the caller', async ({ allowed, ok }) => {
    const t = withOperation(setup(allowed), {
      service: 'iam', name: 'ListUsers', action: 'iam:ListUsers', readOnly: true, resource: () => '*',
      recordedRequestExtras: (_input, ctx) => ({ CallerArn: ctx.caller.arn }),
      execute: () => ({ Users: [], IsTruncated: false }),
    });
    expect(await t.pipeline.run(call('session=good'))).toMatchObject({ ok });
    expect(t.audit.events).toMatchObject([{ eventName: 'ListUsers', request: { CallerArn: session.arn } }]);
  });
});

describe('RequestPipeline when the model\'s validation refuses the input', () => {
  // Names that read as the other kind: the record must follow the spec, not the name.
  it.each([
    { name: 'GetFederationToken', readOnly: false },
    { name: 'GenerateServiceLastAccessedDetails', readOnly: true },
  ])('records $name as its spec says (readOnly $readOnly), as when it runs', async ({ name, readOnly }) => {
    const t = withOperation(setup([`iam:${name}`]), { service: 'iam', name, action: `iam:${name}`, readOnly, resource: () => '*', execute: () => ({}) });
    const valid = await t.pipeline.run({ ...call('session=good'), operationHint: name, decode: () => ({ operation: name, input: {} }) });
    expect(valid.ok).toBe(true);
    const refused = await t.pipeline.run({
      ...call('session=good'),
      operationHint: name,
      decode: (_service, received) => {
        received(name, { Name: 'a' });
        throw new ValidationError('1 validation error detected');
      },
    });
    expect(refused).toMatchObject({ ok: false, error: { code: 'ValidationError' } });
    expect(t.audit.events.map((e) => [e.eventName, e.readOnly, e.error?.code])).toEqual([[name, readOnly, undefined], [name, readOnly, 'RecordedValidationError']]);
  });

  it('guesses from the name only for an operation Castellan does not implement', async () => {
    const t = setup(['iam:ListUsers']);
    await t.pipeline.run({ ...call('session=good'), operationHint: 'GetWidget', decode: () => { throw new ValidationError('no such operation'); } });
    expect(t.audit.events.map((e) => [e.eventName, e.readOnly])).toEqual([['GetWidget', true]]);
  });
});

/** What an unsigned request's authenticator answers: nobody (as `UnsignedRequestAuthenticator`). */
class NobodyAuthenticator implements Authenticator {
  recognizes(): boolean {
    return true;
  }
  async authenticate(): Promise<Authentication> {
    return { principal: { type: 'Unknown', accountId: '', arn: '', principalId: '', mfaAuthenticated: false }, facts: { method: 'unsigned', temporaryCredentials: false } };
  }
}

const STS: PipelineService = { name: 'sts', title: 'STS', eventSource: 'sts.amazonaws.com', global: false };
const federated: Principal = {
  type: 'WebIdentityUser',
  accountId: '210987654321',
  arn: 'arn:aws:iam::210987654321:oidc-provider/idp.example.com',
  principalId: 'idp.example.com:app:alice',
  mfaAuthenticated: false,
  federation: { kind: 'WebIdentity', providerArn: 'arn:aws:iam::210987654321:oidc-provider/idp.example.com', identityProvider: 'idp.example.com', subject: 'alice', audience: 'app', issuer: 'https://idp.example.com', conditionKeys: { 'idp.example.com:sub': 'alice' } },
};

describe('RequestPipeline with unsigned requests', () => {
  function tokenSetup(allowed: string[]) {
    const audit = new InMemoryAuditLog();
    const authorizer = new ListAuthorizer(allowed);
    const operations = new OperationRegistry().register(
      { service: 'sts', name: 'GetCallerIdentity', readOnly: true, skipAuthorization: true, resource: () => '*', execute: () => ({}) },
      {
        service: 'sts',
        name: 'AssumeRoleWithWebIdentity',
        readOnly: true,
        resource: () => 'arn:aws:iam::210987654321:role/web',
        conditionKeys: (_i, ctx) => ({ ...ctx.caller.federation?.conditionKeys }),
        tokenAuthentication: {
          accountId: () => '210987654321',
          authenticate: async (input: unknown) => {
            if ((input as { WebIdentityToken?: string }).WebIdentityToken !== 'good') throw new InvalidClientTokenIdError('bad token');
            return { principal: federated, facts: { method: 'identity-token', temporaryCredentials: false } };
          },
        },
        execute: (_i, ctx) => ({ Subject: ctx.caller.federation?.subject }),
      },
    );
    const pipeline = new RequestPipeline({
      authenticators: [new NobodyAuthenticator()],
      authorizer,
      transactions: new CountingTransactionRunner({}),
      audit,
      operations,
      operationDeps: {},
      clock: { now: () => NOW },
      ids: new DeterministicIds(),
      defaultAccountId: '123456789012',
    });
    return { pipeline, audit, authorizer };
  }
  const unsignedCall = (operation: string, input: Record<string, unknown>): PipelineCall => ({ ...call(undefined), services: [STS], fallbackService: STS, operationHint: operation, decode: () => ({ operation, input }) });

  it('refuses an operation that takes no token, and audits the refusal without a caller', async () => {
    const t = tokenSetup([]);
    const outcome = await t.pipeline.run(unsignedCall('GetCallerIdentity', {}));
    expect(outcome).toMatchObject({ ok: false, error: { code: 'MissingAuthenticationToken' } });
    expect(t.audit.events).toHaveLength(1);
    expect(t.audit.events[0]!.caller).toBeUndefined();
  });

  it('reads an unsigned request no further than its operation name unless the operation takes a token', async () => {
    const t = tokenSetup([]);
    const decodeFails: PipelineCall = { ...unsignedCall('CreateUser', {}), decode: () => { throw new InvalidClientTokenIdError('decoded'); } };
    expect(await t.pipeline.run(decodeFails)).toMatchObject({ ok: false, error: { code: 'MissingAuthenticationToken' } });
  });

  it('authorizes and audits the caller the token proves, in its account, with the token’s condition keys', async () => {
    const t = tokenSetup(['sts:AssumeRoleWithWebIdentity']);
    const outcome = await t.pipeline.run(unsignedCall('AssumeRoleWithWebIdentity', { WebIdentityToken: 'good' }));
    expect(outcome).toMatchObject({ ok: true, output: { Subject: 'alice' } });
    expect(t.authorizer.requests[0]!.context).toMatchObject({ 'idp.example.com:sub': 'alice' });
    expect(t.audit.events[0]).toMatchObject({ accountId: '210987654321', caller: { type: 'WebIdentityUser' } });
  });

  it('still authorizes the proven caller: a denial is AccessDenied', async () => {
    const t = tokenSetup([]);
    const outcome = await t.pipeline.run(unsignedCall('AssumeRoleWithWebIdentity', { WebIdentityToken: 'good' }));
    expect(outcome).toMatchObject({ ok: false, error: { code: 'AccessDenied' } });
  });

  it('audits a refused token in the account the input names, with no caller', async () => {
    const t = tokenSetup(['sts:AssumeRoleWithWebIdentity']);
    const outcome = await t.pipeline.run(unsignedCall('AssumeRoleWithWebIdentity', { WebIdentityToken: 'forged' }));
    expect(outcome).toMatchObject({ ok: false, error: { code: 'InvalidClientTokenId' } });
    expect(t.audit.events[0]).toMatchObject({ accountId: '210987654321', error: { code: 'RecordedInvalidClientTokenId' } });
    expect(t.audit.events[0]!.caller).toBeUndefined();
  });
});

describe('RequestPipeline and other accounts\' resources', () => {
  const STS: PipelineService = { name: 'sts', title: 'STS', eventSource: 'sts.amazonaws.com', global: false };
  const TRUST = { kind: 'trust' as const, policyId: 'trust:r', document: '{}' };
  function run(roleArn: string, policyFound: boolean, allowed: string[], readOnly = true) {
    const audit = new InMemoryAuditLog();
    const operations = new OperationRegistry().register({
      service: 'sts', name: 'AssumeRole', action: 'sts:AssumeRole', readOnly,
      resource: () => roleArn,
      resourcePolicy: () => (policyFound ? TRUST : undefined),
      execute: () => ({ AssumedRoleUser: { Arn: 'x' } }),
    });
    const pipeline = new RequestPipeline({
      authenticators: [new CookieAuthenticator()], authorizer: new ListAuthorizer(allowed), transactions: new CountingTransactionRunner({}), audit, operations,
      operationDeps: {}, clock: { now: () => NOW }, ids: new DeterministicIds(), defaultAccountId: '123456789012',
    });
    return pipeline.run({ ...call('session=good'), services: [STS], fallbackService: STS, decode: () => ({ operation: 'AssumeRole', input: { RoleArn: roleArn } }) }).then((outcome) => ({ outcome, events: audit.events }));
  }

  it.each([
    ['an allowed read', ['sts:AssumeRole'], true, true],
    ['an allowed mutation (both in its transaction)', ['sts:AssumeRole'], false, true],
    ['a denied call', [], true, false],
  ] as const)('%s that reached another account\'s resource is recorded in both trails, one sharedEventId', async (_name, allowed, readOnly, ok) => {
    // Given a role of account 444455556666 whose policy was found, When the caller of 123456789012 calls
    const { outcome, events } = await run('arn:aws:iam::444455556666:role/r', true, [...allowed], readOnly);
    // Then its trail and the role's account's get one record each, sharing an id and nothing else of theirs
    expect(outcome.ok).toBe(ok);
    expect(events.map((e) => e.accountId)).toEqual(['123456789012', '444455556666']);
    expect(events.map((e) => e.inTransaction)).toEqual(ok && !readOnly ? [true, true] : [false, false]);
    expect(events[0]!.sharedEventId).toBeDefined();
    expect(events[1]!.sharedEventId).toBe(events[0]!.sharedEventId);
    expect(events[1]!.eventId).not.toBe(events[0]!.eventId);
    // The owner's copy keeps the decision's effect, not which of the caller's own policies decided
    expect({ ...events[1], eventId: '', accountId: '', additionalEventData: undefined }).toEqual({ ...events[0], eventId: '', accountId: '', additionalEventData: undefined });
    expect(events[1]!.additionalEventData).toEqual({ 'castellan:decision': { ...(events[0]!.additionalEventData!['castellan:decision'] as object), decidedBy: [] } });
  });

  it.each([
    ['a resource of the caller\'s own account', 'arn:aws:iam::123456789012:role/r', true],
    ['another account\'s resource that does not exist', 'arn:aws:iam::444455556666:role/none', false],
  ])('%s stays in the caller\'s trail alone', async (_name, arn, found) => {
    const { events } = await run(arn, found, ['sts:AssumeRole']);
    expect(events).toHaveLength(1);
    expect(events[0]!.sharedEventId).toBeUndefined();
  });
});
