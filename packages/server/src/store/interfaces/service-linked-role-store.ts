/** The state of a service-linked role's deletion, in GetServiceLinkedRoleDeletionStatus's words. */
export type DeletionTaskStatus = 'SUCCEEDED' | 'IN_PROGRESS' | 'FAILED' | 'NOT_STARTED';

/** One DeleteServiceLinkedRole request. */
export interface DeletionTaskRow {
  accountId: string;
  /** `task/aws-service-role/<service>/<role>/<uuid>`. */
  taskId: string;
  status: DeletionTaskStatus;
  /** Why a FAILED task failed. */
  reason?: string;
  createDate: Date;
}

/** The deletion tasks of service-linked roles (the roles themselves are rows of `RoleStore`). */
export interface ServiceLinkedRoleStore {
  /** Records a task; `StoreConflictError` if its id exists. */
  createDeletionTask(input: DeletionTaskRow): Promise<void>;
  /** A task of the account, or `undefined` (another account's task is not found). */
  getDeletionTask(accountId: string, taskId: string): Promise<DeletionTaskRow | undefined>;
}
