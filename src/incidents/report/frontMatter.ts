// YAML front matter for the published report (./published.ts). No YAML library is installed, and
// front matter needs very little of YAML: a mapping of fixed keys to strings, numbers, nulls, nested
// mappings and lists of mappings. Strings are always double-quoted with JSON's escapes, which YAML's
// double-quoted style reads the same way, so no value can be taken for a number, a date, a boolean
// or a comment.

export type YamlValue = string | number | boolean | null | readonly YamlValue[] | { readonly [key: string]: YamlValue };

const YAML_KEY = /^[A-Za-z_][A-Za-z0-9_-]*$/;

/** JSON's string escapes, plus the characters YAML does not allow unescaped or reads as line breaks. */
export function yamlString(text: string): string {
  const wellFormed = text.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, "\uFFFD");
  return JSON.stringify(wellFormed).replace(
    /[\u007F-\u009F\u2028\u2029\uFEFF\uFFFE\uFFFF]/g,
    (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
}

function yamlScalar(value: string | number | boolean | null): string {
  if (value === null) return "null";
  if (typeof value === "number") {
    if (!Number.isFinite(value)) throw new RangeError(`YAML front matter cannot hold ${value}`);
    return String(value);
  }
  return typeof value === "boolean" ? String(value) : yamlString(value);
}

const isMapping = (value: YamlValue): value is { readonly [key: string]: YamlValue } =>
  value !== null && typeof value === "object" && !Array.isArray(value);

function yamlLines(value: YamlValue, indent: string): string[] {
  if (Array.isArray(value)) {
    if (value.length === 0) return ["[]"];
    return value.flatMap((item: YamlValue) => {
      const [first = "", ...rest] = yamlBlock(item, `${indent}  `);
      return [`${indent}- ${first.trimStart()}`, ...rest];
    });
  }
  return yamlBlock(value, indent);
}

/** A value as lines at `indent`; a scalar is one line without its indent. */
function yamlBlock(value: YamlValue, indent: string): string[] {
  if (Array.isArray(value)) return yamlLines(value, indent);
  if (!isMapping(value)) return [yamlScalar(value as string | number | boolean | null)];
  const entries = Object.entries(value);
  if (entries.length === 0) return ["{}"];
  return entries.flatMap(([key, item]) => {
    if (!YAML_KEY.test(key)) throw new RangeError(`Not a plain YAML key: ${JSON.stringify(key)}`);
    const empty = (Array.isArray(item) && item.length === 0) || (isMapping(item) && Object.keys(item).length === 0);
    if (empty || !(Array.isArray(item) || isMapping(item))) return [`${indent}${key}: ${yamlBlock(item, "")[0]}`];
    return [`${indent}${key}:`, ...yamlLines(item, `${indent}  `)];
  });
}

/** `---`, the mapping, `---`: YAML front matter as GitHub and static site generators read it. */
export function yamlFrontMatter(fields: { readonly [key: string]: YamlValue }): string {
  return ["---", ...yamlBlock(fields, ""), "---"].join("\n");
}
