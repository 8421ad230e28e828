import { stsOperation } from '../../../define-operation.js';
import { getAccessKeyInfo as getAccessKeyInfoService } from '../../../../services/sts/get-access-key-info.js';

/** sts:GetAccessKeyInfo (no resource): the account of an access key id. */
export const getAccessKeyInfo = stsOperation('GetAccessKeyInfo', {
  resource: () => '*',
  execute: async (input, ctx, deps) => ({ Account: (await getAccessKeyInfoService(deps, input.AccessKeyId, ctx)).account }),
});
