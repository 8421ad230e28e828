/**
 * Security key registration for the signed-in console user, as two operations the pipeline
 * authorizes and audits like any IAM call: both need `iam:CreateVirtualMFADevice` and
 * `iam:EnableMFADevice` on the user. The options call is recorded as `CreateVirtualMFADevice`
 * (read-only: nothing is stored until the key answers), the registration as `EnableMFADevice`
 * with the key's `u2f` serial number, as AWS records a security key's enablement.
 *
 * The specs are made per request: they close over the session the challenge is bound to and the
 * site (relying party id and origin) of the request.
 *
 * @module
 */
import type { PublicKeyCredentialCreationOptionsJSON } from '@simplewebauthn/server';
import type { RequestContext } from '../../domain/context.js';
import { InvalidInputError, InvalidUserTypeError } from '../../domain/errors.js';
import type { OperationSpec } from '../../pipeline/operation-spec.js';
import type { ConsoleSessionCodec } from '../../services/console/console-session-codec.js';
import { enableSecurityKey, registrationOptions, verifyRegistration, type WebAuthnSite } from '../../services/console/security-keys.js';
import { userOfCaller } from '../../services/iam/identity-common.js';
import type { ServiceDeps } from '../../services/service-deps.js';

/** What both registration calls know of the request. */
export interface SecurityKeyCallContext {
  codec: ConsoleSessionCodec;
  /** The console session the challenge is bound to. */
  sessionId: string;
  site: WebAuthnSite;
}

type UserInput = { UserName: string };

/** The signed-in user, as the IAM service reads it. */
type SignedInUser = Awaited<ReturnType<typeof userOfCaller>>;

const ACTIONS = { create: 'iam:CreateVirtualMFADevice', enable: 'iam:EnableMFADevice' } as const;

/**
 * The signed-in IAM user (root registers no security key in Castellan), by its id: the session's
 * name goes stale on a rename and could since name another user, whose ARN would be authorized.
 */
async function signedInUser(ctx: RequestContext, deps: ServiceDeps): Promise<SignedInUser> {
  if (ctx.caller.type !== 'IAMUser') throw new InvalidUserTypeError('Only an IAM user signed in to the console can register a security key.');
  return userOfCaller(deps.store, ctx.caller);
}

/**
 * One of the two registration calls: recorded as `name`, decided on the signed-in user with both
 * actions, and executed for that same user.
 */
function securityKeyOperation<I extends UserInput, O>(
  name: 'CreateVirtualMFADevice' | 'EnableMFADevice',
  readOnly: boolean,
  execute: (input: I, user: SignedInUser, ctx: RequestContext, deps: ServiceDeps) => Promise<O>,
): OperationSpec<I, O, ServiceDeps> {
  const [action, other] = name === 'CreateVirtualMFADevice' ? [ACTIONS.create, ACTIONS.enable] : [ACTIONS.enable, ACTIONS.create];
  return {
    service: 'iam',
    name,
    action,
    readOnly,
    resource: async (_input, ctx, deps) => (await signedInUser(ctx, deps)).arn,
    alsoAuthorizedActions: () => [other],
    execute: async (input, ctx, deps) => execute(input, await signedInUser(ctx, deps), ctx, deps),
  };
}

/** `POST /console-api/webauthn/registration-options`: recorded as CreateVirtualMFADevice. */
export function registrationOptionsOperation(call: SecurityKeyCallContext): OperationSpec<UserInput, { options: PublicKeyCredentialCreationOptionsJSON }, ServiceDeps> {
  return securityKeyOperation('CreateVirtualMFADevice', true, async (_input, user, ctx, deps) => {
    const label = (await deps.store.listAccountAliases(ctx.caller.accountId))[0] ?? ctx.caller.accountId;
    const options = await registrationOptions(
      { codec: call.codec, ids: deps.ids },
      { sessionId: call.sessionId, accountId: ctx.caller.accountId, userId: user.id, userName: user.name, accountLabel: label, keys: await deps.store.listSecurityKeys(user.id), site: call.site, now: ctx.now },
    );
    return { options };
  });
}

/** `POST /console-api/webauthn/register`: recorded as EnableMFADevice with the new `u2f` serial number. */
export function registerSecurityKeyOperation(call: SecurityKeyCallContext & { response: unknown }): OperationSpec<UserInput & { DeviceName: string }, { SerialNumber: string }, ServiceDeps> {
  return securityKeyOperation('EnableMFADevice', false, async (input: UserInput & { DeviceName: string }, user, ctx, deps) => {
    const key = await verifyRegistration({ codec: call.codec, store: deps.store }, { sessionId: call.sessionId, response: call.response, site: call.site, now: ctx.now });
    if (!key) throw new InvalidInputError('The security key\'s registration response is not valid for this session and site, or its challenge has expired or was already answered.');
    const serialNumber = await enableSecurityKey({ store: deps.store, ids: deps.ids, quotas: deps.quotas }, { accountId: ctx.caller.accountId, user, deviceName: input.DeviceName, key, now: ctx.now });
    return { SerialNumber: serialNumber };
  });
}
