/**
 * Runs a mutating operation and its audit event in one store transaction. `fn` receives the
 * operation dependencies bound to that transaction; a throw rolls everything back.
 */
export interface TransactionRunner<D> {
  run<T>(fn: (deps: D) => Promise<T>): Promise<T>;
}
