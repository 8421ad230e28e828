/**
 * What a command needs from the outside world, passed in so commands can be tested in-process.
 */
import type { ServiceCatalog } from '@castellan/policy';

/** Output streams and lazily loaded resources for commands. */
export interface CliIo {
  out(text: string): void;
  err(text: string): void;
  readFile(path: string): Promise<string>;
  /** Loads AWS's service catalogue (slow: call only when needed). */
  loadCatalog(): Promise<ServiceCatalog>;
  /** The time used when a policy test does not give one. */
  now(): Date;
  /** Asks a yes/no question on a terminal; absent when there is none to ask (then commands never assume yes). */
  confirm?(question: string): Promise<boolean>;
}
