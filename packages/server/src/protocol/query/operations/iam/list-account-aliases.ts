import { iamOperation } from '../../../define-operation.js';
import { iamTarget } from '../../../../services/authorization/iam-target.js';
import { listAccountAliases as listAccountAliasesService } from '../../../../services/iam/account.js';
import { pageMarkers } from './identity-wire.js';

/** iam:ListAccountAliases (`*`). */
export const listAccountAliases = iamOperation('ListAccountAliases', {
  target: iamTarget(() => ({})),
  execute: async (input, ctx, deps) => {
    const page = await listAccountAliasesService(deps, { marker: input.Marker, maxItems: input.MaxItems }, ctx);
    return { AccountAliases: page.items, ...pageMarkers(page) };
  },
});
