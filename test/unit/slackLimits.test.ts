// Slack's Block Kit limits as the bot knows them (src/slack/limits.ts), the checker the fake Slack
// answers with, the sender's last-line fitter, and the helpers builders fit their content with.
// Then the builders themselves, fed what a big incident holds, checked against the same rules.
import type { KnownBlock } from "@slack/types";
import type { ActionItem, Incident } from "../../src/incidents/model.js";
import { parseIncidentCommand } from "../../src/slack/commandText.js";
import { capBlocks, packLines, page, splitText, textSections } from "../../src/slack/fit.js";
import { cutText, fitToLimits, messageBlockErrors, messageRefusal, viewErrors } from "../../src/slack/limitCheck.js";
import { LIMITS } from "../../src/slack/limits.js";
import { readActionItemOption } from "../../src/slack/values.js";
import { actionItemsMessage, resolutionSummary } from "../../src/slack/views/actionItems.js";
import { headerBlocks } from "../../src/slack/views/header.js";
import { EDITOR_MAX_PARTS, EDITOR_PART_CHARS, editorParts, joinEditorParts } from "../../src/slack/views/report.js";
import { refuseMessage, refuseView } from "../support/slackStrictness.js";

const section = (text: string): KnownBlock => ({ type: "section", text: { type: "mrkdwn", text } });
const plain = (text: string) => ({ type: "plain_text" as const, text });
const button = (text: string, value = "v") => ({ type: "button", action_id: "a", text: plain(text), value });
const option = (text: string, value = "v") => ({ text: plain(text), value });
const modal = (extra: Record<string, unknown> = {}) => ({
  type: "modal",
  title: plain("Edit"),
  submit: plain("Save"),
  blocks: [section("hi")],
  ...extra,
});

describe("Slack's published limits", () => {
  it("are the numbers Slack's Block Kit reference gives", () => {
    expect(LIMITS).toMatchObject({
      messageBlocks: 50,
      modalBlocks: 100,
      messageText: 40_000,
      sectionText: 3000,
      sectionFields: 10,
      sectionFieldText: 2000,
      headerText: 150,
      contextElements: 10,
      actionsElements: 25,
      buttonText: 75,
      buttonValue: 2000,
      optionText: 75,
      optionValue: 150,
      overflowOptionsMin: 2,
      overflowOptionsMax: 5,
      selectOptions: 100,
      modalTitle: 24,
      modalButton: 24,
      textInput: 3000,
      privateMetadata: 3000,
      inputLabel: 2000,
      blockId: 255,
      actionId: 255,
      confirmText: 300,
      placeholder: 150,
      markdownText: 12_000,
    });
  });
});

