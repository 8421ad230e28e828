/** An IAM user or role, the entities whose activity last-accessed data reports. */
export type ActivityEntity = { kind: 'user' | 'role'; id: string };

/** One allowed request of an entity, for the batched last-accessed writer. */
export interface ActionUse {
  accountId: string;
  entity: ActivityEntity;
  /** `iam:CreateUser`, as the operation names it. */
  action: string;
  usedAt: Date;
  region: string;
}

/** The last allowed request of an entity for one action. */
export interface ActionUseRow extends ActionUse {}

/** A GenerateServiceLastAccessedDetails job and its computed result. */
export interface AccessReportJobRow {
  jobId: string;
  accountId: string;
  /** The user, group, role or policy the report is about. */
  arn: string;
  granularity: 'SERVICE_LEVEL' | 'ACTION_LEVEL';
  createdAt: Date;
  completedAt: Date;
  /** The report as JSON text (the service's own shape). */
  resultJson: string;
}

/** Last-accessed data: what entities were allowed to do, and when; and the report jobs. */
export interface AccessActivityStore {
  /**
   * Records allowed requests in one write (the server buffers them and flushes every few
   * seconds and at shutdown). Per entity and action the latest use wins; a date never goes back.
   */
  recordActionUse(batch: ActionUse[]): Promise<void>;
  /** The last use of every action by these entities (any order). */
  listActionUses(entityIds: readonly string[]): Promise<ActionUseRow[]>;
  /** Stores a job. Throws `StoreConflictError` if the id exists. */
  createAccessReportJob(job: AccessReportJobRow): Promise<void>;
  /** A job by id, or `undefined`. */
  getAccessReportJob(jobId: string): Promise<AccessReportJobRow | undefined>;
}
