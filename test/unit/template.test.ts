import { readFile } from "node:fs/promises";
import path from "node:path";
import { REPORT_SECTIONS, SECTION_TITLES } from "../../src/incidents/model.js";
import { DEFAULT_TEMPLATE, parseTemplate, TemplateError } from "../../src/incidents/report/template.js";

describe("report templates", () => {
  it("defaults to the standard sections, titles and order", () => {
    expect(DEFAULT_TEMPLATE.map((s) => s.key)).toEqual([...REPORT_SECTIONS]);
    expect(DEFAULT_TEMPLATE.map((s) => s.title)).toEqual(REPORT_SECTIONS.map((key) => SECTION_TITLES[key]));
    expect(DEFAULT_TEMPLATE.find((s) => s.key === "timeline")?.compiled).toBe("timeline");
    expect(DEFAULT_TEMPLATE.find((s) => s.key === "root_cause")?.compiled).toBeUndefined();
  });

  it("parses the shipped 2i2c example, with its people-only 'Where we got lucky'", async () => {
    const file = path.resolve(import.meta.dirname, "../../src/incidents/report/templates/report-2i2c.json");
    const template = parseTemplate(await readFile(file, "utf8"));
    expect(template.find((s) => s.key === "lucky")).toEqual({ key: "lucky", title: "Where we got lucky" });
    expect(template.at(-1)).toEqual({ key: "action_items", title: "Action items", compiled: "action_items" });
  });

  it("accepts a bare list and trims titles", () => {
    expect(parseTemplate('[{"key":"summary","title":" Summary ","compiled":"summary"}]')).toEqual([
      { key: "summary", title: "Summary", compiled: "summary" },
    ]);
  });

  it.each([
    ["not json", /not valid JSON/],
    ['{"name":"x"}', /list of sections/],
    ["[]", /at least one section/],
    ["[1]", /Section 1 .* not an object/],
    ['[{"key":"Summary","title":"S"}]', /Section 1 .*"key" of lowercase/],
    ['[{"key":"a","title":"A"},{"key":"a","title":"B"}]', /Section 2 .*repeats the key "a"/],
    ['[{"key":"a","title":""}]', /"a"\) needs a "title"/],
    ['[{"key":"a","title":"two\\nlines"}]', /needs a "title": one line/],
    ['[{"key":"a","title":"A","compiled":"root_cause"}]', /"compiled": "root_cause"; it must be one of "summary"/],
    ['[{"key":"a","title":"A","source":"summary"}]', /unknown field "source"/],
  ])("refuses %s with a clear error", (json, message) => {
    expect(() => parseTemplate(json)).toThrow(TemplateError);
    expect(() => parseTemplate(json)).toThrow(message);
  });
});
