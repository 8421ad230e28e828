import { iamOperation } from '../../../define-operation.js';
import { iamTarget } from '../../../../services/authorization/iam-target.js';
import { createAccessKey as createAccessKeyService } from '../../../../services/iam/access-keys.js';
import type { AccessKey } from '../../../model/iam-types.js';
import { userOrCaller } from './identity-wire.js';

/**
 * iam:CreateAccessKey on the user's ARN (the caller's own without UserName, root included). The
 * response is the only place the secret ever appears; the audit trail redacts it.
 */
export const createAccessKey = iamOperation('CreateAccessKey', {
  target: iamTarget((i, ctx) => userOrCaller(i.UserName, ctx)),
  execute: async (input, ctx, deps) => {
    const key = await createAccessKeyService(deps, { userName: input.UserName }, ctx);
    // AWS leaves UserName out for the root's keys, though the shape marks it required.
    const accessKey = {
      ...(key.userName !== undefined ? { UserName: key.userName } : {}),
      AccessKeyId: key.accessKeyId,
      Status: key.status,
      SecretAccessKey: key.secretAccessKey,
      CreateDate: key.createDate,
    } as AccessKey;
    return { AccessKey: accessKey };
  },
});
