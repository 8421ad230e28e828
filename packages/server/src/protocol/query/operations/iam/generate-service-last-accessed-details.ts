import { iamOperation } from '../../../define-operation.js';
import { iamTarget } from '../../../../services/authorization/iam-target.js';
import { generateServiceLastAccessedDetails as generateService } from '../../../../services/iam/service-last-accessed.js';

/** iam:GenerateServiceLastAccessedDetails on the user, group, role or policy ARN: a job id. */
export const generateServiceLastAccessedDetails = iamOperation('GenerateServiceLastAccessedDetails', {
  target: iamTarget((i) => ({ entityArn: i.Arn })),
  execute: async (input, ctx, deps) => {
    const { jobId } = await generateService(deps, { arn: input.Arn, granularity: input.Granularity }, ctx);
    return { JobId: jobId };
  },
});
