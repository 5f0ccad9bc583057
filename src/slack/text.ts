// Everything the bot sends to Slack passes here, whichever way it goes: a Web API client (the app's
// own, or the per-request one Bolt hands each listener) or a response_url. Two rules apply:
//  1. Text people typed is data: when the bot posts it again (an announcement, the header, a reply,
//     a reminder) it must not ping anyone it did not mean to. Slack sends `@channel` as `<!channel>`,
//     `@here` as `<!here>`, and a user group as `<!subteam^S123|@sre>`; re-posted as they are, the
//     bot would broadcast them. The bot never means to broadcast, so those tokens become plain words.
//     Person mentions (`<@U123>`) stay: the bot names people on purpose (who changed what, who owns
//     an item), and those mentions are its own.
//  2. Nothing is sent that breaks Slack's Block Kit limits: builders fit their content on purpose
//     (src/slack/fit.ts), and what one missed is cut here (fitToLimits, src/slack/limitCheck.ts) and
//     logged as LIMIT_CUT, so the message still arrives and the bug is seen.
import type { RespondFn } from "@slack/bolt";
import type { WebClient } from "@slack/web-api";
import type { Logger } from "../log.js";
import { fitToLimits } from "./limitCheck.js";

const BROADCAST = /<!(here|channel|everyone)(?:\|[^>]*)?>|<!subteam\^[A-Z0-9]+(?:\|([^>]*))?>/g;

/** The log message of a last-line cut: a builder sent something past Slack's limits (tests fail on it). */
export const LIMIT_CUT = "cut a message to fit Slack's limits; its builder should have fitted it";

/** `<!channel>` → `@channel`, `<!subteam^S1|@sre>` → `@sre`: shown, never notifying. */
export function withoutBroadcasts(text: string): string {
  if (!text.includes("<!")) return text;
  return text.replace(BROADCAST, (_match, special: string | undefined, groupLabel: string | undefined) =>
    special ? `@${special}` : groupLabel ? (groupLabel.startsWith("@") ? groupLabel : `@${groupLabel}`) : "@group",
  );
}

/** The same for every string in a message (text, blocks, attachments), whatever its shape. */
export function messageWithoutBroadcasts<T>(message: T): T {
  if (typeof message === "string") return withoutBroadcasts(message) as T;
  if (Array.isArray(message)) return message.map(messageWithoutBroadcasts) as T;
  if (message && typeof message === "object") {
    return Object.fromEntries(Object.entries(message).map(([key, value]) => [key, messageWithoutBroadcasts(value)])) as T;
  }
  return message;
}

/** A message (Web API arguments or a response_url body) as it may be sent: no broadcasts, within limits. */
export function outgoingMessage<T extends object>(message: T, logger: Logger, method: string): T {
  const { payload, cuts } = fitToLimits(messageWithoutBroadcasts(message));
  if (cuts.length) logger.warn({ method, cuts }, LIMIT_CUT);
  return payload;
}

/**
 * A modal as it may be sent: within limits. Broadcast tokens are left alone: a modal notifies
 * nobody, and an editor's initial value must be exactly the text being edited.
 */
function outgoingView<T extends object>(options: T, logger: Logger, method: string): T {
  const { payload, cuts } = fitToLimits(options);
  if (cuts.length) logger.warn({ method, cuts }, LIMIT_CUT);
  return payload;
}

const POSTING = ["postMessage", "postEphemeral", "update", "scheduleMessage"] as const;
const VIEWING = ["open", "update", "push", "publish"] as const;
const guarded = new WeakSet<WebClient>();

/**
 * Applies the rules to every message and view this client sends. WebClient binds each method at
 * construction, so the bound methods themselves are replaced, once per client.
 */
export function guardSlackClient(client: WebClient, logger: Logger): WebClient {
  if (guarded.has(client)) return client;
  guarded.add(client);
  const chat = client.chat as unknown as Record<string, (options: object) => Promise<unknown>>;
  for (const method of POSTING) {
    const send = chat[method]!;
    chat[method] = (options) => send(outgoingMessage(options, logger, `chat.${method}`));
  }
  const views = client.views as unknown as Record<string, (options: object) => Promise<unknown>>;
  for (const method of VIEWING) {
    const send = views[method]!;
    views[method] = (options) => send(outgoingView(options, logger, `views.${method}`));
  }
  return client;
}

/** `respond` (a response_url) with the same rules. */
export const guardRespond =
  (respond: RespondFn, logger: Logger): RespondFn =>
  (message) =>
    respond(outgoingMessage(typeof message === "string" ? { text: message } : message, logger, "response_url"));
