// The part of the fake Slack Web API that knows who is in which channel and which messages exist,
// for assembling a response: conversations.invite refuses as Slack does (already_in_channel,
// cant_invite_self, user_not_found, not_in_channel, channel_not_found; with `force`, the others
// are invited and the refused listed in `errors`), chat.getPermalink links only messages it has in
// channels the bot can see (channel_not_found, message_not_found), chat.update finds no message
// that was deleted, and views.open takes a trigger id once and only while fresh (Slack allows 3 s).
// Private channels as Slack keeps them: creating one, inviting into it or archiving it needs
// groups:write, reading its history groups:history, its members (conversations.members, paged)
// groups:read (a public channel's: channels:read), each refused with missing_scope, `needed` and
// `provided` as Slack answers; a private channel the bot is not in is channel_not_found.
// Kept apart from fakeSlack.ts, which asks it first.
import { stringParam } from "./wireParams.js";

export const BOT_USER_ID = "UBOT";
const TEAM_URL = "https://acme.slack.com";
/** Slack's trigger ids expire after 3 s; the tests' ids start with the time they were made (ms). */
const TRIGGER_TTL_MS = 3_000;

type Answer = Record<string, unknown>;

interface Owner {
  users: Map<string, unknown>;
  history: Map<string, Record<string, unknown>[]>;
  channelsWithoutBot: Set<string>;
  /** The token's scopes, as granted. */
  scopes: string[];
}

export interface OpenedView {
  id: string;
  hash: string;
  trigger_id: string;
  view: Record<string, unknown>;
}

export class FakeSlackMembers {
  /** Channel id -> its members (the bot is a member of every channel it creates). */
  readonly members = new Map<string, Set<string>>();
  /** Channels (private ones, direct messages) the bot cannot see: chat.getPermalink answers channel_not_found. */
  readonly hiddenChannels = new Set<string>();
  /** Users Slack will not let the bot invite (guests): user_is_restricted. */
  readonly restrictedUsers = new Set<string>();
  /** Messages someone deleted (`channel ts`): chat.update answers message_not_found. */
  readonly deletedMessages = new Set<string>();
  /** Every modal the bot opened, in order. */
  readonly openedViews: OpenedView[] = [];
  /** Channels created private (conversations.create with is_private). */
  readonly privateChannels = new Set<string>();
  private readonly usedTriggers = new Set<string>();
  private views = 0;

  constructor(private readonly owner: Owner) {}

  /** A channel the bot created (or was added to), with these members besides the bot. */
  addChannel(id: string, members: string[] = [], options: { private?: boolean } = {}) {
    this.members.set(id, new Set([BOT_USER_ID, ...members]));
    if (options.private) this.privateChannels.add(id);
  }

  /** Slack's refusal of a call the token lacks a scope for. */
  private missingScope(needed: string): Answer | undefined {
    if (this.owner.scopes.includes(needed)) return undefined;
    return { ok: false, error: "missing_scope", needed, provided: this.owner.scopes.join(",") };
  }

  /** The scope a call on this channel needs: the private channel's, or the public one's. */
  private scopeFor(channel: string, kind: "write" | "history" | "read"): string {
    const isPrivate = this.privateChannels.has(channel);
    if (kind === "write") return isPrivate ? "groups:write" : "channels:manage";
    return `${isPrivate ? "groups" : "channels"}:${kind}`;
  }

  /** The answer for the methods this part fakes; undefined for the others. */
  answer(method: string, p: Record<string, unknown>): Answer | undefined {
    const channel = stringParam(p, "channel") ?? "";
    switch (method) {
      case "conversations.create":
        return this.missingScope(p.is_private === true || p.is_private === "true" ? "groups:write" : "channels:manage");
      case "conversations.archive":
        return this.missingScope(this.scopeFor(channel, "write"));
      case "conversations.history":
      case "conversations.replies":
        return this.missingScope(this.scopeFor(channel, "history"));
      case "conversations.members":
        return this.missingScope(this.scopeFor(channel, "read")) ?? this.channelMembers(channel, p);
      case "conversations.invite":
        if (this.members.has(channel)) {
          const refused = this.missingScope(this.scopeFor(channel, "write"));
          if (refused) return refused;
        }
        return this.invite(
          String(p.channel),
          (stringParam(p, "users") ?? "").split(",").filter(Boolean),
          p.force === true || p.force === "true",
        );
      case "chat.getPermalink":
        return this.permalink(String(p.channel), String(p.message_ts));
      case "views.open":
        return this.openView(p);
      case "chat.delete":
        this.deletedMessages.add(`${String(p.channel)} ${String(p.ts)}`);
        return { ok: true, channel: p.channel, ts: p.ts };
      case "chat.update":
        return this.deletedMessages.has(`${String(p.channel)} ${String(p.ts)}`) ? { ok: false, error: "message_not_found" } : undefined;
      default:
        return undefined;
    }
  }

