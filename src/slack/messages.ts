// Slack's message shapes, turned into what the domain records. A message's words are not always in
// its `text`: a forwarded (shared) message arrives with the shared content in `attachments`, and a
// message may carry only rich_text blocks. What people said is recorded, whichever field holds it.
import type { AttachedFile } from "../incidents/model.js";
import type { CapturedMessage } from "../incidents/ports/incidentStore.js";
import { escapeForSlack } from "../incidents/slackEscapes.js";

interface SlackFile {
  name?: string;
  title?: string;
  permalink?: string;
}

/**
 * A legacy attachment. Slack puts a forwarded message here, flagged `is_share` (often also
 * `is_msg_unfurl`), with the original's text, author and channel; `text` of the message is then
 * empty, or holds the comment the forwarder added.
 */
export interface SlackAttachment {
  is_share?: boolean;
  is_msg_unfurl?: boolean;
  text?: string;
  fallback?: string;
  author_id?: string;
  author_name?: string;
  author_subname?: string;
  channel_id?: string;
  channel_name?: string;
  from_url?: string;
  ts?: string;
  files?: SlackFile[];
  /** An integration's attachment (an alert): what it says besides `text`. */
  pretext?: string;
  title?: string;
  fields?: { title?: string; value?: string }[];
}

/** A rich_text block element (https://docs.slack.dev/reference/block-kit/blocks/rich-text-block/), as far as we read it. */
interface RichTextElement {
  type: string;
  text?: string;
  url?: string;
  user_id?: string;
  channel_id?: string;
  usergroup_id?: string;
  range?: string;
  name?: string;
  style?: string;
  indent?: number;
  elements?: RichTextElement[];
}

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
  files?: SlackFile[];
  attachments?: SlackAttachment[];
  blocks?: RichTextElement[];
  edited?: { user?: string; ts: string };
  /** An app's or integration's message: the name it posts under. */
  username?: string;
  bot_profile?: { name?: string };
}

/** Subtypes that are a person saying something; everything else (joins, bots, topic changes) is not an entry. */
const PEOPLE_SUBTYPES = new Set([undefined, "thread_broadcast", "file_share", "me_message"]);

export function isFromAPerson(message: SlackMessage): boolean {
  return PEOPLE_SUBTYPES.has(message.subtype) && !message.bot_id && Boolean(message.user);
}

/**
 * What a thread parent becomes when it is deleted after it had replies: Slack keeps a placeholder
 * ("This message was deleted.", by USLACKBOT) and sends it as a message_changed, not a deletion.
 */
export const isTombstone = (message: SlackMessage | undefined): boolean => message?.subtype === "tombstone";

/** A label inside `<…|label>` cannot hold `|` or `>`. */
const label = (text: string) => text.replace(/[|<>]/g, " ").trim();

// Slack escapes `&`, `<`, `>` in a message's `text`; text taken from blocks or a shared message's
// author and channel names is raw, so it is escaped the same way (escapeForSlack).

/**
 * "Forwarded from #incidents (<@U1|dave>): the text". The author and channel are kept as Slack
 * mentions with their labels, so the report shows the current names (or the labels, when unknown).
 */
function sharedText(attachment: SlackAttachment): string | null {
  const body = (attachment.text || attachment.fallback || "").trim();
  if (!body) return null;
  const authorLabel = attachment.author_name || attachment.author_subname;
  const author = attachment.author_id
    ? `<@${attachment.author_id}${authorLabel ? `|${label(authorLabel)}` : ""}>`
    : authorLabel
      ? escapeForSlack(authorLabel)
      : null;
  const channel = attachment.channel_id
    ? `<#${attachment.channel_id}${attachment.channel_name ? `|${label(attachment.channel_name)}` : ""}>`
    : attachment.channel_name
      ? `#${escapeForSlack(attachment.channel_name)}`
      : null;
  const from = [channel, author && (channel ? `(${author})` : author)].filter(Boolean).join(" ");
  return `Forwarded${from ? ` from ${from}` : ""}: ${body}`;
}

