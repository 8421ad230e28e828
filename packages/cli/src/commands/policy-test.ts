/**
 * `castellan policy test FILE.jsonl`: runs policy test cases (one JSON object a line), prints each
 * failure with the decision and the statements behind it, and ends with `N passed, M failed`.
 * Exit code 1 when any case fails.
 */
import type { Command } from 'commander';
import {
  compilePolicy,
  evaluate,
  explain,
  parsePolicy,
  type AuthzRequest,
  type CompiledPolicy,
  type ContextValue,
  type Decision,
  type PolicyKind,
  type PolicyLayer,
  type PolicySet,
  type RequestPrincipal,
  type RequestPrincipalType,
} from '@castellan/policy';
import { ExitCode } from '../exit-codes.js';
import type { CliIo } from './cli-io.js';

const LAYER_KIND: Record<PolicyLayer, PolicyKind> = {
  identity: 'identity',
  resource: 'resource',
  boundary: 'boundary',
  session: 'session',
  scp: 'scp',
};
const EXPECTED: Record<string, Decision['effect']> = { allow: 'allow', implicitdeny: 'implicitDeny', explicitdeny: 'explicitDeny' };
const SHOWN: Record<Decision['effect'], string> = { allow: 'Allow', implicitDeny: 'ImplicitDeny', explicitDeny: 'ExplicitDeny' };

/** The outcome of a test file. */
export interface PolicyTestReport {
  output: string;
  passed: number;
  failed: number;
  exitCode: ExitCode;
}

class CaseError extends Error {}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Fills what a principal ARN implies: account, type, user name, and the role of a session. */
function principalFrom(given: unknown): RequestPrincipal {
  // A bare ARN is shorthand for `{ "arn": … }`.
  const raw = typeof given === 'string' ? { arn: given } : given;
  if (!isObject(raw) || typeof raw.arn !== 'string') throw new CaseError('`request.principal` must be an ARN or an object with `arn`');
  const arn = raw.arn;
  const m = /^arn:([^:]+):(iam|sts)::(\d{12}):(.*)$/.exec(arn);
  const accountId = typeof raw.accountId === 'string' ? raw.accountId : m?.[3];
  if (!accountId) throw new CaseError('`request.principal.accountId` is required when the ARN does not give it');
  const p: RequestPrincipal = { arn, accountId };
  const resource = m?.[4] ?? '';
  let type = raw.type as RequestPrincipalType | undefined;
  if (!type && m) {
    if (resource === 'root') type = 'Root';
    else if (resource.startsWith('user/')) type = 'IAMUser';
    else if (resource.startsWith('assumed-role/')) type = 'AssumedRole';
    else if (resource.startsWith('federated-user/')) type = 'FederatedUser';
  }
  if (type) p.type = type;
  if (typeof raw.userName === 'string') p.userName = raw.userName;
  else if (type === 'IAMUser') p.userName = resource.slice(resource.lastIndexOf('/') + 1);
  if (typeof raw.roleArn === 'string') p.roleArn = raw.roleArn;
  else if (m && type === 'AssumedRole') {
    const parts = resource.split('/');
    if (parts.length >= 3) p.roleArn = `arn:${m[1]}:iam::${accountId}:role/${parts[1]}`;
  }
  if (raw.federatingUserArn !== undefined) {
    // Only a federated user session (GetFederationToken) has an IAM user who federated it.
    if (type !== 'FederatedUser') throw new CaseError('`request.principal.federatingUserArn` is only for a principal of type `FederatedUser`');
    if (typeof raw.federatingUserArn !== 'string') throw new CaseError('`request.principal.federatingUserArn` must be an ARN');
    p.federatingUserArn = raw.federatingUserArn;
  }
  if (typeof raw.id === 'string') p.id = raw.id;
  if (typeof raw.provider === 'string') p.provider = raw.provider;
  if (isObject(raw.tags)) p.tags = Object.fromEntries(Object.entries(raw.tags).map(([k, v]) => [k, String(v)]));
  return p;
}

/**
 * Runs the cases of a JSONL text. `now` is the time for cases whose request gives none.
 */
