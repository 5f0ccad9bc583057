// Slack's published Block Kit limits, in one place, and the one walker that knows where each applies.
// Two things use the walker: `messageBlockErrors` and `viewErrors` say what Slack would refuse, in
// Slack's own words (the tests' fake Slack answers with them), and `fitToLimits` is the bot's last
// line of defence, which cuts whatever still breaks a limit before it is sent (src/slack/text.ts
// applies it to every message, modal and response_url answer). Builders do not rely on that last line: they fit their content on
// purpose, with a pointer to where the whole text is (src/slack/fit.ts), and a generic cut is logged
// as a bug (tests fail on it: test/support/testBot.ts).
//
// Sources (Slack's reference, docs.slack.dev):
//   blocks per message and modal .. https://docs.slack.dev/reference/block-kit/blocks
//   section ....................... https://docs.slack.dev/reference/block-kit/blocks/section-block
//   header ........................ https://docs.slack.dev/reference/block-kit/blocks/header-block
//   context ....................... https://docs.slack.dev/reference/block-kit/blocks/context-block
//   actions ....................... https://docs.slack.dev/reference/block-kit/blocks/actions-block
//   input ......................... https://docs.slack.dev/reference/block-kit/blocks/input-block
//   markdown ...................... https://docs.slack.dev/reference/block-kit/blocks/markdown-block
//   image ......................... https://docs.slack.dev/reference/block-kit/blocks/image-block
//   text object ................... https://docs.slack.dev/reference/block-kit/composition-objects/text-object
//   option, option group .......... https://docs.slack.dev/reference/block-kit/composition-objects/option-object
//   confirmation dialog ........... https://docs.slack.dev/reference/block-kit/composition-objects/confirmation-dialog-object
//   button ........................ https://docs.slack.dev/reference/block-kit/block-elements/button-element
//   overflow menu ................. https://docs.slack.dev/reference/block-kit/block-elements/overflow-menu-element
//   select menus .................. https://docs.slack.dev/reference/block-kit/block-elements/select-menu-element
//   checkboxes, radio buttons ..... https://docs.slack.dev/reference/block-kit/block-elements/checkboxes-element
//   plain-text input .............. https://docs.slack.dev/reference/block-kit/block-elements/plain-text-input-element
//   modal view .................... https://docs.slack.dev/reference/views/modal-views
//   chat.postMessage text ......... https://docs.slack.dev/reference/methods/chat.postMessage ("Truncating really long
//                                   messages": more than 40,000 characters; the method's errors include msg_too_long)
// Slack's error lines name the value by JSON pointer ("must be less than 3001 characters
// [json-pointer:/blocks/0/text/text]"); these do the same, so a test failure reads like Slack's.

export const LIMITS = {
  /** Blocks in one message (chat.postMessage, chat.update, chat.postEphemeral, response_url). */
  messageBlocks: 50,
  /** Blocks in a modal (views.open, views.update, views.push). */
  modalBlocks: 100,
  /** A message's top-level `text`. */
  messageText: 40_000,
  /** Any text object (mrkdwn or plain_text), unless its field says less. */
  textObject: 3000,
  sectionText: 3000,
  sectionFields: 10,
  sectionFieldText: 2000,
  headerText: 150,
  contextElements: 10,
  actionsElements: 25,
  /** The markdown block's text (messages only). */
  markdownText: 12_000,
  blockId: 255,
  actionId: 255,
  buttonText: 75,
  buttonValue: 2000,
  buttonUrl: 3000,
  accessibilityLabel: 75,
  optionText: 75,
  optionValue: 150,
  optionDescription: 75,
  optionUrl: 3000,
  overflowOptionsMin: 2,
  overflowOptionsMax: 5,
  selectOptions: 100,
  selectOptionGroups: 100,
  optionGroupLabel: 75,
  checkboxOptions: 10,
  radioOptions: 10,
  placeholder: 150,
  confirmTitle: 100,
  confirmText: 300,
  confirmButton: 30,
  modalTitle: 24,
  modalButton: 24,
  privateMetadata: 3000,
  callbackId: 255,
  externalId: 255,
  inputLabel: 2000,
  inputHint: 2000,
  /** plain_text_input's max_length and min_length are at most this; so is what one input holds. */
  textInput: 3000,
  imageAltText: 2000,
  imageUrl: 3000,
  imageTitle: 2000,
} as const;

