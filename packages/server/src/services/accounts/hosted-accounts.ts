/**
 * The accounts one deployment hosts. The first is made by bootstrap on first start; the operator
 * adds more with `castellan account create`, each with its own root access key (printed once) and
 * its own users, roles, policies and trail: every IAM, STS and CloudTrail call works in the
 * caller's account only, and a resource of another account is reached only where that account's
 * resource policy (a role's trust policy) allows it, as between AWS accounts.
 *
 * @module
 */
import { AwsError } from '../../domain/errors.js';
import type { Store } from '../../store/store.js';
import { StoreConflictError } from '../../store/store-errors.js';
import { generateAccountId, BOOTSTRAP_ACCOUNT_META } from '../bootstrap.js';
import type { ServiceDeps } from '../service-deps.js';

/** A new account and the only copy of its root secret. */
export interface CreatedAccount {
  accountId: string;
  createDate: Date;
  rootAccessKeyId: string;
  rootSecretAccessKey: string;
}

/** One hosted account, as `castellan account list` shows it. */
export interface HostedAccount {
  accountId: string;
  createDate: Date;
  aliases: string[];
  /** True for the account bootstrap made (unauthenticated requests are recorded in its trail). */
  bootstrap: boolean;
}

/** Refusals of `createHostedAccount` the operator can act on. */
export class AccountAdminError extends Error {}

/** The requested account id is taken (castellan:CreateAccount answers `DuplicateAccountException`, 409). */
export class DuplicateAccountError extends AwsError { readonly code = 'DuplicateAccountException'; }

// A hosted account's own root key; like the bootstrap's, it is never limited by the per-owner quota.
const UNLIMITED = Number.MAX_SAFE_INTEGER;

/**
 * Creates an account (a random 12-digit id unless `accountId` is given) with an Active root access
 * key, in one transaction. A taken id is refused.
 */
export async function createHostedAccount(
  deps: Pick<ServiceDeps, 'store' | 'ids'>,
  input: { accountId?: string | undefined; now: Date },
): Promise<CreatedAccount> {
  if (input.accountId !== undefined && !/^\d{12}$/.test(input.accountId)) throw new AccountAdminError(`the account id must be 12 digits, not \`${input.accountId}\``);
  return deps.store.transaction(async (tx) => {
    if ((await tx.getMeta(BOOTSTRAP_ACCOUNT_META)) === undefined) {
      throw new AccountAdminError('this database has not been started by a Castellan server yet: run `castellan serve` once first');
    }
    let accountId = input.accountId ?? generateAccountId(deps);
    // A generated id that happens to be taken is drawn again; a requested one is refused.
    while (input.accountId === undefined && (await tx.getAccount(accountId))) accountId = generateAccountId(deps);
    if (await tx.getAccount(accountId)) throw new DuplicateAccountError(`account ${accountId} already exists`);
    try {
      await tx.createAccount({ id: accountId, createDate: input.now });
    } catch (err) {
      if (err instanceof StoreConflictError) throw new DuplicateAccountError(`account ${accountId} already exists`);
      throw err;
    }
    const rootAccessKeyId = deps.ids.accessKeyId('AKIA');
    const rootSecretAccessKey = deps.ids.secretAccessKey();
    await tx.createAccessKey({ accountId, accessKeyId: rootAccessKeyId, owner: { kind: 'root' }, secretAccessKey: rootSecretAccessKey, status: 'Active', createDate: input.now, maxPerOwner: UNLIMITED });
    return { accountId, createDate: input.now, rootAccessKeyId, rootSecretAccessKey };
  });
}

/** The deployment's management account: the first one, made by bootstrap. Undefined before the first start. */
export async function managementAccountId(store: Pick<Store, 'getMeta'>): Promise<string | undefined> {
  return store.getMeta(BOOTSTRAP_ACCOUNT_META);
}

/** Every hosted account, by id, with its aliases. */
export async function listHostedAccounts(store: Store): Promise<HostedAccount[]> {
  const bootstrapId = await store.getMeta(BOOTSTRAP_ACCOUNT_META);
  const out: HostedAccount[] = [];
  for (const account of await store.listAccounts()) {
    out.push({ accountId: account.id, createDate: account.createDate, aliases: await store.listAccountAliases(account.id), bootstrap: account.id === bootstrapId });
  }
  return out;
}
