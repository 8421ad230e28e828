/**
 * Every operation of Castellan's own service (`castellan`, model `spec/castellan/castellan.json`).
 * To add one: declare it in the model, run `npm run codegen -w packages/server`, write its file
 * here with `castellanOperation`, and add it to this list.
 *
 * @module
 */
import type { AnyOperation } from '../../../define-operation.js';
import { authorizeRequest } from './authorize-request.js';
import { createAccount } from './create-account.js';
import { getBestPracticesReport } from './get-best-practices-report.js';
import { getCallerPermissions } from './get-caller-permissions.js';
import { getWorkloadCredentials } from './get-workload-credentials.js';
import { listAccounts } from './list-accounts.js';
import { listWorkloads } from './list-workloads.js';
import { registerWorkload } from './register-workload.js';
import { revokeWorkload } from './revoke-workload.js';

/** The castellan operations, for `OperationRegistry.register(...CASTELLAN_OPERATIONS)`. */
export const CASTELLAN_OPERATIONS: ReadonlyArray<AnyOperation> = [
  createAccount,
  listAccounts,
  registerWorkload,
  listWorkloads,
  revokeWorkload,
  getWorkloadCredentials,
  authorizeRequest,
  getBestPracticesReport,
  getCallerPermissions,
];