/** Where a payload is shown: the block count and the block types allowed differ. */
export type Surface = "message" | "modal";

/**
 * A limit on one value. `cut`: a display text or a list the last line may shorten; values that
 * carry meaning (a button's value, private_metadata, an editor's initial value) are never cut.
 */
type Rule =
  | { kind: "chars"; max: number; min?: number; cut: boolean }
  | { kind: "items"; max?: number; min?: number; cut: boolean }
  | { kind: "number"; min: number; max: number }
  | { kind: "required"; field: string }
  | { kind: "oneOf"; allowed: readonly string[] }
  | { kind: "message"; text: string };

/** One constrained value met by the walker: where it is, its rule, and a way to replace it. */
interface Constrained {
  pointer: string;
  rule: Rule;
  value: unknown;
  replace(value: unknown): void;
}

type Visit = (constrained: Constrained) => void;
type Obj = Record<string, unknown>;

const isObject = (value: unknown): value is Obj => typeof value === "object" && value !== null && !Array.isArray(value);

function visitField(container: Obj, key: string, pointer: string, rule: Rule, visit: Visit) {
  const value = container[key];
  if (value === undefined && rule.kind !== "required") return;
  // Slack names a missing field by its parent: "missing required field: text [json-pointer:/blocks/0]".
  visit({
    pointer: rule.kind === "required" ? pointer : `${pointer}/${key}`,
    rule,
    value,
    replace: (next) => void (container[key] = next),
  });
}

const required = (container: Obj, key: string, pointer: string, visit: Visit) =>
  visitField(container, key, pointer, { kind: "required", field: key }, visit);

/** A text object at container[key]: its `text` has `max` characters at most (and at least 1). */
function visitText(
  container: Obj,
  key: string,
  pointer: string,
  max: number,
  visit: Visit,
  options: { required?: boolean; plainOnly?: boolean } = {},
) {
  const text = container[key];
  if (text === undefined) {
    if (options.required) required(container, key, pointer, visit);
    return;
  }
  if (!isObject(text))
    return visit({ pointer: `${pointer}/${key}`, rule: { kind: "message", text: "expected an object" }, value: text, replace: () => {} });
  visitField(
    text,
    "type",
    `${pointer}/${key}`,
    { kind: "oneOf", allowed: options.plainOnly ? ["plain_text"] : ["plain_text", "mrkdwn"] },
    visit,
  );
  visitField(text, "text", `${pointer}/${key}`, { kind: "chars", max, min: 1, cut: true }, visit);
}

/** A list at container[key], then each of its items (read again after the rule, which may have shortened it). */
function visitList(container: Obj, key: string, pointer: string, rule: Rule, visit: Visit, each: (item: unknown, pointer: string) => void) {
  if (container[key] === undefined && !(rule.kind === "items" && rule.min)) return;
  visitField(container, key, pointer, rule, visit);
  const list = container[key];
  if (Array.isArray(list)) list.forEach((item, index) => each(item, `${pointer}/${key}/${index}`));
}

function visitOption(option: unknown, pointer: string, visit: Visit) {
  if (!isObject(option)) return;
  visitText(option, "text", pointer, LIMITS.optionText, visit, { required: true });
  visitField(option, "value", pointer, { kind: "chars", max: LIMITS.optionValue, cut: false }, visit);
  visitText(option, "description", pointer, LIMITS.optionDescription, visit);
  visitField(option, "url", pointer, { kind: "chars", max: LIMITS.optionUrl, cut: false }, visit);
}

