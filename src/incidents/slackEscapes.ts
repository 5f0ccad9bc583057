// Slack's message format uses `&`, `<` and `>` as control characters, so text people type arrives
// with those three escaped as `&amp;`, `&lt;` and `&gt;`, and text the bot sends must escape them
// the same way (https://api.slack.com/reference/surfaces/formatting#escaping). Only those three:
// Slack does not escape anything else, so a full HTML entity decoder would turn a typed `&eacute;`
// (sent as `&amp;eacute;`) into the right text too, but would also decode what Slack never escaped.
// Text stored in Slack's format stays in it; text that leaves Slack for another format (the
// customer-facing updates and title) is decoded once, here, and each renderer escapes for its own.

const SLACK_ESCAPE = /&(amp|lt|gt);/g;
const DECODED: Record<string, string> = { amp: "&", lt: "<", gt: ">" };

/** Text as it was typed: Slack's three escapes decoded in one pass (so `&amp;lt;` is `&lt;`, not `<`). */
export const decodeSlackEscapes = (text: string): string =>
  text.includes("&") ? text.replace(SLACK_ESCAPE, (_match, name: string) => DECODED[name]!) : text;

/** Text for Slack: the three control characters escaped, so it shows as written and links nothing. */
export const escapeForSlack = (text: string): string => text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
