/**
 * Compiled policies, cached by what they are compiled from (kind, source id and a hash of the
 * document text), so authorizing a request never recompiles a policy it has seen before. Changing
 * a document (a new default version, a new inline text) changes the key; stale entries simply age
 * out of the bounded cache.
 *
 * @module
 */
import { createHash } from 'node:crypto';
import { compilePolicy, parsePolicy, preparePolicySet, type CompiledPolicy, type PolicyKind, type PolicySet, type PreparedPolicySet } from '@castellan/policy';

/** A document to compile, and how decisions name it. */
export interface PolicySource {
  kind: PolicyKind;
  /** Unique among the principal's policies, e.g. `user-managed:arn:aws:iam::…:policy/p:v2`. */
  policyId: string;
  /** What decisions and the simulator show (AWS's SourcePolicyId: the policy name). */
  name: string;
  document: string;
}

// Documents are read with the policy package's evaluation checks only (IAM's write-time rules
// must not make a stored or AWS-managed document unreadable). One that still cannot be evaluated
// (its structure, an operator or a variable is broken) must not silently drop its Deny statements:
// it compiles to a policy that denies everything (fail closed), and `onUnreadable` reports it.
const DENY_ALL = '{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"*","Resource":"*"}]}';

/** A bounded map that forgets its oldest entries first. */
class Lru<V> {
  private readonly map = new Map<string, V>();
  constructor(private readonly limit: number) {}
  get(key: string): V | undefined {
    const v = this.map.get(key);
    if (v !== undefined) {
      this.map.delete(key);
      this.map.set(key, v);
    }
    return v;
  }
  set(key: string, v: V): void {
    this.map.set(key, v);
    if (this.map.size > this.limit) this.map.delete(this.map.keys().next().value!);
  }
  get size(): number {
    return this.map.size;
  }
}

/** Compiles policies and prepares policy sets once, keyed by their content. */
export class CompiledPolicyCache {
  private readonly compiled: Lru<{ key: string; policy: CompiledPolicy }>;
  private readonly prepared: Lru<PreparedPolicySet>;
  /** How many policies were compiled (tests check that repeated requests compile nothing). */
  compileCount = 0;
  /** How many documents could not be evaluated and were compiled to deny everything (a metric). */
  unreadableCount = 0;
  private readonly onUnreadable: ((source: Pick<PolicySource, 'kind' | 'policyId'>, problem: string) => void) | undefined;

  constructor(options: { maxPolicies?: number; maxSets?: number; onUnreadable?: (source: Pick<PolicySource, 'kind' | 'policyId'>, problem: string) => void } = {}) {
    this.compiled = new Lru(options.maxPolicies ?? 10_000);
    this.prepared = new Lru(options.maxSets ?? 2_000);
    this.onUnreadable = options.onUnreadable;
  }

  /** The compiled form of `source`, and the key it is cached under. */
  compile(source: PolicySource): { key: string; policy: CompiledPolicy } {
    const hash = createHash('sha256').update(source.document).digest('base64url');
    const key = `${source.kind}\u0000${source.policyId}\u0000${source.name}\u0000${hash}`;
    let hit = this.compiled.get(key);
    if (!hit) {
      this.compileCount++;
      const parsed = parsePolicy(source.document, { kind: source.kind, checks: 'evaluation' });
      if (!parsed.ok) {
        this.unreadableCount++;
        // The diagnostic's path and message name the element, never the document's values in full.
        const first = parsed.diagnostics.find((d) => d.severity === 'error');
        this.onUnreadable?.({ kind: source.kind, policyId: source.policyId }, first ? `${first.path}: ${first.message}` : 'unreadable');
      }
      const policy = parsed.ok ? parsed.policy : (parsePolicy(DENY_ALL, { kind: 'identity' }) as { ok: true; policy: Parameters<typeof compilePolicy>[0] }).policy;
      hit = { key, policy: compilePolicy(policy, { policyId: source.policyId, name: source.name, kind: source.kind }) };
      this.compiled.set(key, hit);
    }
    return hit;
  }

  /** A prepared set over the compiled `layers`, shared by every request with the same policies. */
  prepare(layers: { [K in keyof PolicySet]?: PolicySource[] }): PreparedPolicySet {
    const set: PolicySet = { identity: [] };
    const keys: string[] = [];
    for (const layer of ['identity', 'boundary', 'session', 'resource', 'scp'] as const) {
      const sources = layers[layer];
      if (!sources) continue;
      const compiled = sources.map((s) => this.compile(s));
      keys.push(`${layer}:${compiled.map((c) => c.key).join('\u0001')}`);
      (set as unknown as Record<string, CompiledPolicy[]>)[layer] = compiled.map((c) => c.policy);
    }
    const key = keys.join('\u0002');
    let hit = this.prepared.get(key);
    if (!hit) {
      hit = preparePolicySet(set);
      this.prepared.set(key, hit);
    }
    return hit;
  }
}
