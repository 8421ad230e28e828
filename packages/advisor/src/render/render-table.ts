/**
 * The report as terminal text: a score line per practice, then each finding with its fix.
 */
import type { AdvisorReport, Finding } from '../types.js';

function fixText(f: Finding): string {
  switch (f.fix.kind) {
    case 'command':
      return `    fix: ${f.fix.command}`;
    case 'manual':
      return `    fix: ${f.fix.description}`;
    case 'policyDiff':
      return [`    fix: ${f.fix.description}`, ...f.fix.diff.split('\n').map((l) => `      ${l}`)].join('\n');
  }
}

function refs(f: Finding): string {
  const r = [f.cis ? `CIS ${f.cis}` : undefined, ...(f.prowler ?? []).map((p) => `prowler:${p}`)].filter(Boolean);
  return r.length > 0 ? ` [${r.join(', ')}]` : '';
}

export function renderTable(report: AdvisorReport): string {
  const lines: string[] = [];
  lines.push(`Castellan advisor — ${report.accountId ? `account ${report.accountId}, ` : ''}${report.generatedFor}`);
  lines.push(`inputs: ${report.inputs.join(', ') || 'none'}`);
  lines.push(`overall score: ${report.overallScore ?? 'not assessed'}`);
  lines.push('');
  lines.push(' #  score  findings  practice');
  for (const p of report.practices) {
    lines.push(`${String(p.number).padStart(2)}  ${(p.score === undefined ? 'n/a' : String(p.score)).padStart(5)}  ${String(p.findings.length).padStart(8)}  ${p.title}${p.assessed ? '' : ' (not assessed)'}`);
  }
  for (const p of report.practices) {
    if (p.findings.length === 0 && p.notAssessed.length === 0) continue;
    lines.push('');
    lines.push(`== ${p.number}. ${p.title}`);
    for (const f of p.findings) {
      lines.push(`  [${f.severity.toUpperCase()}] ${f.title}${refs(f)}`);
      lines.push(`    entities: ${f.entities.map((e) => e.arn ?? `${e.type} ${e.name}`).join(', ')}`);
      if (f.details) lines.push(`    details: ${f.details}`);
      lines.push(`    why: ${f.why}`);
      lines.push(fixText(f));
    }
    for (const n of p.notAssessed) lines.push(`  not assessed: ${n.checkId} (${n.reason})`);
  }
  for (const w of report.inputWarnings) lines.push(`warning: ${w}`);
  return lines.join('\n');
}
