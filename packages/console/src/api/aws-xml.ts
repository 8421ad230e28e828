/**
 * AWS Query responses (XML) as plain values: an element whose children are all `member` is a
 * list, `entry` children with `key`/`value` a map, other elements with children a record, and a
 * leaf its text. An empty element reads as `''`, so callers read lists with {@link asList}.
 */
export type XmlValue = string | XmlValue[] | { [name: string]: XmlValue };

export function xmlValue(el: Element): XmlValue {
  const children = Array.from(el.children);
  if (children.length === 0) return el.textContent ?? '';
  if (children.every((c) => c.localName === 'member')) return children.map(xmlValue);
  if (children.every((c) => c.localName === 'entry')) {
    const map: Record<string, XmlValue> = {};
    for (const c of children) {
      const key = c.getElementsByTagName('key')[0]?.textContent ?? '';
      const value = c.getElementsByTagName('value')[0];
      map[key] = value ? xmlValue(value) : '';
    }
    return map;
  }
  const out: Record<string, XmlValue> = {};
  for (const c of children) out[c.localName] = xmlValue(c);
  return out;
}

/** A list member read from {@link xmlValue}: `''` and absent are empty lists. */
export function asList<T = Record<string, string>>(value: unknown): T[] {
  if (Array.isArray(value)) return value as T[];
  return [];
}
