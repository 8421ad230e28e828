import { awsErrorInfo } from '../model/aws-errors.js';
import { escapeXml } from './serialize-query-output.js';

/**
 * The one place a Query-protocol error goes on the wire:
 * `<ErrorResponse xmlns=…><Error><Type>Sender|Receiver</Type><Code/><Message/></Error><RequestId/></ErrorResponse>`
 * with the HTTP status of the model (or of the common-errors table).
 */
export function serializeQueryError(
  xmlNamespace: string,
  code: string,
  message: string,
  requestId: string,
): { status: number; body: string } {
  const info = awsErrorInfo(code);
  const body =
    `<ErrorResponse xmlns="${escapeXml(xmlNamespace)}"><Error><Type>${info.senderFault ? 'Sender' : 'Receiver'}</Type>` +
    `<Code>${escapeXml(code)}</Code><Message>${escapeXml(message)}</Message></Error>` +
    `<RequestId>${escapeXml(requestId)}</RequestId></ErrorResponse>`;
  return { status: info.httpStatus, body };
}