function richTextInline(elements: RichTextElement[] = []): string {
  return elements
    .map((element) => {
      switch (element.type) {
        case "text":
          return escapeForSlack(element.text ?? "");
        case "link":
          return element.text ? `<${element.url}|${label(element.text)}>` : `<${element.url}>`;
        case "user":
          return `<@${element.user_id}>`;
        case "channel":
          return `<#${element.channel_id}>`;
        case "usergroup":
          return `<!subteam^${element.usergroup_id}>`;
        case "broadcast":
          return `<!${element.range}>`;
        case "emoji":
          return `:${element.name}:`;
        default:
          return element.text ? escapeForSlack(element.text) : "";
      }
    })
    .join("");
}

/** A rich_text block as the mrkdwn Slack would have put in `text`: code fenced, quotes and list items marked. */
function richTextBlock(block: RichTextElement): string {
  const parts = (block.elements ?? []).map((element) => {
    switch (element.type) {
      case "rich_text_preformatted":
        return `\`\`\`${richTextInline(element.elements)}\`\`\``;
      case "rich_text_quote":
        return richTextInline(element.elements)
          .split("\n")
          .map((line) => `&gt; ${line}`)
          .join("\n");
      case "rich_text_list":
        return (element.elements ?? [])
          .map(
            (item, index) =>
              `${"    ".repeat(element.indent ?? 0)}${element.style === "ordered" ? `${index + 1}.` : "•"} ${richTextInline(item.elements)}`,
          )
          .join("\n");
      default:
        return richTextInline(element.elements);
    }
  });
  return parts
    .join("\n")
    .replace(/\n{3,}/g, "\n\n")
    .trim();
}

/**
 * The message's words: its `text`, then what it forwards (each shared message on its own line);
 * only when neither has any, its rich_text blocks.
 */
export function messageText(message: SlackMessage): string {
  const own = (message.text ?? "").trim() ? (message.text as string) : "";
  const shared = (message.attachments ?? [])
    .filter((a) => a.is_share)
    .map(sharedText)
    .filter((t): t is string => t !== null);
  const text = [own, ...shared].filter(Boolean).join("\n");
  if (text) return text;
  return (message.blocks ?? [])
    .filter((block) => block.type === "rich_text")
    .map(richTextBlock)
    .filter(Boolean)
    .join("\n");
}

const toFile = (f: SlackFile) => ({ name: f.name ?? f.title ?? "file", ...(f.permalink ? { url: f.permalink } : {}) });

export function toCapturedMessage(message: SlackMessage): CapturedMessage {
  const sharedFiles = (message.attachments ?? []).filter((a) => a.is_share).flatMap((a) => a.files ?? []);
  return {
    ts: message.ts,
    // A thread parent carries thread_ts equal to its own ts; only replies point at another message.
    threadTs: message.thread_ts && message.thread_ts !== message.ts ? message.thread_ts : null,
    authorId: message.user ?? null,
    text: messageText(message),
    files: [...(message.files ?? []), ...sharedFiles].map(toFile),
    ...(message.edited ? { editedTs: message.edited.ts } : {}),
  };
}

/** An integration's attachment (an alert): its pretext, title, text and fields, else its fallback. */
function attachmentText(attachment: SlackAttachment): string | null {
  const fields = (attachment.fields ?? []).map((field) => [field.title, field.value].filter(Boolean).join(": ")).filter(Boolean);
  const parts = [attachment.pretext, attachment.title, attachment.text, ...fields].map((part) => part?.trim()).filter(Boolean);
  return parts.length ? parts.join("\n") : attachment.fallback?.trim() || null;
}

/**
 * A message picked with a shortcut, anywhere in Slack: its words as messageText reads them, and
 * also what an integration put in its attachments (alerts say everything there), with who wrote
 * it: a person's id, or the name an app posts under.
 */
export function messageForShortcut(message: SlackMessage): {
  text: string;
  authorId: string | null;
  authorName: string | null;
  threadTs: string | null;
  files: AttachedFile[];
} {
  const own = messageText(message);
  const integrations = (message.attachments ?? [])
    .filter((a) => !a.is_share)
    .map(attachmentText)
    .filter((t): t is string => t !== null);
  const captured = toCapturedMessage(message);
  return {
    text: [own, ...integrations].filter(Boolean).join("\n"),
    authorId: message.user && !message.bot_id ? message.user : null,
    authorName: message.user && !message.bot_id ? null : message.bot_profile?.name?.trim() || message.username?.trim() || "an app",
    threadTs: captured.threadTs,
    files: captured.files,
  };
}
