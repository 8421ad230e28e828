/**
 * The compact runtime form of an AWS service model (botocore `service-2.json`), as emitted by
 * `scripts/codegen.mjs` into the `*-model.ts` files next to this one. Documentation is dropped;
 * everything the wire adapters need to parse, validate and serialize is kept.
 */

/** A reference from a structure, list or map to another shape, with its wire-naming traits. */
export interface MemberModel {
  shape: string;
  locationName?: string;
  flattened?: boolean;
  xmlNamespace?: string;
  timestampFormat?: 'iso8601' | 'unixTimestamp' | 'rfc822';
}

/** Constraints shared by strings, lists, maps and numbers (`min`/`max` are lengths or values). */
interface Bounded {
  min?: number;
  max?: number;
}

/** A string shape, possibly an enum, possibly constrained by a (converted) regular expression. */
export interface StringShape extends Bounded {
  type: 'string';
  /** The model's pattern, as AWS spells it (used in ValidationError messages). */
  pattern?: string;
  /** The pattern converted to a JavaScript `RegExp` source, anchored for a full match. */
  regex?: string;
  /** Flags for `regex` (`u`, maybe `s`). */
  regexFlags?: string;
  enum?: string[];
  sensitive?: boolean;
}

/** A structure: members in model order, the required ones, and the error trait for exceptions. */
export interface StructureShape {
  type: 'structure';
  members: Record<string, MemberModel>;
  required?: string[];
  error?: { code: string; httpStatusCode: number; senderFault: boolean };
  exception?: boolean;
  sensitive?: boolean;
}

/** A list shape. */
export interface ListShape extends Bounded {
  type: 'list';
  member: MemberModel;
  flattened?: boolean;
}

/** A map shape. */
export interface MapShape extends Bounded {
  type: 'map';
  key: MemberModel;
  value: MemberModel;
  flattened?: boolean;
}

/** Numbers: `integer`/`long` must be whole; `float`/`double` need not be. */
export interface NumberShape extends Bounded {
  type: 'integer' | 'long' | 'float' | 'double';
}

/** Booleans, timestamps and blobs carry no constraints the wire layer checks. */
export interface ScalarShape extends Bounded {
  type: 'boolean' | 'timestamp' | 'blob';
  timestampFormat?: 'iso8601' | 'unixTimestamp' | 'rfc822';
  sensitive?: boolean;
}

/** Any shape of the model. */
export type ShapeModel = StringShape | StructureShape | ListShape | MapShape | NumberShape | ScalarShape;

/** One operation: its HTTP method, input/output shapes, Query result wrapper and error codes. */
export interface OperationModel {
  name: string;
  httpMethod: string;
  input?: string;
  output?: string;
  /** Query protocol: the element wrapping the output (`CreateUserResult`). */
  resultWrapper?: string;
  /** AWS error codes the model lists for the operation. */
  errors: string[];
}

/** A whole service. */
export interface ServiceModel {
  /** The SigV4 signing name / endpoint prefix: `iam`, `sts`, `cloudtrail`. */
  signingName: string;
  serviceId: string;
  protocol: 'query' | 'json';
  apiVersion: string;
  /** Query protocol: the XML namespace of responses. */
  xmlNamespace?: string;
  /** JSON protocol: the `X-Amz-Target` prefix. */
  targetPrefix?: string;
  /** JSON protocol: `1.0` or `1.1`. */
  jsonVersion?: string;
  operations: Record<string, OperationModel>;
  shapes: Record<string, ShapeModel>;
}

/**
 * The operation `name` of `model`, looked up as an own property only: the name comes from the client
 * (`Action`, `X-Amz-Target`), and a plain-object lookup would answer `__proto__`, `constructor` or
 * `toString` with something inherited from `Object.prototype`.
 */
export function findOperation(model: ServiceModel, name: string): OperationModel | undefined {
  return Object.hasOwn(model.operations, name) ? model.operations[name] : undefined;
}

/** The shape `name` of `model`, own properties only (see `findOperation`). */
export function findShape(model: ServiceModel, name: string): ShapeModel | undefined {
  return Object.hasOwn(model.shapes, name) ? model.shapes[name] : undefined;
}