function visitConfirm(element: Obj, pointer: string, visit: Visit) {
  const confirm = element.confirm;
  if (!isObject(confirm)) return;
  const at = `${pointer}/confirm`;
  visitText(confirm, "title", at, LIMITS.confirmTitle, visit, { plainOnly: true });
  visitText(confirm, "text", at, LIMITS.confirmText, visit);
  visitText(confirm, "confirm", at, LIMITS.confirmButton, visit, { plainOnly: true });
  visitText(confirm, "deny", at, LIMITS.confirmButton, visit, { plainOnly: true });
}

const SELECTS = [
  "static_select",
  "multi_static_select",
  "external_select",
  "multi_external_select",
  "users_select",
  "multi_users_select",
  "conversations_select",
  "multi_conversations_select",
  "channels_select",
  "multi_channels_select",
];

function visitElement(element: unknown, pointer: string, visit: Visit) {
  if (!isObject(element)) return;
  visitField(element, "action_id", pointer, { kind: "chars", max: LIMITS.actionId, cut: false }, visit);
  visitText(element, "placeholder", pointer, LIMITS.placeholder, visit, { plainOnly: true });
  visitConfirm(element, pointer, visit);
  const type = String(element.type);
  if (type === "button") {
    visitText(element, "text", pointer, LIMITS.buttonText, visit, { required: true, plainOnly: true });
    visitField(element, "value", pointer, { kind: "chars", max: LIMITS.buttonValue, cut: false }, visit);
    visitField(element, "url", pointer, { kind: "chars", max: LIMITS.buttonUrl, cut: false }, visit);
    visitField(element, "accessibility_label", pointer, { kind: "chars", max: LIMITS.accessibilityLabel, cut: true }, visit);
  } else if (type === "overflow") {
    const rule: Rule = { kind: "items", min: LIMITS.overflowOptionsMin, max: LIMITS.overflowOptionsMax, cut: true };
    visitList(element, "options", pointer, rule, visit, (option, at) => visitOption(option, at, visit));
  } else if (SELECTS.includes(type)) {
    visitList(element, "options", pointer, { kind: "items", max: LIMITS.selectOptions, cut: true }, visit, (option, at) =>
      visitOption(option, at, visit),
    );
    visitList(element, "option_groups", pointer, { kind: "items", max: LIMITS.selectOptionGroups, cut: true }, visit, (group, at) => {
      if (!isObject(group)) return;
      visitText(group, "label", at, LIMITS.optionGroupLabel, visit, { required: true, plainOnly: true });
      visitList(group, "options", at, { kind: "items", max: LIMITS.selectOptions, cut: true }, visit, (option, optionAt) =>
        visitOption(option, optionAt, visit),
      );
    });
    if (isObject(element.initial_option)) visitOption(element.initial_option, `${pointer}/initial_option`, visit);
  } else if (type === "checkboxes" || type === "radio_buttons") {
    const max = type === "checkboxes" ? LIMITS.checkboxOptions : LIMITS.radioOptions;
    visitList(element, "options", pointer, { kind: "items", min: 1, max, cut: true }, visit, (option, at) =>
      visitOption(option, at, visit),
    );
  } else if (type === "plain_text_input") {
    const maxLength = typeof element.max_length === "number" ? element.max_length : LIMITS.textInput;
    visitField(element, "max_length", pointer, { kind: "number", min: 1, max: LIMITS.textInput }, visit);
    visitField(element, "min_length", pointer, { kind: "number", min: 0, max: LIMITS.textInput }, visit);
    // What the person typed before: cutting it would silently shorten their text when they save.
    visitField(element, "initial_value", pointer, { kind: "chars", max: Math.min(maxLength, LIMITS.textInput), cut: false }, visit);
  } else if (type === "image") {
    visitField(element, "alt_text", pointer, { kind: "chars", max: LIMITS.imageAltText, cut: true }, visit);
    visitField(element, "image_url", pointer, { kind: "chars", max: LIMITS.imageUrl, cut: false }, visit);
  }
}

