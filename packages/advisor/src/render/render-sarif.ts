/**
 * The report as SARIF 2.1.0, so code-scanning tools list the findings. One rule per check, one
 * result per finding; findings point at the input file they come from (account exports have no
 * lines to point at, so the location is the file alone).
 */
import { CHECKS } from '../advise.js';
import type { AdvisorReport, Finding, Severity } from '../types.js';

const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';
const LEVEL: Readonly<Record<Severity, 'error' | 'warning' | 'note'>> = { critical: 'error', high: 'error', medium: 'warning', low: 'note' };
/** GitHub code scanning reads `security-severity` (0–10) from rule properties. */
const SECURITY_SEVERITY: Readonly<Record<Severity, string>> = { critical: '9.5', high: '8.0', medium: '5.5', low: '3.0' };

/** Options of {@link renderSarif}. */
export interface SarifOptions {
  /** The tool's version. */
  version: string;
  /** The file a finding's location names, by input (`credential-report` → `credential-report.json`). */
  artifactFor?: (f: Finding) => string | undefined;
}

function fixMarkdown(f: Finding): string {
  if (f.fix.kind === 'command') return `\`${f.fix.command}\``;
  if (f.fix.kind === 'manual') return f.fix.description;
  return `${f.fix.description}\n\n\`\`\`diff\n${f.fix.diff}\n\`\`\``;
}

export function renderSarif(report: AdvisorReport, options: SarifOptions): object {
  const findings = report.practices.flatMap((p) => p.findings);
  const worst = new Map<string, Severity>();
  for (const f of findings) if (!worst.has(f.checkId) || LEVEL[f.severity] === 'error') worst.set(f.checkId, f.severity);
  const rules = CHECKS.map((c) => ({
    id: c.id,
    name: c.id.replace(/(^|-)(\w)/g, (_m, _d: string, ch: string) => ch.toUpperCase()),
    shortDescription: { text: c.title },
    helpUri: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html',
    properties: { practice: c.practice, tags: ['security', 'aws-iam'], 'security-severity': SECURITY_SEVERITY[worst.get(c.id) ?? 'medium'] },
  }));
  const ruleIndex = new Map(rules.map((r, i) => [r.id, i]));
  const results = findings.map((f) => {
    const artifact = options.artifactFor?.(f);
    return {
      ruleId: f.checkId,
      ruleIndex: ruleIndex.get(f.checkId) ?? 0,
      level: LEVEL[f.severity],
      message: { text: `${f.title}: ${f.entities.map((e) => e.arn ?? e.name).join(', ')}. ${f.why}${f.details ? ` (${f.details})` : ''}`, markdown: `**${f.title}** — ${f.why}\n\nFix: ${fixMarkdown(f)}` },
      ...(artifact ? { locations: [{ physicalLocation: { artifactLocation: { uri: artifact } } }] } : {}),
      partialFingerprints: { castellanFinding: `${f.checkId}/${f.entities.map((e) => e.arn ?? e.name).join(',')}/${f.title}` },
      properties: { severity: f.severity, practice: f.practice, ...(f.cis ? { cis: f.cis } : {}), ...(f.prowler ? { prowler: f.prowler } : {}) },
    };
  });
  return {
    $schema: SARIF_SCHEMA,
    version: '2.1.0',
    runs: [
      {
        tool: { driver: { name: 'castellan-advisor', informationUri: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html', version: options.version, rules } },
        results,
        properties: { overallScore: report.overallScore ?? null, generatedFor: report.generatedFor },
      },
    ],
  };
}
