// Where a shortcut, or the modal it opened, answers. A message shortcut comes with a response_url:
// answers go there (in that conversation; privately, unless the answer is for everyone there, as
// a declaration is), and its modal carries that URL in private_metadata, since a modal has none of
// its own. A global shortcut has no conversation, and a response_url expires after 30 minutes:
// then the answer is a direct message from the bot.
import type { KnownBlock } from "@slack/types";
import type { UserId } from "../../incidents/model.js";
import type { ListenerContext } from "../context.js";
import type { Logger } from "../../log.js";
import { outgoingMessage } from "../text.js";
import type { Reply } from "./afterAck.js";

type Message = { text: string; blocks?: KnownBlock[] };

/** Posts to a response_url, with the bot's rules for what it sends applied (no broadcasts, within Slack's limits: ../text.ts). */
async function respondAt(
  responseUrl: string,
  message: Message & { response_type: "ephemeral" | "in_channel" },
  logger: Logger,
): Promise<void> {
  const response = await fetch(responseUrl, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(outgoingMessage({ replace_original: false, ...message }, logger, "response_url")),
  });
  if (!response.ok) throw new Error(`Slack answered ${response.status} to a response_url`);
}

/** Answers the person privately: at the response_url when there is one that works, else in a direct message. */
export function replyTo(ctx: ListenerContext, userId: UserId, responseUrl?: string): Reply {
  return async (message) => {
    if (responseUrl) {
      try {
        return await respondAt(responseUrl, { response_type: "ephemeral", ...message }, ctx.logger);
      } catch (error) {
        ctx.logger.warn({ err: error }, "a response_url failed (expired?); answering in a direct message");
      }
    }
    await ctx.client.chat.postMessage({ channel: userId, ...message, unfurl_links: false });
  };
}

/** For everyone in the shortcut's conversation (a declaration); null without one. */
export const announceAt = (responseUrl: string | undefined, logger: Logger): ((message: Message) => Promise<void>) | null =>
  responseUrl ? (message) => respondAt(responseUrl, { response_type: "in_channel", ...message }, logger) : null;
