import { iamOperation } from '../../../define-operation.js';
import { iamTarget } from '../../../../services/authorization/iam-target.js';
import { generateCredentialReport as generateCredentialReportService } from '../../../../services/iam/credential-report.js';

/**
 * iam:GenerateCredentialReport (`*`): `STARTED` when a report is (re)generated, `INPROGRESS` while
 * another call generates one, `COMPLETE` while one is fresh.
 */
export const generateCredentialReport = iamOperation('GenerateCredentialReport', {
  target: iamTarget(() => ({})),
  execute: async (_input, ctx, deps) => {
    const out = await generateCredentialReportService(deps, {}, ctx);
    return { State: out.state, ...(out.description !== undefined ? { Description: out.description } : {}) };
  },
});
