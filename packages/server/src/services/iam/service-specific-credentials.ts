/**
 * Service-specific credentials (CreateServiceSpecificCredential, ListServiceSpecificCredentials,
 * ResetServiceSpecificCredential, UpdateServiceSpecificCredential, DeleteServiceSpecificCredential):
 * a user name and generated password for CodeCommit or Amazon Keyspaces, at most 2 per service per
 * user. The password is returned once, by Create and Reset, and stored only as an argon2id hash.
 *
 * @module
 */
import type { RequestContext } from '../../domain/context.js';
import { NoSuchEntityError, NotSupportedServiceError } from '../../domain/errors.js';
import type { AccessKeyStatus, ServiceSpecificCredential, ServiceSpecificCredentialWithPassword } from '../../domain/iam-entities.js';
import { StoreLimitError } from '../../store/store-errors.js';
import type { ServiceSpecificCredentialRow, UserRow } from '../../store/store.js';
import type { ServiceDeps } from '../service-deps.js';
import { servicePassword, serviceSpecificCredentialId } from './credential-ids.js';
import { toServiceSpecificCredential } from './entity-views.js';
import { credentialSubject, quotaExceeded, requireUser } from './identity-common.js';
import { hashPassword } from './login-profiles.js';

/**
 * The services AWS issues user-name-and-password credentials for. (Amazon Bedrock's API keys are
 * service-specific credentials too, but with an alias and secret that this API version's model
 * does not carry, so they are not offered.)
 */
export const SERVICE_SPECIFIC_CREDENTIAL_SERVICES: ReadonlySet<string> = new Set(['codecommit.amazonaws.com', 'cassandra.amazonaws.com']);

/** AWS's limit: two sets per supported service per user. */
export const SERVICE_SPECIFIC_CREDENTIALS_PER_SERVICE = 2;

/** CreateServiceSpecificCredential: `<user>-at-<account>` and a new password, returned this once. */
export async function createServiceSpecificCredential(
  deps: ServiceDeps,
  input: { userName: string; serviceName: string },
  ctx: RequestContext,
): Promise<ServiceSpecificCredentialWithPassword> {
  const user = await requireUser(deps.store, ctx.caller.accountId, input.userName);
  if (!SERVICE_SPECIFIC_CREDENTIAL_SERVICES.has(input.serviceName)) {
    throw new NotSupportedServiceError(`The service ${input.serviceName} is not supported for service-specific credentials.`);
  }
  const password = servicePassword(deps.ids);
  try {
    const row = await deps.store.createServiceSpecificCredential({
      accountId: ctx.caller.accountId,
      id: serviceSpecificCredentialId(deps.ids),
      userId: user.id,
      serviceName: input.serviceName,
      serviceUserName: `${user.name}-at-${ctx.caller.accountId}`,
      passwordHash: await hashPassword(password),
      status: 'Active',
      createDate: ctx.now,
      maxPerService: SERVICE_SPECIFIC_CREDENTIALS_PER_SERVICE,
    });
    return { ...toServiceSpecificCredential(row, user.name), servicePassword: password };
  } catch (err) {
    if (err instanceof StoreLimitError) throw quotaExceeded('ServiceSpecificCredentialsPerUserPerService', SERVICE_SPECIFIC_CREDENTIALS_PER_SERVICE);
    throw err;
  }
}

/** ListServiceSpecificCredentials: metadata only (the caller's own without a name; the root has none). */
export async function listServiceSpecificCredentials(
  deps: ServiceDeps,
  input: { userName?: string | undefined; serviceName?: string | undefined },
  ctx: RequestContext,
): Promise<ServiceSpecificCredential[]> {
  const subject = await credentialSubject(deps.store, ctx, input.userName);
  if (subject.kind === 'root') return [];
  const { user } = subject;
  const rows = await deps.store.listServiceSpecificCredentials({ userId: user.id, ...(input.serviceName !== undefined ? { serviceName: input.serviceName } : {}) });
  return rows.map((row) => toServiceSpecificCredential(row, user.name));
}

/** ResetServiceSpecificCredential: a new password, returned this once; the old one stops working. */
export async function resetServiceSpecificCredential(
  deps: ServiceDeps,
  input: { userName?: string | undefined; serviceSpecificCredentialId: string },
  ctx: RequestContext,
): Promise<ServiceSpecificCredentialWithPassword> {
  const { user } = await ownCredential(deps, input, ctx);
  const password = servicePassword(deps.ids);
  const row = await deps.store.updateServiceSpecificCredential(input.serviceSpecificCredentialId, { passwordHash: await hashPassword(password) });
  if (!row) throw noSuchCredential(input.serviceSpecificCredentialId);
  return { ...toServiceSpecificCredential(row, user.name), servicePassword: password };
}

/** UpdateServiceSpecificCredential: Active or Inactive. */
export async function updateServiceSpecificCredential(
  deps: ServiceDeps,
  input: { userName?: string | undefined; serviceSpecificCredentialId: string; status: AccessKeyStatus },
  ctx: RequestContext,
): Promise<void> {
  await ownCredential(deps, input, ctx);
  await deps.store.updateServiceSpecificCredential(input.serviceSpecificCredentialId, { status: input.status });
}

/** DeleteServiceSpecificCredential. */
export async function deleteServiceSpecificCredential(
  deps: ServiceDeps,
  input: { userName?: string | undefined; serviceSpecificCredentialId: string },
  ctx: RequestContext,
): Promise<void> {
  await ownCredential(deps, input, ctx);
  await deps.store.deleteServiceSpecificCredential(input.serviceSpecificCredentialId);
}

/** The credential of the named user (the caller without a name), or NoSuchEntity. */
async function ownCredential(
  deps: ServiceDeps,
  input: { userName?: string | undefined; serviceSpecificCredentialId: string },
  ctx: RequestContext,
): Promise<{ user: UserRow; row: ServiceSpecificCredentialRow }> {
  const subject = await credentialSubject(deps.store, ctx, input.userName);
  const row = await deps.store.getServiceSpecificCredential(input.serviceSpecificCredentialId);
  if (subject.kind === 'root' || !row || row.userId !== subject.user.id) throw noSuchCredential(input.serviceSpecificCredentialId);
  return { user: subject.user, row };
}

function noSuchCredential(id: string): NoSuchEntityError {
  return new NoSuchEntityError(`The Service Specific Credential with id ${id} cannot be found.`);
}
