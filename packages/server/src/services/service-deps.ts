import type { IamDataCatalog } from '../catalog/iam-data-catalog.js';
import type { CompiledPolicyCache } from './authorization/compiled-policy-cache.js';
import type { Ids } from '../domain/context.js';
import type { Store } from '../store/store.js';

/**
 * What services and operations receive: the store (bound to the request's transaction for
 * mutations), the id source and AWS's catalogue. Built once by the composition root (`main.ts`).
 * Services never reach for globals: everything they use is here or in the `RequestContext`.
 */
export interface ServiceDeps {
  store: Store;
  ids: Ids;
  catalog: IamDataCatalog;
  /** Compiled policies shared by the authorizer and the policy simulator (each makes its own when absent). */
  policyCache?: CompiledPolicyCache;
}
