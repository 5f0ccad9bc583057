// Slack's Block Kit limits (./limits.ts) applied through the walker (./limitWalker.ts), two ways:
// `messageBlockErrors` and `viewErrors` say what Slack would refuse, in Slack's own words (the
// tests' fake Slack answers with them), and `fitToLimits` is the bot's last line of defence, which
// cuts whatever still breaks a limit before it is sent (src/slack/text.ts applies it to every
// message, modal and response_url answer). Builders do not rely on that last line: they fit their
// content on purpose, with a pointer to where the whole text is (src/slack/fit.ts), and a generic
// cut is logged as a bug (tests fail on it: test/support/testBot.ts).
import { type Constrained, isObject, type Obj, type Visit, visitMessageBlocks, visitView } from "./limitWalker.js";
import { LIMITS, type Surface } from "./limits.js";

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
  return collectErrors((visit) => visitMessageBlocks(message, visit));
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
    const kept: unknown[] = value.slice(0, keepsNote ? rule.max - 1 : rule.max);
    constrained.replace(keepsNote ? [...kept, moreBlocks(value.length - rule.max + 1)] : kept);
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