describe("messageBlockErrors: what Slack refuses in a message, in Slack's words", () => {
  const errorsOf = (blocks: unknown[]) => messageBlockErrors({ blocks });

  it("takes a message within every limit", () => {
    expect(errorsOf([{ type: "header", text: plain("h".repeat(150)) }, section("s".repeat(3000)), { type: "divider" }])).toEqual([]);
  });

  it("refuses more than 50 blocks", () => {
    expect(errorsOf(Array.from({ length: 51 }, () => section("x")))).toEqual(["no more than 50 items allowed [json-pointer:/blocks]"]);
    expect(errorsOf(Array.from({ length: 50 }, () => section("x")))).toEqual([]);
  });

  it("refuses a section's text over 3,000 characters, an empty one, and a section with neither text nor fields", () => {
    expect(errorsOf([section("x".repeat(3001))])).toEqual(["must be less than 3001 characters [json-pointer:/blocks/0/text/text]"]);
    expect(errorsOf([section("")])).toEqual(["must be more than 0 characters [json-pointer:/blocks/0/text/text]"]);
    expect(errorsOf([{ type: "section" }])).toEqual(["missing required field: text [json-pointer:/blocks/0]"]);
  });

  it("refuses more than 10 fields, and a field over 2,000 characters", () => {
    const fields = (n: number, length = 5) => Array.from({ length: n }, () => ({ type: "mrkdwn", text: "f".repeat(length) }));
    expect(errorsOf([{ type: "section", fields: fields(11) }])).toEqual(["no more than 10 items allowed [json-pointer:/blocks/0/fields]"]);
    expect(errorsOf([{ type: "section", fields: fields(1, 2001) }])).toEqual([
      "must be less than 2001 characters [json-pointer:/blocks/0/fields/0/text]",
    ]);
  });

  it("refuses a header over 150 characters or in mrkdwn", () => {
    expect(errorsOf([{ type: "header", text: plain("h".repeat(151)) }])).toEqual([
      "must be less than 151 characters [json-pointer:/blocks/0/text/text]",
    ]);
    expect(errorsOf([{ type: "header", text: { type: "mrkdwn", text: "h" } }])).toEqual([
      "unsupported type: mrkdwn [json-pointer:/blocks/0/text/type]",
    ]);
  });

  it("refuses a context of more than 10 elements and an actions block of more than 25", () => {
    expect(errorsOf([{ type: "context", elements: Array.from({ length: 11 }, () => ({ type: "mrkdwn", text: "c" })) }])).toEqual([
      "no more than 10 items allowed [json-pointer:/blocks/0/elements]",
    ]);
    expect(errorsOf([{ type: "actions", elements: Array.from({ length: 26 }, () => button("b")) }])).toEqual([
      "no more than 25 items allowed [json-pointer:/blocks/0/elements]",
    ]);
  });

  it("refuses a button's text over 75 characters and its value over 2,000", () => {
    expect(errorsOf([{ type: "actions", elements: [button("b".repeat(76), "v".repeat(2001))] }])).toEqual([
      "must be less than 76 characters [json-pointer:/blocks/0/elements/0/text/text]",
      "must be less than 2001 characters [json-pointer:/blocks/0/elements/0/value]",
    ]);
  });

  it("refuses an option's text over 75 and value over 150, an overflow of 1 or 6 options, and a select of 101", () => {
    const overflow = (options: unknown[]) => [
      { type: "section", text: plain("s"), accessory: { type: "overflow", action_id: "o", options } },
    ];
    expect(errorsOf(overflow([option("o".repeat(76), "v".repeat(151)), option("b")]))).toEqual([
      "must be less than 76 characters [json-pointer:/blocks/0/accessory/options/0/text/text]",
      "must be less than 151 characters [json-pointer:/blocks/0/accessory/options/0/value]",
    ]);
    expect(errorsOf(overflow([option("a")]))).toEqual(["must provide at least 2 items [json-pointer:/blocks/0/accessory/options]"]);
    expect(errorsOf(overflow(Array.from({ length: 6 }, () => option("a"))))).toEqual([
      "no more than 5 items allowed [json-pointer:/blocks/0/accessory/options]",
    ]);
    const select = {
      type: "static_select",
      action_id: "s",
      placeholder: plain("p"),
      options: Array.from({ length: 101 }, () => option("a")),
    };
    expect(errorsOf([{ type: "actions", elements: [select] }])).toEqual([
      "no more than 100 items allowed [json-pointer:/blocks/0/elements/0/options]",
    ]);
  });

  it("refuses a confirm dialog's text over 300 characters, a block id over 255 and an unknown block type", () => {
    const confirmed = {
      ...button("b"),
      confirm: { title: plain("t"), text: plain("c".repeat(301)), confirm: plain("y"), deny: plain("n") },
    };
    expect(errorsOf([{ type: "actions", block_id: "i".repeat(256), elements: [confirmed] }, { type: "chart" }])).toEqual([
      "must be less than 256 characters [json-pointer:/blocks/0/block_id]",
      "must be less than 301 characters [json-pointer:/blocks/0/elements/0/confirm/text/text]",
      "unsupported type: chart [json-pointer:/blocks/1/type]",
    ]);
  });
});

describe("messageRefusal: a chat method's answer to a message", () => {
  it("is msg_too_long over 40,000 characters of text, no_text with nothing to show, invalid_blocks with Slack's lines", () => {
    expect(messageRefusal({ text: "t".repeat(40_001) })).toEqual({ error: "msg_too_long" });
    expect(messageRefusal({ text: "t".repeat(40_000) })).toBeNull();
    expect(messageRefusal({ text: "" })).toEqual({ error: "no_text" });
    expect(refuseMessage({ text: "t", blocks: [section("x".repeat(3001))] })).toEqual({
      ok: false,
      error: "invalid_blocks",
      errors: ["must be less than 3001 characters [json-pointer:/blocks/0/text/text]"],
      response_metadata: { messages: ["[ERROR] must be less than 3001 characters [json-pointer:/blocks/0/text/text]"] },
    });
  });
});

