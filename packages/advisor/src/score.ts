/**
 * Scores. A practice starts at 100 and loses, per finding, 40 (critical), 20 (high), 10 (medium)
 * or 5 (low), down to 0. A practice none of whose checks could run has no score. The overall
 * score is the mean of the assessed practices' scores, rounded; no practice assessed, no score.
 */
import type { Finding, Severity } from './types.js';

export const SEVERITY_PENALTY: Readonly<Record<Severity, number>> = { critical: 40, high: 20, medium: 10, low: 5 };

export function scorePractice(findings: readonly Finding[]): number {
  return Math.max(0, 100 - findings.reduce((sum, f) => sum + SEVERITY_PENALTY[f.severity], 0));
}

export function overallScore(scores: readonly (number | undefined)[]): number | undefined {
  const assessed = scores.filter((s): s is number => s !== undefined);
  return assessed.length === 0 ? undefined : Math.round(assessed.reduce((a, b) => a + b, 0) / assessed.length);
}
