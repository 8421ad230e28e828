/**
 * IpAddress and NotIpAddress: IPv4 or IPv6 addresses and CIDR blocks. Policy variables are not
 * supported (AWS). A request value that is not an address never matches.
 */
import type { OperatorDefinition } from './operator-definition.js';
import { scalarText } from './context-value.js';
import { ipInBlock, parseIpBlock, type IpBlock } from './ip-cidr.js';
import type { ConditionOperatorName } from '../types.js';

function def(name: ConditionOperatorName, negated: boolean): OperatorDefinition {
  return {
    name,
    negated,
    supportsVariables: false,
    checkValue: (value) => (parseIpBlock(value) ? undefined : `\`${value}\` is not an IP address or CIDR block`),
    compileValue: (parts) => {
      const block = parseIpBlock(parts.map((p) => (p as { text: string }).text).join(''))!;
      // A one-entry memo: one request usually tests one source address against several blocks.
      let lastText: string | undefined;
      let lastAddr: IpBlock | undefined;
      return (v) => {
        const text = scalarText(v);
        let addr: IpBlock | undefined;
        if (text === lastText) addr = lastAddr;
        else {
          addr = parseIpBlock(text);
          if (addr && addr.prefix !== (addr.version === 4 ? 32 : 128)) addr = undefined; // a block is not an address
          lastText = text;
          lastAddr = addr;
        }
        return !!addr && ipInBlock(addr, block);
      };
    },
  };
}

/** The IP address operators. */
export const IP_ADDRESS_OPERATORS: readonly OperatorDefinition[] = [def('IpAddress', false), def('NotIpAddress', true)];