const MESSAGE_BLOCKS = ["section", "header", "context", "actions", "divider", "image", "rich_text", "markdown", "file", "input", "video"];
const MODAL_BLOCKS = ["section", "header", "context", "actions", "divider", "image", "rich_text", "input", "file", "video"];

/** A block's `elements` (context, actions): at least one, at most `max`. */
const visitElements = (block: Obj, pointer: string, max: number, visit: Visit, each: (element: unknown, pointer: string) => void) =>
  visitList(block, "elements", pointer, { kind: "items", min: 1, max, cut: true }, visit, each);

function visitBlock(block: unknown, pointer: string, surface: Surface, visit: Visit) {
  if (!isObject(block)) return visit({ pointer, rule: { kind: "message", text: "expected an object" }, value: block, replace: () => {} });
  visitField(block, "type", pointer, { kind: "oneOf", allowed: surface === "modal" ? MODAL_BLOCKS : MESSAGE_BLOCKS }, visit);
  visitField(block, "block_id", pointer, { kind: "chars", max: LIMITS.blockId, cut: false }, visit);
  switch (block.type) {
    case "section":
      if (block.text === undefined && block.fields === undefined) required(block, "text", pointer, visit);
      visitText(block, "text", pointer, LIMITS.sectionText, visit);
      visitList(block, "fields", pointer, { kind: "items", max: LIMITS.sectionFields, cut: true }, visit, (field, at) => {
        if (!isObject(field)) return;
        visitField(field, "text", at, { kind: "chars", max: LIMITS.sectionFieldText, min: 1, cut: true }, visit);
      });
      visitElement(block.accessory, `${pointer}/accessory`, visit);
      return;
    case "header":
      return visitText(block, "text", pointer, LIMITS.headerText, visit, { required: true, plainOnly: true });
    case "context":
      return visitElements(block, pointer, LIMITS.contextElements, visit, (element, at) => {
        if (!isObject(element)) return;
        if (element.type === "image") return visitElement(element, at, visit);
        visitField(element, "text", at, { kind: "chars", max: LIMITS.textObject, min: 1, cut: true }, visit);
      });
    case "actions":
      return visitElements(block, pointer, LIMITS.actionsElements, visit, (element, at) => visitElement(element, at, visit));
    case "input":
      visitText(block, "label", pointer, LIMITS.inputLabel, visit, { required: true, plainOnly: true });
      visitText(block, "hint", pointer, LIMITS.inputHint, visit, { plainOnly: true });
      if (block.element === undefined) required(block, "element", pointer, visit);
      return visitElement(block.element, `${pointer}/element`, visit);
    case "markdown":
      return visitField(block, "text", pointer, { kind: "chars", max: LIMITS.markdownText, min: 1, cut: true }, visit);
    case "image":
      visitField(block, "alt_text", pointer, { kind: "chars", max: LIMITS.imageAltText, cut: true }, visit);
      visitField(block, "image_url", pointer, { kind: "chars", max: LIMITS.imageUrl, cut: false }, visit);
      return visitText(block, "title", pointer, LIMITS.imageTitle, visit, { plainOnly: true });
    default:
      return;
  }
}

/** A message's blocks (and nothing else: `text` is chat.postMessage's own limit, see messageText). */
function visitMessageBlocks(message: Obj, visit: Visit) {
  visitList(message, "blocks", "", { kind: "items", max: LIMITS.messageBlocks, cut: true }, visit, (block, at) =>
    visitBlock(block, at, "message", visit),
  );
}

