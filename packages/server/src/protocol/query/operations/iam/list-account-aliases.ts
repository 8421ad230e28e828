import { iamOperation } from '../../../../pipeline/operation-spec.js';
import { iamTarget } from '../../../../services/authorization/iam-target.js';
import { listAccountAliases as listAccountAliasesService } from '../../../../services/iam/account.js';
import type { ServiceDeps } from '../../../../services/service-deps.js';
import { pageMarkers } from './identity-wire.js';

/** iam:ListAccountAliases (`*`). */
export const listAccountAliases = iamOperation<'ListAccountAliases', ServiceDeps>('ListAccountAliases', {
  ...iamTarget('iam:ListAccountAliases', () => ({})),
  readOnly: true,
  execute: async (input, ctx, deps) => {
    const page = await listAccountAliasesService(deps, { marker: input.Marker, maxItems: input.MaxItems }, ctx);
    return { AccountAliases: page.items, ...pageMarkers(page) };
  },
});
