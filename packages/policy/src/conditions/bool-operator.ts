/**
 * Bool: `true`/`false`, compared without regard to case. Policy variables are supported (AWS).
 */
import type { OperatorDefinition } from './operator-definition.js';
import { scalarText } from './context-value.js';
import { resolveText } from '../compile/template.js';

/** The Bool operator. */
export const BOOL_OPERATOR: OperatorDefinition = {
  name: 'Bool',
  negated: false,
  supportsVariables: true,
  checkValue: (value) =>
    value.includes('${') || /^(true|false)$/i.test(value) ? undefined : `\`${value}\` is not \`true\` or \`false\``,
  compileValue: (parts, hasVariables) => {
    if (hasVariables) {
      return (v, view) => {
        const want = resolveText(parts, view);
        return want !== undefined && scalarText(v).toLowerCase() === want.toLowerCase();
      };
    }
    const want = parts.map((p) => (p as { text: string }).text).join('').toLowerCase();
    return (v) => {
      if (typeof v === 'boolean') return want === (v ? 'true' : 'false');
      return scalarText(v).toLowerCase() === want;
    };
  },
};
