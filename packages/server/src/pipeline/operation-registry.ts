import type { OperationSpec } from './operation-spec.js';

/**
 * The operations Castellan implements. An operation of a model that is not registered answers
 * `NotImplemented`, never a success.
 */
export class OperationRegistry<D = unknown> {
  private readonly specs = new Map<string, OperationSpec<unknown, unknown, D>>();
  /**
   * The same specs by service, then name: looked up with the two strings as they come (their hashes
   * cached), where `service:name` would be a new string to hash on every request.
   */
  private readonly byService = new Map<string, Map<string, OperationSpec<unknown, unknown, D>>>();

  /**
   * Adds operations (a service's list: `register(...IAM_OPERATIONS)`); registering the same
   * service/name twice is a programming error. Any typed spec fits: the pipeline hands each the
   * input its protocol decoded for it.
   */
  register(...specs: ReadonlyArray<OperationSpec<unknown, unknown, D>>): this {
    for (const spec of specs) {
      const key = `${spec.service}:${spec.name}`;
      if (this.specs.has(key)) throw new Error(`operation ${key} is registered twice`);
      const frozen = Object.freeze({ ...spec });
      this.specs.set(key, frozen);
      let names = this.byService.get(spec.service);
      if (!names) this.byService.set(spec.service, (names = new Map()));
      names.set(spec.name, frozen);
    }
    return this;
  }

  /** The spec of `service`'s operation `name`, if implemented. */
  get(service: string, name: string): OperationSpec<unknown, unknown, D> | undefined {
    return this.byService.get(service)?.get(name);
  }

  /** Every registered `service:Name`, sorted. */
  list(): string[] {
    return [...this.specs.keys()].sort();
  }
}