describe("viewErrors: what views.open refuses in a modal", () => {
  it("takes a modal within every limit", () => {
    expect(viewErrors(modal())).toEqual([]);
  });

  it("refuses a title, submit or close over 24 characters, and more than 100 blocks", () => {
    expect(viewErrors(modal({ title: plain("t".repeat(25)), submit: plain("s".repeat(25)), close: plain("c".repeat(25)) }))).toEqual([
      "must be less than 25 characters [json-pointer:/view/title/text]",
      "must be less than 25 characters [json-pointer:/view/submit/text]",
      "must be less than 25 characters [json-pointer:/view/close/text]",
    ]);
    expect(viewErrors(modal({ blocks: Array.from({ length: 101 }, () => section("x")) }))).toEqual([
      "no more than 100 items allowed [json-pointer:/view/blocks]",
    ]);
  });

  it("refuses an input's initial value longer than its max_length (at most 3,000), a label over 2,000, and an input without submit", () => {
    const input = (element: Record<string, unknown>, label = "L") => ({
      type: "input",
      block_id: "b",
      label: plain(label),
      element: { type: "plain_text_input", action_id: "t", ...element },
    });
    expect(viewErrors(modal({ blocks: [input({ max_length: 3001 })] }))).toEqual([
      "must be less than or equal to 3000 [json-pointer:/view/blocks/0/element/max_length]",
    ]);
    expect(viewErrors(modal({ blocks: [input({ max_length: 10, initial_value: "i".repeat(11) }, "l".repeat(2001))] }))).toEqual([
      "must be less than 2001 characters [json-pointer:/view/blocks/0/label/text]",
      "must be less than 11 characters [json-pointer:/view/blocks/0/element/initial_value]",
    ]);
    expect(viewErrors({ type: "modal", title: plain("t"), blocks: [input({})] })).toEqual([
      "must define `submit` to use an `input` block in modals [json-pointer:/view/blocks/0/input]",
    ]);
  });

  it("refuses private_metadata over 3,000 characters, answered as views.open answers (invalid_arguments)", () => {
    expect(refuseView(modal({ private_metadata: "m".repeat(3001) }))).toEqual({
      ok: false,
      error: "invalid_arguments",
      response_metadata: { messages: ["[ERROR] must be less than 3001 characters [json-pointer:/view/private_metadata]"] },
    });
  });
});