function visitView(view: Obj, visit: Visit, pointer = "/view") {
  visitText(view, "title", pointer, LIMITS.modalTitle, visit, { required: view.type === "modal", plainOnly: true });
  visitText(view, "submit", pointer, LIMITS.modalButton, visit, { plainOnly: true });
  visitText(view, "close", pointer, LIMITS.modalButton, visit, { plainOnly: true });
  visitField(view, "private_metadata", pointer, { kind: "chars", max: LIMITS.privateMetadata, cut: false }, visit);
  visitField(view, "callback_id", pointer, { kind: "chars", max: LIMITS.callbackId, cut: false }, visit);
  visitField(view, "external_id", pointer, { kind: "chars", max: LIMITS.externalId, cut: false }, visit);
  const blocks = view.blocks;
  visitList(view, "blocks", pointer, { kind: "items", min: 0, max: LIMITS.modalBlocks, cut: true }, visit, (block, at) => {
    visitBlock(block, at, "modal", visit);
  });
  if (view.type === "modal" && view.submit === undefined && Array.isArray(blocks)) {
    const input = blocks.findIndex((block) => isObject(block) && block.type === "input");
    if (input >= 0)
      visit({
        pointer: `${pointer}/blocks/${input}/input`,
        rule: { kind: "message", text: "must define `submit` to use an `input` block in modals" },
        value: blocks[input],
        replace: () => {},
      });
  }
}

/** What breaks its rule, in Slack's words, or null. */
function violation({ rule, value }: Constrained): string | null {
  switch (rule.kind) {
    case "chars":
      if (typeof value !== "string") return "expected a string";
      if (value.length > rule.max) return `must be less than ${rule.max + 1} characters`;
      if (rule.min && value.length < rule.min) return `must be more than ${rule.min - 1} characters`;
      return null;
    case "items":
      if (!Array.isArray(value)) return value === undefined ? `must provide at least ${rule.min ?? 1} items` : "expected an array";
      if (rule.max !== undefined && value.length > rule.max) return `no more than ${rule.max} items allowed`;
      if (rule.min && value.length < rule.min) return `must provide at least ${rule.min} items`;
      return null;
    case "number":
      if (typeof value !== "number" || !Number.isInteger(value)) return "expected an integer";
      if (value > rule.max) return `must be less than or equal to ${rule.max}`;
      if (value < rule.min) return `must be greater than or equal to ${rule.min}`;
      return null;
    case "required":
      return value === undefined ? `missing required field: ${rule.field}` : null;
    case "oneOf":
      return rule.allowed.includes(String(value)) ? null : `unsupported type: ${String(value)}`;
    case "message":
      return rule.text;
  }
}

function collectErrors(walk: (visit: Visit) => void): string[] {
  const errors: string[] = [];
  walk((constrained) => {
    const problem = violation(constrained);
    if (problem) errors.push(`${problem} [json-pointer:${constrained.pointer}]`);
  });
  return errors;
}

/** Everything in a message's blocks that Slack's Block Kit validation refuses, as Slack words it (none: []). */
export function messageBlockErrors(message: { blocks?: unknown }): string[] {
  return collectErrors((visit) => visitMessageBlocks(message as Obj, visit));
}

/** The same for a view (a modal); pointers start at /view, as in views.open's errors. */
export function viewErrors(view: unknown): string[] {
  if (!isObject(view)) return ["missing required field: view [json-pointer:/]"];
  return collectErrors((visit) => visitView(view, visit));
}

/** A message Slack would refuse as a whole: the error code a chat method answers with, or null. */
export function messageRefusal(message: {
  text?: unknown;
  blocks?: unknown;
  attachments?: unknown;
}): { error: string; errors?: string[] } | null {
  const hasBlocks = Array.isArray(message.blocks) && message.blocks.length > 0;
  const text = typeof message.text === "string" ? message.text : "";
  if (!text && !hasBlocks && !message.attachments) return { error: "no_text" };
  if (text.length > LIMITS.messageText) return { error: "msg_too_long" };
  const errors = messageBlockErrors(message);
  return errors.length ? { error: "invalid_blocks", errors } : null;
}

/** Where an inline code span left open at the end of `kept` begins (a cut there would set the tail as code), or -1. */
function openCodeSpan(kept: string): number {
  let open = -1;
  for (let i = 0; i < kept.length; i++) {
    if (kept.startsWith("```", i)) i += 2;
    else if (kept[i] === "`") open = open < 0 ? i : -1;
  }
  return open;
}

