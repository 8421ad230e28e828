/**
 * castellan:GetWorkloadCredentials: what `castellan agent` calls with its bootstrap secret
 * (`Authorization: Bearer cwls_…`, proven by `WorkloadSecretAuthenticator`) for the role session it
 * serves on the EC2-metadata and container-credentials endpoints. The caller is EC2's service
 * principal acting for the registration, and the call is what EC2 makes for an instance role:
 * authorized as `sts:AssumeRole` on the profile's role by the role's trust policy (which must allow
 * `ec2.amazonaws.com`; the role's tags are its `aws:ResourceTag/…` and `iam:ResourceTag/…`), and
 * recorded as that `sts.amazonaws.com` `AssumeRole` (`userIdentity` AWSService invoked by
 * `ec2.amazonaws.com`, the role and session name as its parameters, the role in its `resources`).
 * Like AssumeRole it is a write (its model's access level): each call issues a session and records
 * the role's use, in one transaction with its record.
 */
import { recordedQueryErrorCode } from '../../../recorded-error-code.js';
import { workloadArn } from '../../../../domain/arn.js';
import type { RequestContext } from '../../../../domain/context.js';
import type { ServiceDeps } from '../../../../services/service-deps.js';
import { iamEntityTagKeys } from '../../../../services/authorization/iam-target.js';
import { issueWorkloadSession, workloadRefused, workloadRole, type WorkloadRole } from '../../../../services/workloads/workload-credentials.js';
import { castellanOperation } from '../../../define-operation.js';
import { roleSessionResources } from '../../../query/operations/sts/role-session.js';
import type { GetWorkloadCredentialsResponse } from '../../../model/castellan-types.js';
import { SERVICE_TABLE } from '../../../service-table.js';

/** The registration id the caller acts for: the authenticator names it in the principal's ARN. */
function registrationId(ctx: RequestContext): string {
  const prefix = `${workloadArn(ctx.caller.accountId, '')}`;
  if (ctx.caller.type !== 'AWSService' || !ctx.caller.arn.startsWith(prefix)) throw workloadRefused();
  return ctx.caller.arn.slice(prefix.length);
}

// The role is resolved once per request, though authorization, audit and execution each need it.
const resolved = new WeakMap<RequestContext, Promise<WorkloadRole>>();
function roleOf(ctx: RequestContext, deps: Pick<ServiceDeps, 'store'>): Promise<WorkloadRole> {
  let found = resolved.get(ctx);
  if (!found) {
    found = (async () => workloadRole(deps, ctx.caller.accountId, registrationId(ctx)))();
    resolved.set(ctx, found);
  }
  return found;
}

/** The GetWorkloadCredentials operation. */
export const getWorkloadCredentials = castellanOperation('GetWorkloadCredentials', {
  authorizedAs: 'sts:AssumeRole',
  resource: async (_input, ctx, deps) => (await roleOf(ctx, deps)).role.arn,
  resourcePolicy: async (_input, ctx, deps) => {
    const { role } = await roleOf(ctx, deps);
    return { kind: 'trust', policyId: `trust:${role.arn}`, document: role.assumeRolePolicyDocument };
  },
  // The role's tags, as for any sts:AssumeRole (role-session.ts): a trust policy may name them.
  conditionKeys: async (_input, ctx, deps) => {
    const { role } = await roleOf(ctx, deps);
    return iamEntityTagKeys((await deps.store.listTags({ kind: 'role', id: role.id }, { maxItems: 1000 })).items);
  },
  auditedAs: {
    service: SERVICE_TABLE.sts,
    eventName: 'AssumeRole',
    request: async (_input, ctx, deps) => {
      const { role, registration } = await roleOf(ctx, deps);
      return { RoleArn: role.arn, RoleSessionName: registration.id };
    },
    // The role, as AWS's AssumeRole records list it.
    resources: async (_input, ctx, deps) => roleSessionResources({ RoleArn: (await roleOf(ctx, deps)).role.arn }),
    // STS is a Query service: its records spell errors as a Query call's do (`AccessDenied`).
    errorCode: recordedQueryErrorCode,
    response: (output: GetWorkloadCredentialsResponse) => ({
      Credentials: { AccessKeyId: output.Credentials.AccessKeyId, Expiration: output.Credentials.Expiration },
      AssumedRoleUser: { AssumedRoleId: output.AssumedRoleId, Arn: output.AssumedRoleArn },
    }),
  },
  async execute(_input, ctx, deps) {
    const session = await issueWorkloadSession(deps, await roleOf(ctx, deps), { now: ctx.now, region: ctx.region });
    return {
      Credentials: {
        AccessKeyId: session.credentials.accessKeyId,
        SecretAccessKey: session.credentials.secretAccessKey,
        SessionToken: session.credentials.sessionToken,
        Expiration: session.credentials.expiration,
      },
      WorkloadId: session.registration.id,
      RoleArn: session.role.arn,
      AssumedRoleId: `${session.role.id}:${session.registration.id}`,
      AssumedRoleArn: session.assumedRoleArn,
    };
  },
});
