import { iamOperation } from '../../../define-operation.js';
import { samlProviderTarget } from '../../../../services/authorization/saml-provider-target.js';
import { untagSamlProvider } from '../../../../services/iam/saml-providers.js';

/** iam:UntagSAMLProvider on the provider's ARN; the keys are `aws:TagKeys`. */
export const untagSAMLProvider = iamOperation('UntagSAMLProvider', {
  target: samlProviderTarget((i) => ({ arn: i.SAMLProviderArn, tagKeys: i.TagKeys })),
  execute: async (input, ctx, deps) => {
    await untagSamlProvider(deps, { arn: input.SAMLProviderArn, tagKeys: input.TagKeys }, ctx);
  },
});
