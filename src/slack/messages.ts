// Slack's message shapes, turned into what the domain records.
import type { CapturedMessage } from "../incidents/ports.js";

/** The fields of a Slack message (event or history item) that we read. */
export interface SlackMessage {
  type?: string;
  subtype?: string;
  ts: string;
  thread_ts?: string;
  user?: string;
  bot_id?: string;
  text?: string;
  reply_count?: number;
  files?: { name?: string; title?: string; permalink?: string }[];
  edited?: { user?: string; ts: string };
}

/** Subtypes that are a person saying something; everything else (joins, bots, topic changes) is not an entry. */
const PEOPLE_SUBTYPES = new Set([undefined, "thread_broadcast", "file_share", "me_message"]);

export function isFromAPerson(message: SlackMessage): boolean {
  return PEOPLE_SUBTYPES.has(message.subtype) && !message.bot_id && Boolean(message.user);
}

export function toCapturedMessage(message: SlackMessage): CapturedMessage {
  return {
    ts: message.ts,
    // A thread parent carries thread_ts equal to its own ts; only replies point at another message.
    threadTs: message.thread_ts && message.thread_ts !== message.ts ? message.thread_ts : null,
    authorId: message.user ?? null,
    text: message.text ?? "",
    files: (message.files ?? []).map((f) => ({ name: f.name ?? f.title ?? "file", ...(f.permalink ? { url: f.permalink } : {}) })),
    ...(message.edited ? { editedTs: message.edited.ts } : {}),
  };
}
