// When Slack refuses because of the channel, the app's permissions or a workspace rule, the person
// hears the truth, privately: what is recorded, what Slack refused, and what to do; the operator's
// log says the same in one warn line, without a stack trace. This module reads Slack's error codes
// into the domain's typed fact (ChannelRefusal, src/incidents/errors.ts) and words that fact.
// Slack's codes: chat.postMessage and friends answer not_in_channel, is_archived, channel_not_found
// and restricted_action*; any method answers missing_scope with `needed` and `provided`
// (https://docs.slack.dev/reference/methods/chat.postMessage, .../pins.add, ...).
import type { WebClient } from "@slack/web-api";
import { ChannelRefusedError, type ChannelRefusal } from "../incidents/errors.js";
import type { Undelivered } from "../incidents/showing.js";
import type { Logger } from "../log.js";
import { inviteRefusal, mention } from "./notices.js";

/** A failed Web API call's answer: Slack's error code and, for some codes, more. */
interface SlackErrorData {
  error?: string;
  needed?: string;
  provided?: string;
  response_metadata?: { messages?: string[] };
  errors?: string[];
}

const dataOf = (error: unknown): SlackErrorData | undefined => {
  const data = (error as { data?: SlackErrorData } | undefined)?.data;
  return data && typeof data === "object" ? data : undefined;
};

/** The Slack error code of a failed Web API call, if that is what `error` is. */
export function slackErrorCode(error: unknown): string | undefined {
  const code = dataOf(error)?.error;
  return typeof code === "string" ? code : undefined;
}

const CONTENT_ERRORS = new Set([
  "invalid_blocks",
  "invalid_blocks_format",
  "invalid_arguments",
  "msg_too_long",
  "msg_blocks_too_long",
  "no_text",
  "view_too_large",
]);
const list = (scopes: string | undefined) =>
  scopes
    ? scopes
        .split(",")
        .map((s) => s.trim())
        .filter(Boolean)
    : [];

/** The refusal `error` is, for a call of `method` on `channelId`; undefined when it is something else (Slack down, a bug). */
export function refusalOf(error: unknown, call: { method: string; channelId?: string }): ChannelRefusal | undefined {
  if (error instanceof ChannelRefusedError) return error.refusal;
  const data = dataOf(error);
  const code = data?.error;
  if (!code) return undefined;
  const { method, channelId } = call;
  if (channelId && (code === "not_in_channel" || code === "is_archived" || code === "channel_not_found")) return { code, channelId };
  if (code === "missing_scope") return { code, method, needed: list(data.needed), provided: list(data.provided) };
  if (code.startsWith("restricted_action")) return { code: "restricted_action", method, ...(channelId ? { channelId } : {}) };
  if (CONTENT_ERRORS.has(code))
    return { code: "content_refused", method, error: code, messages: data.response_metadata?.messages ?? data.errors ?? [] };
  return undefined;
}

/** Runs a Web API call; a refusal rejects as ChannelRefusedError, anything else as it was. */
export async function refusing<T>(call: { method: string; channelId?: string }, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    const refusal = refusalOf(error, call);
    throw refusal ? new ChannelRefusedError(refusal) : error;
  }
}

const names = new WeakMap<WebClient, Promise<string>>();
/** The bot's user name (auth.test, asked once), for "/invite @incident-bot". */
export function botName(client: WebClient): Promise<string> {
  let name = names.get(client);
  if (!name) {
    name = client.auth.test().then(
      (answer) => (typeof answer.user === "string" && answer.user ? answer.user : "incident-bot"),
      () => "incident-bot",
    );
    names.set(client, name);
  }
  return name;
}

const channel = (id: string) => `<#${id}>`;
const code = (text: string) => `\`${text}\``;

