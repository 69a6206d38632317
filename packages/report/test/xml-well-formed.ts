// A small, strict-enough XML 1.0 checker for tests: it tokenizes the document and checks that
// tags nest, attributes are quoted and unique, references are known, and no forbidden character
// or raw `<`/`&` appears. Returns the elements with decoded attributes and text for assertions.

export interface XmlElement {
  readonly name: string;
  readonly attributes: Readonly<Record<string, string>>;
  readonly children: XmlElement[];
  text: string;
}

const NAME = '[A-Za-z_][\\w.-]*';
/** Whether `text` has a character XML 1.0 forbids (`for…of` yields unpaired surrogates alone). */
function hasForbidden(text: string): boolean {
  for (const ch of text) {
    const cp = ch.codePointAt(0) ?? 0;
    if (
      (cp < 0x20 && ![0x09, 0x0a, 0x0d].includes(cp)) ||
      cp === 0xfffe ||
      cp === 0xffff ||
      (cp >= 0xd800 && cp <= 0xdfff)
    ) {
      return true;
    }
  }
  return false;
}
const ENTITIES: Readonly<Record<string, string>> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function decode(raw: string, where: string): string {
  if (/<|&(?!(#\d+|#x[0-9a-fA-F]+|amp|lt|gt|quot|apos);)/.test(raw))
    throw new Error(`raw < or & in ${where}: ${raw}`);
  return raw.replace(/&(#x[0-9a-fA-F]+|#\d+|\w+);/g, (_, ref: string) => {
    if (ref.startsWith('#x')) return String.fromCodePoint(Number.parseInt(ref.slice(2), 16));
    if (ref.startsWith('#')) return String.fromCodePoint(Number(ref.slice(1)));
    return ENTITIES[ref]!;
  });
}

function parseAttributes(raw: string, tag: string): Record<string, string> {
  const attributes: Record<string, string> = {};
  const attr = new RegExp(`\\s+(${NAME})="([^"]*)"`, 'y');
  let rest = raw;
  while (rest.trim() !== '') {
    attr.lastIndex = 0;
    const m = attr.exec(rest);
    if (!m) throw new Error(`bad attributes in <${tag}>: ${rest}`);
    const [all, name = '', value = ''] = m;
    if (name in attributes) throw new Error(`duplicate attribute ${name} in <${tag}>`);
    // Attribute-value normalisation: literal whitespace characters become spaces.
    attributes[name] = decode(value.replace(/[\t\n\r]/g, ' '), `${tag}@${name}`);
    rest = rest.slice(all.length);
  }
  return attributes;
}

/** Parse `xml` or throw an Error that says what is wrong. */
export function parseXml(xml: string): XmlElement {
  if (hasForbidden(xml)) throw new Error('character not allowed in XML 1.0');
  const body = xml.replace(/^<\?xml [^?]*\?>\s*/, '');
  const token = new RegExp(`<(/?)(${NAME})((?:\\s+${NAME}="[^"]*")*)\\s*(/?)>|([^<]+)|(<)`, 'gy');
  const stack: XmlElement[] = [];
  let root: XmlElement | undefined;
  for (let m = token.exec(body); m !== null; m = token.exec(body)) {
    const [, close, name = '', attrs = '', selfClose, text, stray] = m;
    if (stray) throw new Error(`stray < at ${m.index}: ${body.slice(m.index, m.index + 40)}`);
    if (text !== undefined) {
      const top = stack.at(-1);
      if (!top) {
        if (text.trim() !== '') throw new Error('text outside the root element');
        continue;
      }
      top.text += decode(text.replace(/\r\n?/g, '\n'), `<${top.name}>`);
      continue;
    }
    if (close) {
      const open = stack.pop();
      if (open?.name !== name) throw new Error(`</${name}> closes <${open?.name ?? 'nothing'}>`);
      continue;
    }
    const element: XmlElement = { name, attributes: parseAttributes(attrs, name), children: [], text: '' };
    const parent = stack.at(-1);
    if (parent) parent.children.push(element);
    else if (root) throw new Error('more than one root element');
    else root = element;
    if (!selfClose) stack.push(element);
  }
  if (stack.length > 0) throw new Error(`<${stack.at(-1)?.name}> is not closed`);
  if (!root) throw new Error('no root element');
  return root;
}

/** All descendants named `name`, in document order. */
export function findAll(element: XmlElement, name: string): XmlElement[] {
  return element.children.flatMap((child) => [
    ...(child.name === name ? [child] : []),
    ...findAll(child, name),
  ]);
}
