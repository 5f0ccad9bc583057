// A strict well-formedness check for the XML the bot serves (the Atom feed), for tests: there is
// no XML parser among the dependencies (the browser test also parses the feed with Chromium's).
// It checks what a parser would refuse: unbalanced or crossed tags, more than one root, text
// outside it, a bare `<` or `&`, unknown entities, `]]>` in text, duplicate or unquoted
// attributes, and characters XML 1.0 does not allow.
const NAME = String.raw`[A-Za-z_][\w.:-]*`;
const START = new RegExp(String.raw`^<(${NAME})((?:\s+${NAME}\s*=\s*(?:"[^"<]*"|'[^'<]*'))*)\s*(/?)>$`);
const ATTRIBUTE = new RegExp(String.raw`(${NAME})\s*=\s*(?:"([^"<]*)"|'([^'<]*)')`, "g");
const END = new RegExp(String.raw`^</(${NAME})\s*>$`);
const ENTITY = /&(?!(?:amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);)/;
// eslint-disable-next-line no-control-regex
const INVALID_CHAR = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/;

function checkText(text: string, where: string) {
  if (ENTITY.test(text)) throw new Error(`XML: a bare & ${where}: ${text.slice(0, 80)}`);
  if (text.includes("]]>")) throw new Error(`XML: ]]> in text ${where}`);
  if (INVALID_CHAR.test(text)) throw new Error(`XML: a character XML does not allow ${where}`);
}

export function checkWellFormedXml(xml: string): void {
  let rest = xml;
  const declaration = /^<\?xml\s+version="1\.[0-9]"(?:\s+encoding="[A-Za-z][\w.-]*")?(?:\s+standalone="(?:yes|no)")?\s*\?>/.exec(rest);
  if (declaration) rest = rest.slice(declaration[0].length);
  const stack: string[] = [];
  let roots = 0;
  for (const [token] of rest.matchAll(/<!--[\s\S]*?-->|<!\[CDATA\[[\s\S]*?\]\]>|<[^>]*>|[^<]+|</g)) {
    if (token.startsWith("<!--")) continue;
    if (token.startsWith("<![CDATA[")) {
      if (stack.length === 0) throw new Error("XML: CDATA outside the root element");
      continue;
    }
    if (token.startsWith("</")) {
      const end = END.exec(token);
      if (!end) throw new Error(`XML: malformed end tag ${token}`);
      const open = stack.pop();
      if (open !== end[1]) throw new Error(`XML: </${end[1]}> closes <${open ?? "nothing"}>`);
      continue;
    }
    if (token.startsWith("<")) {
      const start = START.exec(token);
      if (!start) throw new Error(`XML: malformed tag ${token.slice(0, 80)}`);
      const names = new Set<string>();
      for (const [, name, double, single] of start[2]!.matchAll(ATTRIBUTE)) {
        if (names.has(name!)) throw new Error(`XML: duplicate attribute ${name} in ${token}`);
        names.add(name!);
        checkText(double ?? single ?? "", `in attribute ${name}`);
      }
      if (stack.length === 0) roots += 1;
      if (roots > 1) throw new Error("XML: more than one root element");
      if (!start[3]) stack.push(start[1]!);
      continue;
    }
    if (stack.length === 0) {
      if (token.trim()) throw new Error(`XML: text outside the root element: ${token.slice(0, 80)}`);
      continue;
    }
    checkText(token, `inside <${stack.at(-1)}>`);
  }
  if (stack.length) throw new Error(`XML: <${stack.at(-1)}> is never closed`);
  if (roots !== 1) throw new Error("XML: no root element");
}
