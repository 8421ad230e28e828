/**
 * BinaryEquals: the base64 text of the policy value equals the request value's base64 text.
 */
import type { OperatorDefinition } from './operator-definition.js';
import { scalarText } from './context-value.js';

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** The BinaryEquals operator. */
export const BINARY_OPERATOR: OperatorDefinition = {
  name: 'BinaryEquals',
  negated: false,
  supportsVariables: false,
  checkValue: (value) => (BASE64.test(value) && value.length % 4 === 0 ? undefined : `\`${value}\` is not base64`),
  compileValue: (parts) => {
    const want = parts.map((p) => (p as { text: string }).text).join('');
    return (v) => scalarText(v) === want;
  },
};
