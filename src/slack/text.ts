// Text people typed is data: when the bot posts it again (an announcement, the header, a reply, a
// reminder) it must not ping anyone it did not mean to. Slack sends `@channel` as `<!channel>`,
// `@here` as `<!here>`, and a user group as `<!subteam^S123|@sre>`; re-posted as they are, the bot
// would broadcast them. The bot never means to broadcast, so every message it sends goes through
// here and those tokens become plain words. Person mentions (`<@U123>`) stay: the bot names people
// on purpose (who changed what, who owns an item), and those mentions are its own.
import type { WebClient } from "@slack/web-api";

const BROADCAST = /<!(here|channel|everyone)(?:\|[^>]*)?>|<!subteam\^[A-Z0-9]+(?:\|([^>]*))?>/g;

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

/**
 * Makes every message this client posts broadcast-free: the chat methods that post or change a
 * message the channel sees are wrapped once here (WebClient binds each method at construction, so
 * the methods themselves are what the bot's calls go through).
 */
export function guardPostedMessages(client: WebClient): WebClient {
  const chat = client.chat as unknown as Record<string, (options: unknown) => Promise<unknown>>;
  for (const method of ["postMessage", "postEphemeral", "update", "scheduleMessage"]) {
    const send = chat[method]!;
    chat[method] = (options) => send(messageWithoutBroadcasts(options));
  }
  return client;
}
