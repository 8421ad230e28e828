/**
 * The one table of the services Castellan answers: name, title, model, wire protocol, CloudTrail
 * event source, global or regional. Everything that needs to know a service reads it here.
 *
 * @module
 */
import type { PipelineService } from '../pipeline/pipeline-service.js';
import { CASTELLAN_MODEL } from './model/castellan-model.js';
import { CLOUDTRAIL_MODEL } from './model/cloudtrail-model.js';
import { IAM_MODEL } from './model/iam-model.js';
import type { ServiceModel } from './model/service-model.js';
import { STS_MODEL } from './model/sts-model.js';

/** AWS's wire protocols Castellan speaks. */
export type WireProtocol = 'query' | 'json';

/** One service of the table. */
export interface ServiceEntry extends PipelineService {
  /** The generated AWS model (operations, shapes, API version). */
  model: ServiceModel;
  /** The wire protocol its clients speak. */
  protocol: WireProtocol;
}

/**
 * The services, by their SigV4 signing name. IAM is global: AWS records its events in `us-east-1`
 * whatever region the request was signed for; STS and CloudTrail are regional. `castellan` is
 * Castellan's own API (account administration, workloads; model `spec/castellan/castellan.json`):
 * it is this deployment's service, not global: its requested region (and its events' region) is the
 * signature's region, or the deployment's without one; event source `castellan.amazonaws.com`.
 */
export const SERVICE_TABLE = Object.freeze({
  iam: { name: 'iam', title: 'IAM', model: IAM_MODEL, protocol: 'query', eventSource: 'iam.amazonaws.com', global: true },
  sts: { name: 'sts', title: 'STS', model: STS_MODEL, protocol: 'query', eventSource: 'sts.amazonaws.com', global: false },
  cloudtrail: { name: 'cloudtrail', title: 'CloudTrail', model: CLOUDTRAIL_MODEL, protocol: 'json', eventSource: 'cloudtrail.amazonaws.com', global: false },
  castellan: { name: 'castellan', title: 'Castellan', model: CASTELLAN_MODEL, protocol: 'json', eventSource: 'castellan.amazonaws.com', global: false },
} as const satisfies Record<string, ServiceEntry>);

/** The services Castellan answers, by their SigV4 signing name. */
export type ServiceName = keyof typeof SERVICE_TABLE;

/** The entry of a service name, or undefined for a name that is not in the table. */
export function serviceEntry(name: string): ServiceEntry | undefined {
  return Object.hasOwn(SERVICE_TABLE, name) ? SERVICE_TABLE[name as ServiceName] : undefined;
}

/** The services that speak `protocol`, in table order. */
export function servicesSpeaking(protocol: WireProtocol): ServiceEntry[] {
  return Object.values(SERVICE_TABLE).filter((s) => s.protocol === protocol);
}
