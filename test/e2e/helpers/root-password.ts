/**
 * Sets root's console password in a test's store as `castellan root set-password` does: through the
 * operator's service, recorded in the trail as root's `PasswordUpdated`.
 */
import { StoreAuditLog } from '../../../packages/server/src/audit/store-audit-log.js';
import { CryptoIds } from '../../../packages/server/src/domain/ids.js';
import { setRootPassword as setRecorded } from '../../../packages/server/src/services/accounts/root-password.js';
import type { Store } from '../../../packages/server/src/store/store.js';

export async function setRootPassword(store: Store, input: { accountId: string; password: string }): Promise<string> {
  const audit = new StoreAuditLog({ store, transactionStore: (tx: Store) => tx });
  try {
    return await setRecorded({ store, ids: new CryptoIds(), audit, userAgent: 'castellan-cli' }, { ...input, now: new Date() });
  } finally {
    await audit.close();
  }
}
