/**
 * The InstanceProfile shape on the wire, for the instance profile operations.
 *
 * @module
 */
import type { InstanceProfile as InstanceProfileView, Tag } from '../../../../domain/iam-entities.js';
import type { InstanceProfile } from '../../../model/iam-types.js';
import { toWireTags } from './identity-wire.js';
import { toWireRole } from './policy-wire.js';

/** The InstanceProfile shape: its roles as ListRoles shows them; tags only when given and not empty. */
export function toWireInstanceProfile(p: InstanceProfileView, tags?: readonly Tag[]): InstanceProfile {
  return {
    Path: p.path,
    InstanceProfileName: p.name,
    InstanceProfileId: p.id,
    Arn: p.arn,
    CreateDate: p.createDate,
    Roles: p.roles.map((r) => toWireRole(r)),
    ...(tags && tags.length > 0 ? { Tags: toWireTags(tags) } : {}),
  };
}
