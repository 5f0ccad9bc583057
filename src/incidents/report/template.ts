// The report's shape: which sections it has, their titles and their order. Teams follow different
// report formats (the 2i2c reports add "Where we got lucky"), so the shape is data a team can
// replace. A section either has a compiled source (built from the record unless people wrote it)
// or is written by people only.
import type { ReportSectionKey } from "../model.js";
import { REPORT_SECTIONS, SECTION_TITLES } from "../model.js";

/** Sections the compiler can build from the record. */
export const COMPILED_SOURCES = ["summary", "detection", "impact", "timeline", "resolution", "action_items"] as const;
export type CompiledSource = (typeof COMPILED_SOURCES)[number] & ReportSectionKey;

export interface TemplateSection {
  /** Where people's text for the section is stored; the standard keys are REPORT_SECTIONS. */
  key: string;
  title: string;
  /** What the compiler builds when people have not written the section; none: people only. */
  compiled?: CompiledSource;
}

export type Template = readonly TemplateSection[];

const isCompiledSource = (key: string): key is CompiledSource => (COMPILED_SOURCES as readonly string[]).includes(key);

/** The report as the bot always compiled it: REPORT_SECTIONS, their titles, each built from its own source. */
export const DEFAULT_TEMPLATE: Template = REPORT_SECTIONS.map((key) =>
  isCompiledSource(key) ? { key, title: SECTION_TITLES[key], compiled: key } : { key, title: SECTION_TITLES[key] },
);

export class TemplateError extends Error {
  override name = "TemplateError";
}

const KEY = /^[a-z][a-z0-9_]{0,39}$/;

/**
 * A template from JSON: a list of sections, or `{ "sections": [...] }` (other top-level fields, such
 * as a description, are allowed and ignored). Errors name the section and the field at fault.
 */
export function parseTemplate(json: string): Template {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch (error) {
    throw new TemplateError(`The report template is not valid JSON: ${error instanceof Error ? error.message : String(error)}`);
  }
  const list = Array.isArray(value) ? value : isObject(value) && Array.isArray(value.sections) ? value.sections : null;
  if (!list) throw new TemplateError('A report template is a list of sections, or an object with a "sections" list.');
  if (list.length === 0) throw new TemplateError("A report template needs at least one section.");

  const seen = new Set<string>();
  return list.map((item: unknown, index): TemplateSection => {
    const where = `Section ${index + 1} of the report template`;
    if (!isObject(item)) throw new TemplateError(`${where} is not an object with "key" and "title".`);
    const { key, title, compiled } = item;
    const unknown = Object.keys(item).filter((field) => !["key", "title", "compiled"].includes(field));
    if (unknown.length) {
      const fields = unknown.map((f) => `"${f}"`).join(", ");
      throw new TemplateError(
        `${where} has unknown field${unknown.length > 1 ? "s" : ""} ${fields}; a section has "key", "title" and optionally "compiled".`,
      );
    }
    if (typeof key !== "string" || !KEY.test(key)) {
      throw new TemplateError(
        `${where} needs a "key" of lowercase letters, digits and underscores, starting with a letter (at most 40), ` +
          `e.g. "went_lucky"; got ${JSON.stringify(key)}.`,
      );
    }
    if (seen.has(key)) throw new TemplateError(`${where} repeats the key "${key}"; each section needs its own key.`);
    seen.add(key);
    if (typeof title !== "string" || !title.trim() || /[\r\n]/.test(title)) {
      throw new TemplateError(`${where} ("${key}") needs a "title": one line of text.`);
    }
    if (compiled === undefined) return { key, title: title.trim() };
    if (typeof compiled !== "string" || !isCompiledSource(compiled)) {
      const sources = COMPILED_SOURCES.map((s) => `"${s}"`).join(", ");
      throw new TemplateError(
        `${where} ("${key}") has "compiled": ${JSON.stringify(compiled)}; it must be one of ${sources}, or left out for a section people write.`,
      );
    }
    return { key, title: title.trim(), compiled };
  });
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