export function runPolicyTests(text: string, options: { now: Date; verbose?: boolean }): PolicyTestReport {
  const cache = new Map<string, CompiledPolicy>();
  const out: string[] = [];
  let passed = 0;
  let failed = 0;
  const lines = text.split(/\r?\n/);
  lines.forEach((line, i) => {
    if (line.trim() === '') return;
    const lineNo = i + 1;
    let name = `line ${lineNo}`;
    try {
      let c: unknown;
      try {
        c = JSON.parse(line);
      } catch (e) {
        throw new CaseError(`invalid JSON: ${(e as Error).message}`);
      }
      if (!isObject(c)) throw new CaseError('each line must be a JSON object');
      if (typeof c.name === 'string') name = c.name;
      const expected = typeof c.expected === 'string' ? EXPECTED[c.expected.toLowerCase()] : undefined;
      if (!expected) throw new CaseError('`expected` must be `Allow`, `ImplicitDeny` or `ExplicitDeny`');
      if (!isObject(c.policies)) throw new CaseError('`policies` must be an object of layers');
      const set: PolicySet = { identity: [] };
      // A role's trust policy is the resource layer of an AssumeRole case, and has rules of its own.
      if (c.resourceKind !== undefined && c.resourceKind !== 'resource' && c.resourceKind !== 'trust') throw new CaseError('`resourceKind` must be `resource` or `trust`');
      for (const [layer, docs] of Object.entries(c.policies)) {
        const kind = layer === 'resource' && c.resourceKind === 'trust' ? 'trust' : LAYER_KIND[layer as PolicyLayer];
        if (!kind) throw new CaseError(`unknown policy layer \`${layer}\`: use identity, resource, boundary, session or scp`);
        if (!Array.isArray(docs)) throw new CaseError(`\`policies.${layer}\` must be an array of policy documents`);
        set[layer as PolicyLayer] = docs.map((doc, j) => {
          const key = `${kind}\u0000${typeof doc === 'string' ? doc : JSON.stringify(doc)}`;
          let compiled = cache.get(key);
          if (!compiled) {
            const parsed = parsePolicy(doc, { kind });
            if (!parsed.ok) {
              throw new CaseError(`policies.${layer}[${j}] is invalid: ${parsed.diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.path || '(document)'}: ${d.message}`).join('; ')}`);
            }
            compiled = compilePolicy(parsed.policy, { policyId: `${layer}[${j}]`, ...(parsed.policy.id ? { name: parsed.policy.id } : {}) });
            cache.set(key, compiled);
          }
          return compiled;
        });
      }
      if (!isObject(c.request)) throw new CaseError('`request` is required');
      const r = c.request;
      if (typeof r.action !== 'string') throw new CaseError('`request.action` is required');
      const now = typeof r.now === 'string' ? new Date(r.now) : options.now;
      if (Number.isNaN(now.getTime())) throw new CaseError('`request.now` is not a date');
      if (r.context !== undefined && !isObject(r.context)) throw new CaseError('`request.context` must be an object');
      const request: AuthzRequest = {
        principal: principalFrom(r.principal),
        action: r.action,
        resource: typeof r.resource === 'string' ? r.resource : '*',
        context: (r.context ?? {}) as Record<string, ContextValue>,
        now,
        ...(typeof r.resourceAccount === 'string' ? { resourceAccount: r.resourceAccount } : {}),
      };
      const decision = evaluate(request, set);
      if (decision.effect === expected) {
        passed++;
        if (options.verbose) out.push(`PASS ${name}`);
      } else {
        failed++;
        out.push(`FAIL ${name} (line ${lineNo}): expected ${SHOWN[expected]}, got ${SHOWN[decision.effect]}`);
        out.push(...explain(decision).split('\n').map((l) => `  ${l}`));
      }
    } catch (e) {
      if (!(e instanceof CaseError)) throw e;
      failed++;
      out.push(`FAIL ${name} (line ${lineNo}): ${e.message}`);
    }
  });
  out.push(`${passed} passed, ${failed} failed`);
  return { output: out.join('\n'), passed, failed, exitCode: failed > 0 ? ExitCode.Failure : ExitCode.Ok };
}

/** Registers `test` under the `policy` command. */
export function registerPolicyTest(policy: Command, io: CliIo, setExitCode: (code: ExitCode) => void): void {
  policy
    .command('test')
    .description('run policy test cases from a JSONL file; exit code 1 if any fails')
    .argument('<file>', 'the test cases, one JSON object a line')
    .option('--verbose', 'also list the cases that pass')
    .action(async (file: string, opts: { verbose?: boolean }) => {
      let text: string;
      try {
        text = await io.readFile(file);
      } catch (e) {
        io.err(`castellan: cannot read \`${file}\`: ${(e as Error).message}`);
        setExitCode(ExitCode.Error);
        return;
      }
      const report = runPolicyTests(text, { now: io.now(), verbose: !!opts.verbose });
      io.out(report.output);
      setExitCode(report.exitCode);
    });
}
