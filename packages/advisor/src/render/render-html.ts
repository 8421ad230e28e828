/**
 * The report as one self-contained HTML page: inline CSS, an inline SVG bar chart of the
 * per-practice scores, no scripts and no external assets.
 */
import type { AdvisorReport, Finding } from '../types.js';

const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

const CSS = `body{font:14px/1.45 system-ui,sans-serif;margin:2rem;color:#1b1f24;max-width:70rem}
h1{font-size:1.5rem}h2{font-size:1.15rem;margin-top:2rem;border-bottom:1px solid #ddd}
.sev{display:inline-block;min-width:5.5rem;font-weight:600;text-transform:uppercase;font-size:.75rem}
.critical{color:#8b0000}.high{color:#c4320a}.medium{color:#9a6700}.low{color:#57606a}
pre{background:#f6f8fa;padding:.6rem;overflow:auto;font-size:12px}.na{color:#57606a;font-style:italic}
li{margin-bottom:1rem}`;

/** The bar chart: one bar per practice, its length the score (grey and labelled n/a when not assessed). */
export function scoreChartSvg(report: AdvisorReport): string {
  const rowH = 22;
  const labelW = 330;
  const barW = 300;
  const h = report.practices.length * rowH + 10;
  const rows = report.practices.map((p, i) => {
    const y = i * rowH + 5;
    const score = p.score;
    const colour = score === undefined ? '#d0d7de' : score >= 80 ? '#1a7f37' : score >= 50 ? '#bf8700' : '#cf222e';
    const w = score === undefined ? barW : (barW * score) / 100;
    return `<text x="0" y="${y + 14}" font-size="12">${p.number}. ${esc(p.title)}</text><rect x="${labelW}" y="${y + 2}" width="${w.toFixed(1)}" height="${rowH - 6}" fill="${colour}"><title>${score === undefined ? 'not assessed' : `${score}/100`}</title></rect><text x="${labelW + barW + 8}" y="${y + 14}" font-size="12">${score === undefined ? 'n/a' : score}</text>`;
  });
  return `<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="Score per practice" width="${labelW + barW + 50}" height="${h}" viewBox="0 0 ${labelW + barW + 50} ${h}" font-family="system-ui,sans-serif">${rows.join('')}</svg>`;
}

function findingHtml(f: Finding): string {
  const refs = [f.cis ? `CIS ${f.cis}` : '', ...(f.prowler ?? []).map((p) => `Prowler ${p}`)].filter(Boolean).join(' · ');
  const fix = f.fix.kind === 'command' ? `<pre>${esc(f.fix.command)}</pre>` : f.fix.kind === 'manual' ? `<p>${esc(f.fix.description)}</p>` : `<p>${esc(f.fix.description)}</p><pre>${esc(f.fix.diff)}</pre>`;
  return `<li><span class="sev ${f.severity}">${f.severity}</span> <strong>${esc(f.title)}</strong>${refs ? ` <small>(${esc(refs)})</small>` : ''}<br>${esc(f.entities.map((e) => e.arn ?? `${e.type} ${e.name}`).join(', '))}${f.details ? `<br><small>${esc(f.details)}</small>` : ''}<br>${esc(f.why)}${fix}</li>`;
}

export function renderHtml(report: AdvisorReport): string {
  const sections = report.practices.map((p) => {
    const body = [
      p.findings.length > 0 ? `<ul>${p.findings.map(findingHtml).join('')}</ul>` : p.assessed ? '<p>No findings.</p>' : '',
      ...p.notAssessed.map((n) => `<p class="na">Not assessed: ${esc(n.checkId)} — ${esc(n.reason)}</p>`),
    ].join('');
    return `<h2>${p.number}. ${esc(p.title)} — ${p.score === undefined ? 'not assessed' : `${p.score}/100`}</h2>${body}`;
  });
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Castellan advisor report</title><style>${CSS}</style></head>
<body><h1>IAM best practices${report.accountId ? ` — account ${esc(report.accountId)}` : ''}</h1>
<p>Overall score: <strong>${report.overallScore ?? 'not assessed'}</strong> · for ${esc(report.generatedFor)} · inputs: ${esc(report.inputs.join(', ') || 'none')}</p>
${scoreChartSvg(report)}
${sections.join('\n')}
${report.inputWarnings.map((w) => `<p class="na">Warning: ${esc(w)}</p>`).join('')}
</body></html>
`;
}
