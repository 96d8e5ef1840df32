/**
 * Just enough XML for SOAP envelopes: elements (namespace prefixes dropped), text with the five
 * predefined entities, attributes ignored, comments and processing instructions skipped.
 */
export interface XmlElement {
  name: string;
  attributes: Record<string, string>;
  children: XmlElement[];
  text: string;
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

export function decodeEntities(text: string): string {
  return text.replace(/&(amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);/g, (_m, e: string) => {
    if (e.startsWith('#x')) return String.fromCodePoint(parseInt(e.slice(2), 16));
    if (e.startsWith('#')) return String.fromCodePoint(parseInt(e.slice(1), 10));
    return ENTITIES[e] ?? '';
  });
}

export function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

export function parseXml(source: string): XmlElement {
  const root: XmlElement = { name: '#document', attributes: {}, children: [], text: '' };
  const stack: XmlElement[] = [root];
  const tag = /<(\/?)([A-Za-z_][\w.:-]*)((?:\s+[\w.:-]+\s*=\s*(?:"[^"]*"|'[^']*'))*)\s*(\/?)>|<!--[\s\S]*?-->|<\?[\s\S]*?\?>/g;
  let last = 0;
  for (let m = tag.exec(source); m; m = tag.exec(source)) {
    const current = stack[stack.length - 1] as XmlElement;
    current.text += decodeEntities(source.slice(last, m.index));
    last = tag.lastIndex;
    if (m[2] === undefined) continue; // comment or processing instruction
    const name = localName(m[2]);
    if (m[1] === '/') {
      if (stack.length > 1 && current.name === name) stack.pop();
      else throw new Error(`unexpected closing tag ${m[2]}`);
      continue;
    }
    const element: XmlElement = { name, attributes: attributesOf(m[3] ?? ''), children: [], text: '' };
    current.children.push(element);
    if (m[4] !== '/') stack.push(element);
  }
  if (stack.length !== 1) throw new Error('unclosed element');
  return root;
}

function localName(qualified: string): string {
  const i = qualified.indexOf(':');
  return i === -1 ? qualified : qualified.slice(i + 1);
}

function attributesOf(source: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of source.matchAll(/([\w.:-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g)) {
    out[m[1] as string] = decodeEntities(m[2] ?? m[3] ?? '');
  }
  return out;
}

export function child(element: XmlElement | undefined, name: string): XmlElement | undefined {
  return element?.children.find((c) => c.name === name);
}

export function childText(element: XmlElement | undefined, name: string): string | undefined {
  const c = child(element, name);
  if (!c || c.attributes['xsi:nil'] === 'true') return undefined;
  return c.text.trim();
}