/**
 * Cuts `text` to at most `max` characters, ending with `tail` (an ellipsis, or a pointer to where
 * the whole text is). It cuts at a line or word break near the end when there is one, never inside
 * a Slack token (`<@U123>`, `<https://…|link>`), an HTML entity (`&amp;`), an inline code span or a
 * surrogate pair, and closes a code fence it leaves open, so what is shown still reads and renders as it was written.
 */
export function cutText(text: string, max: number, tail = "…"): string {
  if (text.length <= max) return text;
  const end = (reserve: number) => {
    let at = Math.max(0, max - tail.length - reserve);
    const floor = Math.floor(at * 0.8);
    const lineBreak = text.lastIndexOf("\n", at);
    const space = text.lastIndexOf(" ", at);
    if (lineBreak >= floor && lineBreak > 0) at = lineBreak;
    else if (space >= floor && space > 0) at = space;
    const open = text.lastIndexOf("<", at - 1);
    if (open >= 0 && text.lastIndexOf(">", at - 1) < open) at = open;
    const amp = text.lastIndexOf("&", at - 1);
    if (amp >= 0 && at - amp <= 8 && !text.slice(amp, at).includes(";")) at = amp;
    const span = openCodeSpan(text.slice(0, at));
    if (span >= 0) at = span;
    const code = text.charCodeAt(at - 1);
    if (code >= 0xd800 && code <= 0xdbff) at -= 1;
    return text.slice(0, at).trimEnd();
  };
  const opensFence = (kept: string) => (kept.match(/```/g)?.length ?? 0) % 2 === 1;
  let kept = end(0);
  if (opensFence(kept)) {
    kept = end(4);
    if (opensFence(kept)) kept = `${kept}\n\`\`\``;
  }
  return `${kept}${tail}`.slice(0, max);
}

const moreBlocks = (hidden: number) => ({
  type: "context",
  elements: [{ type: "mrkdwn", text: `…and ${hidden} more block${hidden === 1 ? "" : "s"} Slack cannot show in one message.` }],
});

/** Shortens one value that breaks its rule, when its rule allows; returns what it did, or null. */
function cutToRule(constrained: Constrained, surface: Surface): string | null {
  const { rule, value, pointer } = constrained;
  if (rule.kind === "chars" && rule.cut && typeof value === "string" && value.length > rule.max) {
    constrained.replace(cutText(value, rule.max));
    return `${pointer}: ${value.length} characters cut to ${rule.max}`;
  }
  if (rule.kind === "items" && rule.cut && Array.isArray(value) && rule.max !== undefined && value.length > rule.max) {
    const keepsNote = pointer.endsWith("/blocks") && (surface === "message" || pointer === "/view/blocks");
    constrained.replace(keepsNote ? [...value.slice(0, rule.max - 1), moreBlocks(value.length - rule.max + 1)] : value.slice(0, rule.max));
    return `${pointer}: ${value.length} items cut to ${rule.max}`;
  }
  return null;
}

/**
 * The last line: a copy of `payload` with every display text and list that breaks a limit cut to
 * fit, and what was cut (empty when nothing was). Values that carry meaning are left alone; what
 * breaks a rule there is a bug Slack will refuse, and the refusal is handled like any other.
 */
export function fitToLimits<T extends object>(payload: T): { payload: T; cuts: string[] } {
  const copy = structuredClone(payload) as Obj;
  const cuts: string[] = [];
  if (typeof copy.text === "string" && copy.text.length > LIMITS.messageText) {
    cuts.push(`/text: ${copy.text.length} characters cut to ${LIMITS.messageText}`);
    copy.text = cutText(copy.text, LIMITS.messageText);
  }
  const cut = (surface: Surface) => (constrained: Constrained) => {
    const done = cutToRule(constrained, surface);
    if (done) cuts.push(done);
  };
  visitMessageBlocks(copy, cut("message"));
  if (isObject(copy.view)) visitView(copy.view, cut("modal"));
  return { payload: cuts.length ? (copy as T) : payload, cuts };
}
