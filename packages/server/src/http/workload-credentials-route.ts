/**
 * `POST /_castellan/workload/credentials`: what `castellan agent` calls to turn a workload's
 * bootstrap secret (`Authorization: Bearer <secret>`) into its instance profile's role session.
 * It is not an AWS API (no SigV4: the secret is the workload's only credential, as an EC2
 * instance's identity is its host), so it lives beside the pipeline rather than in it; it keeps the
 * pipeline's promise all the same: every issuance, and every refusal, is audited as the AssumeRole
 * that EC2 records for an instance role (`userIdentity.type` AWSService, invokedBy
 * `ec2.amazonaws.com`). The secret and the issued secret key and token never reach the trail.
 *
 * @module
 */
import { Hono } from 'hono';
import type { Clock, Ids } from '../domain/context.js';
import { AwsError } from '../domain/errors.js';
import type { AuditLog } from '../domain/ports/audit-log.js';
import type { ServiceDeps } from '../services/service-deps.js';
import { exchangeWorkloadSecret } from '../services/workloads/workload-credentials.js';
import type { PeerBindings } from './create-app.js';

/** The path the agent posts to. */
export const WORKLOAD_CREDENTIALS_PATH = '/_castellan/workload/credentials';

/** The service principal recorded as the caller of workload issuances. */
export const WORKLOAD_INVOKED_BY = 'ec2.amazonaws.com';

/** What the route needs. */
export interface WorkloadRouteDeps {
  deps: ServiceDeps;
  audit: Pick<AuditLog, 'record'>;
  clock: Clock;
  ids: Ids;
  region: string;
  defaultAccountId: string;
}

/** The route, to mount on the server's app. */
export function workloadCredentialsRoute(r: WorkloadRouteDeps): Hono<{ Bindings: PeerBindings }> {
  const app = new Hono<{ Bindings: PeerBindings }>();
  app.post(WORKLOAD_CREDENTIALS_PATH, async (c) => {
    const now = r.clock.now();
    const requestId = r.ids.requestId();
    const header = c.req.header('authorization') ?? '';
    const secret = header.startsWith('Bearer ') ? header.slice('Bearer '.length).trim() : '';
    const base = {
      eventId: r.ids.requestId(),
      requestId,
      eventTime: now,
      service: 'sts',
      eventSource: 'sts.amazonaws.com',
      eventName: 'AssumeRole',
      region: r.region,
      global: false,
      sourceIp: c.env?.incoming?.socket?.remoteAddress ?? '127.0.0.1',
      userAgent: c.req.header('user-agent') ?? '',
      readOnly: false,
    };
    try {
      const s = await exchangeWorkloadSecret(r.deps, secret, { now, region: r.region });
      await r.audit.record({
        ...base,
        accountId: s.role.accountId,
        caller: { type: 'AWSService', accountId: s.role.accountId, arn: '', principalId: WORKLOAD_INVOKED_BY, mfaAuthenticated: false },
        request: { roleArn: s.role.arn, roleSessionName: s.registration.id },
        response: {
          credentials: { accessKeyId: s.credentials.accessKeyId, expiration: s.credentials.expiration.toISOString() },
          assumedRoleUser: { assumedRoleId: `${s.role.id}:${s.registration.id}`, arn: s.assumedRoleArn },
        },
        additionalEventData: { workloadRegistrationId: s.registration.id, instanceProfileName: s.registration.instanceProfileName },
      });
      return c.json({
        AccessKeyId: s.credentials.accessKeyId,
        SecretAccessKey: s.credentials.secretAccessKey,
        Token: s.credentials.sessionToken,
        Expiration: s.credentials.expiration.toISOString(),
        RoleArn: s.role.arn,
        RoleName: s.role.name,
        AssumedRoleArn: s.assumedRoleArn,
      }, 200, { 'x-amzn-requestid': requestId, 'cache-control': 'no-store' });
    } catch (err) {
      if (!(err instanceof AwsError)) throw err;
      await r.audit.record({
        ...base,
        accountId: r.defaultAccountId,
        caller: { type: 'AWSService', accountId: r.defaultAccountId, arn: '', principalId: WORKLOAD_INVOKED_BY, mfaAuthenticated: false },
        error: { code: err.code, message: err.message },
      });
      return c.json({ Code: err.code, Message: err.message }, 403, { 'x-amzn-requestid': requestId });
    }
  });
  return app;
}