describe("cutText", () => {
  it("leaves a text that fits alone, and cuts one that does not to exactly what fits, at a word break", () => {
    expect(cutText("short", 10)).toBe("short");
    const cut = cutText("word ".repeat(1000), 100);
    expect(cut.length).toBeLessThanOrEqual(100);
    expect(cut).toMatch(/word…$/);
  });

  it("ends with the pointer it is given", () => {
    const cut = cutText("a ".repeat(3000), 3000, " … (the whole summary: `/incident report`)");
    expect(cut.length).toBeLessThanOrEqual(3000);
    expect(cut.endsWith(" … (the whole summary: `/incident report`)")).toBe(true);
  });

  it("never cuts inside a mention, a link, an HTML entity or a surrogate pair, and closes a code fence it leaves open", () => {
    expect(cutText(`${"x".repeat(40)} <@U0123456789> tail`, 50)).toBe(`${"x".repeat(40)}…`);
    expect(cutText(`${"x".repeat(45)}&amp;tail and more`, 50)).toBe(`${"x".repeat(45)}…`);
    expect(cutText(`${"x".repeat(48)}😀😀😀`, 50)).toBe(`${"x".repeat(48)}…`);
    const fenced = cutText("```\ncode line\n".repeat(50), 60);
    expect((fenced.match(/```/g) ?? []).length % 2).toBe(0);
    expect(fenced.length).toBeLessThanOrEqual(60);
  });
});

describe("fitToLimits: the sender's last line", () => {
  it("cuts what breaks a limit until Slack takes it, and says what it cut", () => {
    const big = { text: "t", blocks: Array.from({ length: 60 }, () => section("z ".repeat(2000))) };
    const { payload, cuts } = fitToLimits(big);
    expect(messageRefusal(payload)).toBeNull();
    expect(payload.blocks).toHaveLength(50);
    expect(JSON.stringify(payload.blocks.at(-1))).toContain("…and 11 more blocks");
    expect(cuts[0]).toBe("/blocks: 60 items cut to 50");
    expect(big.blocks).toHaveLength(60); // the caller's message is not changed
  });

  it("leaves a message within the limits as it is, and never cuts a value that carries meaning", () => {
    const fine = { text: "t", blocks: [section("s")] };
    expect(fitToLimits(fine)).toEqual({ payload: fine, cuts: [] });
    const view = {
      view: modal({
        private_metadata: "m".repeat(3001),
        blocks: [{ type: "input", label: plain("L"), element: { type: "plain_text_input", initial_value: "i".repeat(3001) } }],
      }),
    };
    const { payload, cuts } = fitToLimits(view);
    expect(cuts).toEqual([]);
    expect(payload).toBe(view);
  });

  it("cuts a modal's title and a too-long text of 40,001 characters", () => {
    const { payload } = fitToLimits({ view: modal({ title: plain("A title far too long for Slack") }) });
    expect(viewErrors(payload.view)).toEqual([]);
    expect(fitToLimits({ text: "t".repeat(40_001) }).payload.text.length).toBe(40_000);
  });
});

describe("builders' helpers", () => {
  it("splitText splits at paragraph, line or word breaks, never loses a character, and fits every part", () => {
    const texts = [
      `para one\n\n${"long line of words ".repeat(400)}\nnext\n\n${"x".repeat(7000)} <@U123> end`,
      "😀".repeat(4000),
      `${"a".repeat(2999)}<https://example.com/${"p".repeat(20)}|link> after`,
    ];
    for (const text of texts) {
      const { parts, separators } = splitText(text, 3000);
      expect(parts.every((part) => part.length <= 3000)).toBe(true);
      expect(parts.reduce((joined, part, i) => (i ? joined + separators[i - 1] + part : part), "")).toBe(text);
    }
    expect(splitText("😀".repeat(4000), 3000).parts[0]!.endsWith("😀")).toBe(true);
  });

  it("textSections, packLines, capBlocks and page stay within what they are given", () => {
    expect(textSections("x ".repeat(5000)).length).toBe(4);
    expect(
      packLines(
        Array.from({ length: 100 }, () => "l".repeat(100)),
        1000,
      ).every((chunk) => chunk.length <= 1000),
    ).toBe(true);
    const capped = capBlocks(
      Array.from({ length: 60 }, () => section("x")),
      50,
      (hidden) => section(`${hidden} more`),
    );
    expect(capped).toHaveLength(50);
    expect(capped.at(-1)).toEqual(section("11 more"));
    expect(page([1, 2, 3, 4, 5], 9, 2)).toEqual({ items: [5], number: 3, count: 3, first: 4 });
    expect(page([], 1, 20)).toEqual({ items: [], number: 1, count: 1, first: 0 });
  });

  it("the section editor splits a long section into inputs of 3,000 and joins them back exactly", () => {
    const steps = Array.from({ length: 300 }, (_, i) => `- **17:${String(i % 60).padStart(2, "0")}** step ${i} of the fix`);
    const markdown = `## Timeline\n\n${steps.join("\n")}\n\n${"word ".repeat(900)}`;
    const parts = editorParts(markdown)!;
    expect(parts.parts.length).toBeGreaterThan(1);
    expect(parts.parts.every((part) => part.length <= EDITOR_PART_CHARS)).toBe(true);
    expect(joinEditorParts(parts.parts, parts.separators)).toBe(markdown.trim());
    // A part someone emptied is left out; the others keep their order.
    expect(joinEditorParts(["first", "", "third"], ["\n\n", "\n"])).toBe("first\nthird");
    expect(editorParts("x".repeat(EDITOR_PART_CHARS * EDITOR_MAX_PARTS + 1))).toBeNull();
  });
});

describe("the builders, fed a big incident", () => {
  const at = new Date("2025-08-12T16:00:00Z");
  const incident: Incident = {
    id: "inc1",
    number: 7,
    title: `Checkout down ${"for everyone ".repeat(20)}`,
    channelId: "C1",
    channelName: "inc-7",
    status: "resolved",
    severity: "sev1",
    summary: "s".repeat(5000),
    resolution: `Rolled back ${"and restarted ".repeat(400)}`,
    declaredBy: "UALICE",
    declaredAt: at,
    detectedAt: at,
    impactStartedAt: at,
    impactEndedAt: new Date(at.getTime() + 3_600_000),
    resolvedAt: new Date(at.getTime() + 3_600_000),
    headerTs: "1.1",
    roles: { commander: "UALICE", tech_lead: "UBOB" },
    publicTitle: null,
  };
  const items: ActionItem[] = Array.from({ length: 60 }, (_, i) => ({
    id: `00000000-0000-4000-8000-${String(i).padStart(12, "0")}`,
    number: i + 1,
    text: `Fix thing ${i} ${"with a long explanation ".repeat(i % 3 === 0 ? 200 : 2)}`,
    ownerId: "UBOB",
    dueDate: at,
    status: i % 4 === 0 ? "done" : "open",
    createdBy: "UALICE",
    createdAt: at,
    issueNumber: i % 2 ? i : null,
    issueUrl: i % 2 ? `https://github.com/acme/incidents/issues/${i}` : null,
    lastError: null,
  }));

  it("the pinned header fits with a 5,000-character summary, and says where the rest is", () => {
    const blocks = headerBlocks(incident, { timeZone: "Europe/London", now: at });
    expect(messageBlockErrors({ blocks })).toEqual([]);
    expect(JSON.stringify(blocks)).toContain("the whole summary is in the report: `/incident report`");
  });

  it("/incident actions pages 60 items, 20 a page, each page within the limits, with the way to the next", () => {
    const first = actionItemsMessage(incident, items, 1);
    expect(messageRefusal(first)).toBeNull();
    expect(first.blocks.filter((b) => b.type === "section")).toHaveLength(20);
    expect(JSON.stringify(first.blocks)).toContain("`/incident actions page 2`");
    const last = actionItemsMessage(incident, items, 3);
    expect(messageRefusal(last)).toBeNull();
    expect(JSON.stringify(last.blocks)).toContain("items 41–60 of 60");
    expect(JSON.stringify(actionItemsMessage(incident, items, 99).blocks)).toContain("page 3 of 3");
    const menu = (last.blocks.find((b) => b.type === "section" && "accessory" in b) as { accessory: { options: { value: string }[] } })
      .accessory;
    expect(readActionItemOption(menu.options[0]!.value)).toEqual({ status: "done", itemId: expect.any(String), page: 3 });
    const itemId = "6f1c2b1e-8a4d-4c1b-9a57-2d3e4f5a6b7c";
    expect(readActionItemOption(`dropped:${itemId}`)).toEqual({ status: "dropped", itemId, page: 1 });
  });

  it("/incident actions reads `page 2`, `2` or nothing, and says what to type for anything else", () => {
    expect(parseIncidentCommand("actions")).toEqual({ ok: true, command: { sub: "actions", page: 1 } });
    expect(parseIncidentCommand("actions page 2")).toEqual({ ok: true, command: { sub: "actions", page: 2 } });
    expect(parseIncidentCommand("actions 3")).toEqual({ ok: true, command: { sub: "actions", page: 3 } });
    expect(parseIncidentCommand("actions next")).toEqual({
      ok: false,
      message:
        "“next” is not a page number.\nType `/incident actions [page <n>]` (list action items, mark them done or drop them; 20 a page)",
    });
  });

  it("the resolution summary fits with 60 items and a 5,000-character resolution, which it shows whole", () => {
    const summary = resolutionSummary(incident, items, "Europe/London");
    expect(messageRefusal(summary)).toBeNull();
    const shown = summary.blocks.map((b) => (b.type === "section" ? (b.text?.text ?? "") : "")).join("");
    expect(shown.replace(/\s/g, "")).toContain(incident.resolution!.replace(/\s/g, ""));
    expect(shown).toContain("…and 40 more: `/incident actions page 2`");
  });
});
