import { describe, expect, it } from 'vitest';
import { advise } from '../advise.js';
import { readCredentialReportCsv } from '../inputs/credential-report.js';
import { readAccountSummary } from '../inputs/account-settings.js';
import { renderSarif } from './render-sarif.js';
import { renderHtml } from './render-html.js';
import { renderTable } from './render-table.js';
import { NOW, baselineReportRows, credentialReportCsv, daysAgo } from '../test-fixtures/test-account.js';
import type { AdvisorReport } from '../types.js';

function sampleReport(): AdvisorReport {
  const rows = baselineReportRows();
  rows[0]!.mfa = false;
  rows[2]!.mfa = false;
  rows[1]!.key1 = { active: true, rotated: daysAgo(200), used: daysAgo(1) };
  return advise({ credentialReport: readCredentialReportCsv(credentialReportCsv(rows))!, accountSummary: readAccountSummary({ SummaryMap: { AccountMFAEnabled: 0 } })! }, { now: NOW });
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * The SARIF 2.1.0 schema (OASIS, https://docs.oasis-open.org/sarif/sarif/v2.1.0/) is not vendored:
 * its repository is under OASIS's IPR policy rather than an open-source licence, and validating
 * it would need a JSON Schema validator the project does not depend on. So this checks, by hand,
 * what the schema requires of what we emit: sarifLog requires `version` ("2.1.0") and `runs`;
 * run requires `tool`; tool requires `driver`; toolComponent requires `name`;
 * reportingDescriptor requires `id`; result requires `message`; message requires `text` or `id`;
 * `level` is one of none/note/warning/error; `ruleIndex` is an integer >= -1; an
 * artifactLocation's `uri` is a string; no property outside the schema's at these levels
 * (additionalProperties is false in the schema for them).
 */
function sarifProblems(log: unknown): string[] {
  const problems: string[] = [];
  const only = (o: Obj, where: string, allowed: string[]): void => {
    for (const k of Object.keys(o)) if (!allowed.includes(k)) problems.push(`${where}: unexpected property ${k}`);
  };
  if (!isObj(log)) return ['log is not an object'];
  only(log, 'sarifLog', ['$schema', 'version', 'runs', 'inlineExternalProperties', 'properties']);
  if (log['version'] !== '2.1.0') problems.push('sarifLog.version must be 2.1.0');
  if (!Array.isArray(log['runs'])) return [...problems, 'sarifLog.runs must be an array'];
  log['runs'].forEach((run: unknown, r) => {
    if (!isObj(run) || !isObj(run['tool']) || !isObj(run['tool']['driver'])) return problems.push(`runs[${r}].tool.driver is required`);
    const driver = run['tool']['driver'];
    only(driver, 'toolComponent', ['name', 'version', 'informationUri', 'rules', 'semanticVersion', 'fullName', 'organization', 'properties']);
    if (typeof driver['name'] !== 'string') problems.push('toolComponent.name is required');
    const rules = Array.isArray(driver['rules']) ? driver['rules'] : [];
    rules.forEach((rule: unknown, i) => {
      if (!isObj(rule) || typeof rule['id'] !== 'string') problems.push(`rules[${i}].id is required`);
      else only(rule, 'reportingDescriptor', ['id', 'name', 'shortDescription', 'fullDescription', 'helpUri', 'help', 'properties', 'defaultConfiguration']);
      if (isObj(rule) && isObj(rule['shortDescription']) && typeof rule['shortDescription']['text'] !== 'string') problems.push(`rules[${i}].shortDescription.text is required`);
    });
    const results = Array.isArray(run['results']) ? run['results'] : [];
    results.forEach((res: unknown, i) => {
      if (!isObj(res)) return problems.push(`results[${i}] is not an object`);
      only(res, 'result', ['ruleId', 'ruleIndex', 'level', 'message', 'locations', 'partialFingerprints', 'properties', 'fixes']);
      const m = res['message'];
      if (!isObj(m) || (typeof m['text'] !== 'string' && typeof m['id'] !== 'string')) problems.push(`results[${i}].message needs text or id`);
      if (!['none', 'note', 'warning', 'error'].includes(res['level'] as string)) problems.push(`results[${i}].level is invalid`);
      const ri = res['ruleIndex'];
      if (!(Number.isInteger(ri) && (ri as number) >= -1 && (ri as number) < rules.length)) problems.push(`results[${i}].ruleIndex is invalid`);
      if (isObj(rules[ri as number]) && (rules[ri as number] as Obj)['id'] !== res['ruleId']) problems.push(`results[${i}].ruleIndex does not point at ruleId`);
      for (const loc of Array.isArray(res['locations']) ? res['locations'] : []) {
        const uri = isObj(loc) && isObj(loc['physicalLocation']) && isObj(loc['physicalLocation']['artifactLocation']) ? loc['physicalLocation']['artifactLocation']['uri'] : undefined;
        if (typeof uri !== 'string') problems.push(`results[${i}] location has no uri`);
      }
    });
  });
  return problems;
}

describe('SARIF', () => {
  it('has the structure SARIF 2.1.0 requires, one result per finding', () => {
    const report = sampleReport();
    const sarif = renderSarif(report, { version: '0.1.0', artifactFor: () => 'credential-report.csv' }) as Obj;
    expect(sarifProblems(sarif)).toEqual([]);
    const results = ((sarif['runs'] as Obj[])[0]!['results'] as Obj[]);
    expect(results).toHaveLength(report.practices.flatMap((p) => p.findings).length);
    expect(results.find((r) => r['ruleId'] === 'root-mfa')).toMatchObject({ level: 'error', properties: { cis: '1.5', prowler: ['iam_root_mfa_enabled'] } });
  });

  it('the checker itself refuses a broken log', () => {
    expect(sarifProblems({ version: '2.0.0', runs: [{ tool: { driver: {} }, results: [{ level: 'fatal', ruleIndex: 7 }] }] })).toEqual([
      'sarifLog.version must be 2.1.0',
      'toolComponent.name is required',
      'results[0].message needs text or id',
      'results[0].level is invalid',
      'results[0].ruleIndex is invalid',
    ]);
  });
});

describe('HTML', () => {
  it('is self-contained, with a bar per practice', () => {
    const html = renderHtml(sampleReport());
    expect(html).toMatch(/^<!DOCTYPE html>/);
    expect(html).not.toMatch(/<script|<link|src=|href=|url\(/i);
    expect(html.match(/<rect /g)).toHaveLength(11);
    expect(html).toContain('<svg xmlns="http://www.w3.org/2000/svg"');
    expect(html).toContain('9. Require MFA for privileged users — 40/100');
    expect(html).toContain('Not assessed: audit-trail');
  });

  it('escapes what comes from the account', () => {
    const report = sampleReport();
    const evil = { ...report, accountId: '<img onerror=x>' };
    expect(renderHtml(evil)).toContain('&lt;img onerror=x&gt;');
  });
});

describe('table', () => {
  it('lists scores, findings with their fixes, and what was not assessed', () => {
    const out = renderTable(sampleReport());
    expect(out).toContain(' 9     40         2  Require MFA for privileged users');
    expect(out).toContain(' 5    n/a         0  Keep an audit trail (not assessed)');
    expect(out).toContain('[CRITICAL] The root user has no MFA [CIS 1.5, prowler:iam_root_mfa_enabled]');
    expect(out).toContain('not assessed: audit-trail (needs CloudTrail log files or LookupEvents)');
  });
});
