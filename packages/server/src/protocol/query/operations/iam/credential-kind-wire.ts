/**
 * The wire shapes of SSH public keys, signing and server certificates and service-specific
 * credentials (view -> shape).
 *
 * @module
 */
import type {
  ServerCertificateMetadata as ServerCertificateMetadataView,
  ServiceSpecificCredential as ServiceSpecificCredentialView,
  ServiceSpecificCredentialWithPassword,
  SigningCertificate as SigningCertificateView,
  SshPublicKey as SshPublicKeyView,
} from '../../../../domain/iam-entities.js';
import type {
  ServerCertificateMetadata,
  ServiceSpecificCredential,
  ServiceSpecificCredentialMetadata,
  SigningCertificate,
  SSHPublicKey,
  SSHPublicKeyMetadata,
} from '../../../model/iam-types.js';

/** The SSHPublicKey shape (Upload and Get). */
export function toWireSshPublicKey(k: SshPublicKeyView): SSHPublicKey {
  return { UserName: k.userName, SSHPublicKeyId: k.id, Fingerprint: k.fingerprint, SSHPublicKeyBody: k.body, Status: k.status, UploadDate: k.uploadDate };
}

/** The SSHPublicKeyMetadata shape (List). */
export function toWireSshPublicKeyMetadata(k: SshPublicKeyView): SSHPublicKeyMetadata {
  return { UserName: k.userName, SSHPublicKeyId: k.id, Status: k.status, UploadDate: k.uploadDate };
}

/** The SigningCertificate shape; AWS leaves UserName out for the root's, though the shape marks it required. */
export function toWireSigningCertificate(c: SigningCertificateView): SigningCertificate {
  return {
    ...(c.userName !== undefined ? { UserName: c.userName } : {}),
    CertificateId: c.id,
    CertificateBody: c.body,
    Status: c.status,
    UploadDate: c.uploadDate,
  } as SigningCertificate;
}

/** The ServerCertificateMetadata shape. */
export function toWireServerCertificateMetadata(c: ServerCertificateMetadataView): ServerCertificateMetadata {
  return { Path: c.path, ServerCertificateName: c.name, ServerCertificateId: c.id, Arn: c.arn, UploadDate: c.uploadDate, Expiration: c.expiration };
}

/** The ServiceSpecificCredentialMetadata shape. */
export function toWireServiceSpecificCredentialMetadata(c: ServiceSpecificCredentialView): ServiceSpecificCredentialMetadata {
  return {
    UserName: c.userName,
    Status: c.status,
    ServiceUserName: c.serviceUserName,
    CreateDate: c.createDate,
    ServiceSpecificCredentialId: c.id,
    ServiceName: c.serviceName,
  };
}

/** The ServiceSpecificCredential shape: the only place its password appears (the audit trail drops it). */
export function toWireServiceSpecificCredential(c: ServiceSpecificCredentialWithPassword): ServiceSpecificCredential {
  return { ...toWireServiceSpecificCredentialMetadata(c), ServicePassword: c.servicePassword };
}
