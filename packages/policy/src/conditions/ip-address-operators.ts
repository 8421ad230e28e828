/**
 * IpAddress and NotIpAddress: IPv4 or IPv6 addresses and CIDR blocks. Policy variables are not
 * supported (AWS). A request value that is not an address never matches.
 */
import type { OperatorDefinition } from './operator-definition.js';
import { scalarText } from './context-value.js';
import { ipInBlock, parseIpBlock } from './ip-cidr.js';
import type { ConditionOperatorName } from '../types.js';

function def(name: ConditionOperatorName, negated: boolean): OperatorDefinition {
  return {
    name,
    negated,
    supportsVariables: false,
    checkValue: (value) => (parseIpBlock(value) ? undefined : `\`${value}\` is not an IP address or CIDR block`),
    compileValue: (parts) => {
      const block = parseIpBlock(parts.map((p) => (p as { text: string }).text).join(''))!;
      return (v) => {
        const addr = parseIpBlock(scalarText(v));
        return !!addr && addr.prefix === (addr.version === 4 ? 32 : 128) && ipInBlock(addr, block);
      };
    },
  };
}

/** The IP address operators. */
export const IP_ADDRESS_OPERATORS: readonly OperatorDefinition[] = [def('IpAddress', false), def('NotIpAddress', true)];
