import { iamOperation } from '../../../define-operation.js';
import { iamTarget } from '../../../../services/authorization/iam-target.js';
import { getCredentialReport as getCredentialReportService } from '../../../../services/iam/credential-report.js';

/** iam:GetCredentialReport (`*`): the stored report's CSV (base64 on the wire, as a blob). */
export const getCredentialReport = iamOperation('GetCredentialReport', {
  target: iamTarget(() => ({})),
  execute: async (_input, ctx, deps) => {
    const report = await getCredentialReportService(deps, {}, ctx);
    return { Content: new TextEncoder().encode(report.content), ReportFormat: 'text/csv' as const, GeneratedTime: report.generatedTime };
  },
});
