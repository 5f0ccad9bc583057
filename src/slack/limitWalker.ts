// The one walker that knows where each of Slack's Block Kit limits (./limits.ts) applies: it visits
// every constrained value of a message's blocks or a view, with its rule and a way to replace it.
// ./limitCheck.ts uses it both to say what Slack would refuse and to cut what still breaks a limit.
import { LIMITS, type Surface } from "./limits.js";

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
export interface Constrained {
  pointer: string;
  rule: Rule;
  value: unknown;
  replace(value: unknown): void;
}

export type Visit = (constrained: Constrained) => void;
export type Obj = Record<string, unknown>;

export const isObject = (value: unknown): value is Obj => typeof value === "object" && value !== null && !Array.isArray(value);

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
export function visitMessageBlocks(message: Obj, visit: Visit) {
  visitList(message, "blocks", "", { kind: "items", max: LIMITS.messageBlocks, cut: true }, visit, (block, at) =>
    visitBlock(block, at, "message", visit),
  );
}

export function visitView(view: Obj, visit: Visit, pointer = "/view") {
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
