import { iamOperation } from '../../../define-operation.js';
import { iamTarget } from '../../../../services/authorization/iam-target.js';
import { listSamlProviders } from '../../../../services/iam/saml-providers.js';

/** iam:ListSAMLProviders (resource `*`); every provider, unpaged as on AWS. */
export const listSAMLProviders = iamOperation('ListSAMLProviders', {
  target: iamTarget(() => ({})),
  execute: async (_input, ctx, deps) => {
    const providers = await listSamlProviders(deps, {}, ctx);
    return { SAMLProviderList: providers.map((p) => ({ Arn: p.arn, CreateDate: p.createDate, ValidUntil: p.validUntil })) };
  },
});
