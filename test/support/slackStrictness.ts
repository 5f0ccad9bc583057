// What Slack refuses in what the bot sends, answered as Slack answers it, for any fake to use (the
// Web API fake and its response_url endpoint use it; so can a test that checks a payload directly).
// The Block Kit rules are the ones src/slack/limits.ts cites from Slack's reference; the answers'
// shapes are Slack's:
//   chat.*  {"ok":false,"error":"invalid_blocks","errors":["must be less than 3001 characters
//           [json-pointer:/blocks/0/text/text]"],"response_metadata":{"messages":["[ERROR] must be ..."]}}
//   views.* {"ok":false,"error":"invalid_arguments","response_metadata":{"messages":["[ERROR] must be
//           less than 25 characters [json-pointer:/view/title/text]"]}}
//   and msg_too_long / no_text for a message's text (chat.postMessage's documented errors).
import { messageRefusal, viewErrors } from "../../src/slack/limitCheck.js";

export interface SlackRefusalAnswer {
  ok: false;
  error: string;
  errors?: string[];
  response_metadata?: { messages: string[] };
}

/** Methods whose arguments are a message (text, blocks), and those whose `view` is a modal. */
export const MESSAGE_METHODS = ["chat.postMessage", "chat.update", "chat.postEphemeral", "chat.scheduleMessage"] as const;
export const VIEW_METHODS = ["views.open", "views.update", "views.push", "views.publish"] as const;

const withMessages = (error: string, errors: string[]): SlackRefusalAnswer => ({
  ok: false,
  error,
  ...(error === "invalid_blocks" ? { errors } : {}),
  response_metadata: { messages: errors.map((line) => `[ERROR] ${line}`) },
});

/** Slack's answer to a message it refuses (a chat method's arguments, or a response_url body), or null when it takes it. */
export function refuseMessage(message: Record<string, unknown>): SlackRefusalAnswer | null {
  const refusal = messageRefusal(message);
  if (!refusal) return null;
  return refusal.errors ? withMessages(refusal.error, refusal.errors) : { ok: false, error: refusal.error };
}

/** Slack's answer to a views.* call whose view it refuses, or null. */
export function refuseView(view: unknown): SlackRefusalAnswer | null {
  const errors = viewErrors(view);
  return errors.length ? withMessages("invalid_arguments", errors) : null;
}

/** Slack's answer to `method` with these arguments when the payload itself breaks Block Kit's rules, or null. */
export function refusePayload(method: string, params: Record<string, unknown>): SlackRefusalAnswer | null {
  if ((MESSAGE_METHODS as readonly string[]).includes(method)) return refuseMessage(params);
  if ((VIEW_METHODS as readonly string[]).includes(method)) return refuseView(params.view);
  return null;
}

/** The largest things the bot sent in `calls`: blocks in one message, and a section's text. */
export function sentMaxima(calls: readonly { method: string; params: Record<string, unknown> }[]): {
  blocksPerMessage: number;
  sectionText: number;
  messages: number;
} {
  let blocksPerMessage = 0;
  let sectionText = 0;
  let messages = 0;
  const sections = (blocks: unknown) => {
    for (const block of Array.isArray(blocks) ? (blocks as { type?: string; text?: { text?: unknown } }[]) : []) {
      if (block.type === "section" && typeof block.text?.text === "string") sectionText = Math.max(sectionText, block.text.text.length);
    }
  };
  for (const { method, params } of calls) {
    if ((MESSAGE_METHODS as readonly string[]).includes(method) || method === "response_url") {
      messages++;
      if (Array.isArray(params.blocks)) blocksPerMessage = Math.max(blocksPerMessage, params.blocks.length);
      sections(params.blocks);
    } else if ((VIEW_METHODS as readonly string[]).includes(method)) {
      sections((params.view as { blocks?: unknown } | undefined)?.blocks);
    }
  }
  return { blocksPerMessage, sectionText, messages };
}
