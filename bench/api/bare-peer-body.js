// The fixed answer of the peers: a GetCallerIdentity response of the size Castellan sends.
export const BODY = Buffer.from(
  '<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><GetCallerIdentityResult>' +
    '<Arn>arn:aws:iam::123456789012:user/bench-user</Arn><UserId>AIDAEXAMPLEEXAMPLE00</UserId><Account>123456789012</Account>' +
    '</GetCallerIdentityResult><ResponseMetadata><RequestId>01234567-89ab-cdef-0123-456789abcdef</RequestId></ResponseMetadata>' +
    '</GetCallerIdentityResponse>',
);
