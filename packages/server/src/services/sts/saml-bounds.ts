/**
 * How large a SAML response AssumeRoleWithSAML will do any work on. The call needs no credentials,
 * and xml-crypto's check walks the whole document (XPath for the referenced ID, ancestor
 * namespaces, canonicalization) once per certificate tried: a forged 100,000-character response
 * of tiny elements cost seconds of CPU. A real IdP's response (Okta, Entra ID, ADFS, Keycloak) has
 * a few dozen to a few hundred elements, nested under ten deep: Entra ID sends at most 150 groups,
 * and the model's 100,000 base64 characters hold under 900 `Role` values of ~80 characters. So
 * the bounds below leave real responses room while keeping any document's cost small.
 *
 * @module
 */

/** Elements in the whole response. */
export const MAX_SAML_ELEMENTS = 1_000;
/** Nesting depth (the Response is 1; an X509Certificate in an assertion's signature is 7). */
export const MAX_SAML_DEPTH = 32;
/** Attributes of one element, namespace declarations included. */
export const MAX_SAML_ATTRIBUTES = 32;

/**
 * Before parsing: what cannot be a response within the bounds (more start tags than elements
 * allowed), answered as the reason, or undefined. Counting `<` followed by a name is an upper
 * bound of the elements (a comment or CDATA section starts with `<!`, an end tag with `</`).
 */
export function samlTextOutOfBounds(xml: string): string | undefined {
  let tags = 0;
  for (let i = xml.indexOf('<'); i !== -1; i = xml.indexOf('<', i + 1)) {
    const c = xml.charCodeAt(i + 1);
    if (c !== 0x2f /* / */ && c !== 0x21 /* ! */ && c !== 0x3f /* ? */ && ++tags > MAX_SAML_ELEMENTS) return `the response has more than ${MAX_SAML_ELEMENTS} elements.`;
  }
  return undefined;
}

/**
 * After parsing, before any signature work: the reason `root` is out of bounds, or undefined, and
 * every element carrying an `ID`, `Id` or `id` attribute by its value (xml-crypto's ID attributes),
 * so a signature's reference is resolved once, here, and a value used twice is refused.
 */
export function samlTreeOutOfBounds(root: Element): { reason?: string; ids: Map<string, Element | null> } {
  const ids = new Map<string, Element | null>();
  let elements = 0;
  // Iterative: a deep document must not exhaust the stack here.
  const stack: Array<[Element, number]> = [[root, 1]];
  while (stack.length > 0) {
    const [e, depth] = stack.pop()!;
    if (++elements > MAX_SAML_ELEMENTS) return { reason: `the response has more than ${MAX_SAML_ELEMENTS} elements.`, ids };
    if (depth > MAX_SAML_DEPTH) return { reason: `the response nests elements more than ${MAX_SAML_DEPTH} deep.`, ids };
    if (e.attributes.length > MAX_SAML_ATTRIBUTES) return { reason: `an element of the response has more than ${MAX_SAML_ATTRIBUTES} attributes.`, ids };
    for (let i = 0; i < e.attributes.length; i++) {
      const a = e.attributes.item(i)!;
      const local = a.localName ?? a.name;
      if (local === 'ID' || local === 'Id' || local === 'id') ids.set(a.value, ids.has(a.value) ? null : e);
    }
    for (let n = e.lastChild; n; n = n.previousSibling) if (n.nodeType === 1) stack.push([n as Element, depth + 1]);
  }
  return { ids };
}
