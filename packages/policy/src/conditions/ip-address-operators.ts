/**
 * IpAddress and NotIpAddress: IPv4 or IPv6 addresses and CIDR blocks. Policy variables are not
 * supported (AWS). A request value that is not an address never matches.
 */
import type { OperatorDefinition } from './operator-definition.js';
import { scalarText } from './context-value.js';
import { ipInBlock, parseIpBlock, parseV4, v4Mask } from './ip-cidr.js';
import type { ConditionOperatorName } from '../types.js';

function def(name: ConditionOperatorName, negated: boolean): OperatorDefinition {
  return {
    name,
    negated,
    supportsVariables: false,
    reads: (v) => {
      const addr = parseIpBlock(scalarText(v));
      return !!addr && addr.prefix === (addr.version === 4 ? 32 : 128);
    },
    checkValue: (value) => (parseIpBlock(value) ? undefined : `\`${value}\` is not an IP address or CIDR block`),
    compileValue: (parts) => {
      const block = parseIpBlock(parts.map((p) => (p as { text: string }).text).join(''))!;
      const { mask, network } = v4Mask(block);
      return (v) => {
        const text = scalarText(v);
        if (block.version === 4) {
          // The common case, an IPv4 source against an IPv4 block, allocates nothing.
          const n = parseV4(text);
          if (n !== undefined) return ((n & mask) >>> 0) === network;
        }
        const addr = parseIpBlock(text);
        // A block is not an address; an IPv6 address never falls in an IPv4 block.
        return !!addr && addr.prefix === (addr.version === 4 ? 32 : 128) && ipInBlock(addr, block);
      };
    },
  };
}

/** The IP address operators. */
export const IP_ADDRESS_OPERATORS: readonly OperatorDefinition[] = [def('IpAddress', false), def('NotIpAddress', true)];
