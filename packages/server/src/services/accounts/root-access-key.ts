/**
 * `castellan root create-access-key`: root's access key made on purpose by the operator. Bootstrap
 * makes root's key only at the account's first start (best practice 1 is to delete it, and a start
 * must not bring it back); an operator who needs one again (no IAM user left that can manage the
 * account) makes it here. The secret is answered once; the call is in the account's trail as root's
 * `CreateAccessKey` (the secret never in the record), with AWS's quota of two keys for root.
 *
 * @module
 */
import { IAM_QUOTAS } from '../../domain/quotas.js';
import { createAccessKey } from '../iam/access-keys.js';
import { audited, rootContext, type RootCallDeps } from './root-calls.js';

/** The new key, its secret shown this once. */
export interface NewRootAccessKey {
  accountId: string;
  accessKeyId: string;
  secretAccessKey: string;
}

/** Creates an Active access key for root of the account (default: the one bootstrap made). */
export async function createRootAccessKey(deps: RootCallDeps, input: { accountId?: string | undefined; now: Date }): Promise<NewRootAccessKey> {
  const ctx = await rootContext(deps, input);
  const key = await audited(
    deps,
    ctx,
    'CreateAccessKey',
    {},
    // Not recorded as bootstrap's key: later starts find it as root's key all the same, and fixed
    // credentials in the configuration (which replace the key bootstrap recorded) leave it alone.
    (tx) => createAccessKey({ store: tx, ids: deps.ids, quotas: IAM_QUOTAS }, {}, ctx),
    (k) => ({ AccessKey: { AccessKeyId: k.accessKeyId, Status: k.status, CreateDate: k.createDate } }),
  );
  return { accountId: ctx.caller.accountId, accessKeyId: key.accessKeyId, secretAccessKey: key.secretAccessKey };
}