  private invite(channel: string, users: string[], force: boolean): Answer {
    const members = this.members.get(channel);
    if (!members) return { ok: false, error: "channel_not_found" };
    if (this.owner.channelsWithoutBot.has(channel) || !members.has(BOT_USER_ID)) return { ok: false, error: "not_in_channel" };
    if (users.length === 0) return { ok: false, error: "no_user" };
    const errors: { user: string; ok: false; error: string }[] = [];
    const valid: string[] = [];
    for (const user of users) {
      const error =
        user === BOT_USER_ID
          ? "cant_invite_self"
          : !this.owner.users.has(user)
            ? "user_not_found"
            : this.restrictedUsers.has(user)
              ? "user_is_restricted"
              : members.has(user)
                ? "already_in_channel"
                : null;
      if (error) errors.push({ user, ok: false, error });
      else valid.push(user);
    }
    // Without force one refusal keeps everyone out; with it the others are invited.
    if (errors.length === 0 || force) for (const user of valid) members.add(user);
    if (errors.length === 0) return { ok: true, channel: { id: channel, is_member: true } };
    return { ok: false, error: errors[0]!.error, ...(users.length > 1 ? { errors } : {}) };
  }

  /** conversations.members: the ids, `limit` a page with Slack's cursor; a private channel the bot is not in does not exist for it. */
  private channelMembers(channel: string, p: Record<string, unknown>): Answer {
    const members = this.members.get(channel);
    if (!members || (this.privateChannels.has(channel) && !members.has(BOT_USER_ID))) return { ok: false, error: "channel_not_found" };
    const all = [...members];
    const limit = Number(p.limit ?? 100);
    const cursor = stringParam(p, "cursor");
    const start = cursor ? Number(Buffer.from(cursor, "base64").toString()) : 0;
    const next = start + limit < all.length ? Buffer.from(String(start + limit)).toString("base64") : "";
    return { ok: true, members: all.slice(start, start + limit), response_metadata: { next_cursor: next } };
  }

  private permalink(channel: string, ts: string): Answer {
    if (this.hiddenChannels.has(channel)) return { ok: false, error: "channel_not_found" };
    const messages = this.owner.history.get(channel);
    if (!messages && !this.members.has(channel)) return { ok: false, error: "channel_not_found" };
    const message = messages?.find((m) => m.ts === ts);
    if (!message) return { ok: false, error: "message_not_found" };
    const threadTs = typeof message.thread_ts === "string" && message.thread_ts !== ts ? message.thread_ts : null;
    const link = `${TEAM_URL}/archives/${channel}/p${ts.replace(".", "")}`;
    return { ok: true, channel, permalink: threadTs ? `${link}?thread_ts=${threadTs}&cid=${channel}` : link };
  }

  private openView(p: Record<string, unknown>): Answer {
    const trigger = typeof p.trigger_id === "string" ? p.trigger_id : "";
    if (!trigger) return { ok: false, error: "invalid_arguments" };
    if (this.usedTriggers.has(trigger)) return { ok: false, error: "exchanged_trigger_id" };
    const madeAt = /^(\d{13})\./.exec(trigger)?.[1];
    if (madeAt && Date.now() - Number(madeAt) > TRIGGER_TTL_MS) return { ok: false, error: "expired_trigger_id" };
    this.usedTriggers.add(trigger);
    const view = (typeof p.view === "object" && p.view ? p.view : {}) as Record<string, unknown>;
    const opened = { id: `VFAKE${String(++this.views).padStart(5, "0")}`, hash: `${Date.now()}.${this.views}`, trigger_id: trigger, view };
    this.openedViews.push(opened);
    return { ok: true, view: { ...view, id: opened.id, hash: opened.hash } };
  }
}
