import pino from 'pino';
import { CryptoIds } from '../../../packages/server/src/domain/ids.js';
import { createApp } from '../../../packages/server/src/http/create-app.js';
import type { HttpServerHandle } from '../../../packages/server/src/http/node-listener.js';
import { OperationRegistry } from '../../../packages/server/src/pipeline/operation-registry.js';
import type { OperationSpec } from '../../../packages/server/src/pipeline/operation-spec.js';
import { InMemoryAuditLog } from '../../../packages/server/src/pipeline/test-audit-log.js';
import { CountingTransactionRunner, InMemoryCredentialResolver, ListAuthorizer, rootPrincipal } from '../../../packages/server/src/pipeline/test-support.js';
import { getCallerIdentity } from '../../../packages/server/src/protocol/query/operations/sts/get-caller-identity.js';
import { SigV4Authenticator } from '../../../packages/server/src/services/credentials/sigv4-authenticator.js';
import { startServer } from './start-server.js';

/** The fixed root key of wire-level test servers. */
export const TEST_ROOT_KEY = { accessKeyId: 'AKIACASTELLANTEST001', secretAccessKey: 'castellan-test-secret-key-0000000000000' };
/** The account of wire-level test servers. */
export const TEST_ACCOUNT_ID = '123456789012';

/** A wire-level test server: the real app and Node listener over in-memory credentials, no store. */
export interface WireServer extends HttpServerHandle {
  audit: InMemoryAuditLog;
  credentials: InMemoryCredentialResolver;
}

/**
 * Starts the HTTP app on a random port with an in-memory credential resolver holding
 * `TEST_ROOT_KEY` for the account root, STS GetCallerIdentity and any extra operations.
 * For protocol and SigV4 tests; tests of IAM behaviour use the real server with a store.
 */
export async function startWireServer(extra: Array<OperationSpec<any, any, unknown>> = []): Promise<WireServer> {
  const audit = new InMemoryAuditLog();
  const credentials = new InMemoryCredentialResolver().add(TEST_ROOT_KEY.accessKeyId, TEST_ROOT_KEY.secretAccessKey, rootPrincipal(TEST_ACCOUNT_ID, TEST_ROOT_KEY.accessKeyId));
  const app = createApp<unknown>({
    authenticators: [new SigV4Authenticator(credentials)],
    authorizer: new ListAuthorizer(),
    transactions: new CountingTransactionRunner<unknown>({}),
    audit,
    operations: new OperationRegistry<unknown>().register(getCallerIdentity, ...extra),
    operationDeps: {},
    clock: { now: () => new Date() },
    ids: new CryptoIds(),
    defaultAccountId: TEST_ACCOUNT_ID,
    logger: pino({ level: 'silent' }),
    metricsRoute: true,
  });
  const handle = await startServer(app);
  return Object.assign(handle, { audit, credentials });
}