/** Why Slack refused, and what the person (or an admin) does about it. */
export function refusalReason(refusal: ChannelRefusal, bot: string): string {
  switch (refusal.code) {
    case "not_in_channel":
      return (
        `the bot is not a member of ${channel(refusal.channelId)} (removed, or never invited). ` +
        `Invite it with ${code(`/invite @${bot}`)} in that channel.`
      );
    case "is_archived":
      return `${channel(refusal.channelId)} is archived. Unarchive it (channel settings → Unarchive channel) to keep working there.`;
    case "channel_not_found":
      return (
        `Slack has no channel ${code(refusal.channelId)} any more (it was deleted, or the bot cannot see it). ` +
        `Nothing recorded is lost: ${code("incident-bot report <number>")} prints the whole record.`
      );
    case "missing_scope": {
      const needed = refusal.needed.length ? refusal.needed.map(code).join(" or ") : "a permission";
      return (
        `the Slack app lacks the ${needed} permission (scope) that ${code(refusal.method)} needs. ` +
        `A workspace admin must add it to the app (OAuth & Permissions, or ${code("manifest.json")}) and reinstall the app.`
      );
    }
    case "restricted_action": {
      const where = refusal.channelId ? ` in ${channel(refusal.channelId)}` : "";
      return (
        `a workspace setting does not let the app do that${where} (${code(refusal.method)}: restricted_action). ` +
        "A workspace admin can allow it (for example, who may post in the channel)."
      );
    }
    case "content_refused":
      return `Slack refused what the bot built (${code(refusal.error)}). That is a bug in the bot, logged for its operators.`;
    case "invite_refused":
      return `${mention(refusal.userId)}: ${inviteRefusal(refusal.reason)}. Add them to ${channel(refusal.channelId)} yourself if Slack lets you.`;
  }
}

const SHOWN: Record<Undelivered["what"], string> = {
  header: "show the pinned summary",
  pin: "pin the incident's summary",
  notice: "post the note about it",
  invite: "add the new role holder to the channel",
  resolution_summary: "post the resolution summary",
  report: "post the report",
  report_file: "attach the report's Markdown file",
  announcement: "post the incident's announcement",
};

/** What follows by itself once the cause is fixed (the bot tries again with the incident's next change). */
const CATCHES_UP: Partial<Record<Undelivered["what"], string>> = {
  header: "the pinned summary catches up with the incident's next change.",
  announcement: "the announcement follows with the incident's next change.",
};

const failedCode = (item: Undelivered) =>
  slackErrorCode(item.cause) ?? (item.reason.code === "failed" ? item.reason.error : item.reason.code);

/** One undelivered item, in a sentence: the record stands, what Slack did not show, why, and what to do. */
function describe(item: Undelivered, bot: string): string {
  if (item.notice === "stakeholder_update_elsewhere") {
    const why =
      item.reason.code === "not_in_channel"
        ? `Invite the bot there (${code(`/invite @${bot}`)}) so later updates reach it`
        : item.reason.code === "failed"
          ? `Slack answered ${code(failedCode(item))}`
          : refusalReason(item.reason, bot).replace(/\.$/, "");
    return (
      `Your update is in this channel and in the timeline, but Slack refused it in ${channel(item.channelId)}. ` +
      `${why}; paste this one there yourself (posting it again would record it twice).`
    );
  }
  const catchesUp = CATCHES_UP[item.what];
  if (item.reason.code === "failed") {
    return `Slack did not ${SHOWN[item.what]} just now (${code(failedCode(item))}); ${catchesUp ?? "it is logged for the bot's operators."}`;
  }
  const later = catchesUp ? ` ${catchesUp.charAt(0).toUpperCase()}${catchesUp.slice(1)}` : "";
  return `Recorded, but Slack refused to ${SHOWN[item.what]}: ${refusalReason(item.reason, bot)}${later}`;
}

/** What a request could not show, for the person: one line each, same causes said once. */
export function undeliveredText(items: readonly Undelivered[], bot: string): string {
  const lines = items.map((item) => describe(item, bot));
  return [...new Set(lines)].join("\n");
}

/** The operator's line for each undelivered item: warn, the same words, and the fields to search by; no stack trace for a refusal. */
export function logUndelivered(logger: Logger, items: readonly Undelivered[], bot: string): void {
  for (const item of items) {
    const fields = {
      incident: item.incidentNumber,
      channel: item.channelId,
      showing: item.what,
      notice: item.notice,
      slackError: failedCode(item),
    };
    if (item.reason.code === "failed") logger.warn({ ...fields, err: item.cause }, describe(item, bot));
    else if (item.reason.code === "missing_scope")
      logger.warn({ ...fields, needed: item.reason.needed, provided: item.reason.provided }, describe(item, bot));
    else if (item.reason.code === "content_refused") logger.error({ ...fields, messages: item.reason.messages }, describe(item, bot));
    else logger.warn(fields, describe(item, bot));
  }
}
