// A fake of Slack's Web API on 127.0.0.1. It speaks the wire format the real one does (form or
// JSON bodies in, `{ ok, ... }` out, 429 + retry-after when asked), records every call with its
// decoded params, and keeps just enough state to answer like Slack: channels, messages, users,
// channel history for backfill, response_url posts. It is as strict as Slack: a message, modal or
// response_url answer that breaks Block Kit's limits is refused with Slack's error and messages
// (./slackStrictness.ts), and so is a post to a channel the bot left (not_in_channel), an archived
// one (is_archived) or one that does not exist (channel_not_found); views.open takes a trigger
// once and only within Slack's 3 s (fakeSlackMembers.ts).
import { readFileSync } from "node:fs";
import type { IncomingMessage, ServerResponse } from "node:http";
import { FakeSlackMembers } from "./fakeSlackMembers.js";
import type { FakeSocketMode } from "./fakeSocketMode.js";
import { listen, readBody, sendJson } from "./http.js";
import { refuseMessage, refusePayload } from "./slackStrictness.js";
import { stringParam, WrongParamType } from "./wireParams.js";

export interface SlackCall {
  method: string;
  params: Record<string, unknown>;
  /** The error Slack answered with, when it refused the call. */
  error?: string;
}

export interface FakeUser {
  id: string;
  name: string;
  real_name?: string;
  /** The profile's display name; Slack sends "" when the person has not set one. Default: `name`. */
  display_name?: string;
}

/**
 * A failure to answer with: a 429 with Retry-After, or an error (with Slack's extra fields, such as
 * missing_scope's `needed` and `provided`).
 */
type Failure = { status: 429; retryAfter: number } | { error: string; needed?: string; provided?: string };

/** Methods that act on a channel, with the argument that names it. */
const CHANNEL_ARGUMENT: Record<string, string> = {
  "chat.postMessage": "channel",
  "chat.update": "channel",
  "chat.postEphemeral": "channel",
  "chat.scheduleMessage": "channel",
  "pins.add": "channel",
  "conversations.invite": "channel",
  "conversations.archive": "channel",
  "conversations.history": "channel",
  "conversations.replies": "channel",
  "files.completeUploadExternal": "channel_id",
  "chat.getPermalink": "channel",
};
/** Methods that read what a channel holds: an archived channel still answers them. */
const READING = new Set(["conversations.history", "conversations.replies", "chat.getPermalink"]);
/** Methods the bot may call on a channel it is not in (a public channel's message links; archiving one it left). */
const OUTSIDE = new Set(["conversations.archive", "chat.getPermalink"]);

/** What the app's manifest asks for: what a workspace that installed it grants. */
const MANIFEST_SCOPES = (
  JSON.parse(readFileSync(new URL("../../manifest.json", import.meta.url), "utf8")) as { oauth_config: { scopes: { bot: string[] } } }
).oauth_config.scopes.bot;

function decodeParams(raw: string, contentType: string | undefined): Record<string, unknown> {
  const entries: [string, unknown][] = contentType?.includes("application/json")
    ? Object.entries(raw ? (JSON.parse(raw) as Record<string, unknown>) : {})
    : [...new URLSearchParams(raw).entries()];
  // Slack clients JSON-encode structured fields (blocks, attachments) inside form bodies.
  return Object.fromEntries(
    entries.map(([k, v]) => {
      if (typeof v === "string" && /^[[{]/.test(v)) {
        try {
          return [k, JSON.parse(v)];
        } catch {
          return [k, v];
        }
      }
      return [k, v];
    }),
  );
}

export class FakeSlack {
  readonly calls: SlackCall[] = [];
  readonly users = new Map<string, FakeUser>();
  /** User group id -> member ids, for usergroups.users.list. */
  readonly usergroups = new Map<string, string[]>();
  /** Channel id -> messages a person posted (what conversations.history returns). */
  readonly history = new Map<string, Record<string, unknown>[]>();
  /**
   * Channels the bot is not a member of: as Slack does for a bot with chat:write (not
   * chat:write.public), posting there is refused with not_in_channel.
   */
  readonly channelsWithoutBot = new Set<string>();
  /** The bot token's scopes, sent as Slack sends them: the x-oauth-scopes header of every answer. */
  scopes: string[] = [...MANIFEST_SCOPES];
  /** Bot tokens Slack refuses, with its error (e.g. invalid_auth). */
  readonly refusedTokens = new Map<string, string>([["xoxb-revoked", "token_revoked"]]);
  /** Who is in which channel, message links, modals opened (fakeSlackMembers.ts). */
  readonly members = new FakeSlackMembers(this);
  /** Channels archived (conversations.archive, or archiveChannel): posting there is refused with is_archived. */
  readonly archivedChannels = new Set<string>();
  /** Channels deleted (deleteChannel): every call naming them is refused with channel_not_found. */
  readonly deletedChannels = new Set<string>();
  private readonly channels = new Map<string, string>(); // name -> id
  /** Channels that exist but the bot did not create (UPDATES_CHANNEL, say), by id with their names: see addChannel. */
  private readonly otherChannels = new Map<string, string>();
  /** Messages posted, by channel and ts, so chat.update and pins.add find them (message_not_found otherwise). */
  private readonly posted = new Set<string>();
  private readonly failures = new Map<string, Failure[]>();
  private seq = 0;
  private readonly tag = Math.random()
    .toString(36)
    .slice(2, 5)
    .toUpperCase()
    .replace(/[^A-Z0-9]/g, "X");
  url = "";
  /** Set to answer apps.connections.open (Socket Mode) with this fake's WebSocket URLs. */
  socketMode: FakeSocketMode | undefined;
  private closeServer: () => Promise<void> = async () => {};

  static async start(): Promise<FakeSlack> {
    const fake = new FakeSlack();
    const { url, close } = await listen((req, res) => void fake.handle(req, res));
    fake.url = url;
    fake.closeServer = close;
    for (const user of [
      { id: "UALICE", name: "alice", real_name: "Alice Adams" },
      { id: "UBOB", name: "bob", real_name: "Bob Brown" },
      { id: "UCAROL", name: "carol", real_name: "Carol Chen" },
      { id: "UDAVE", name: "dave", real_name: "Dave Diaz" },
    ])
      fake.users.set(user.id, user);
    return fake;
  }

  get apiUrl() {
    return `${this.url}/api/`;
  }

  responseUrl() {
    return `${this.url}/response/${++this.seq}`;
  }

  /** Make the next `times` calls of `method` fail this way. */
  failNext(method: string, failure: Failure, times = 1) {
    this.failures.set(method, [...(this.failures.get(method) ?? []), ...Array<Failure>(times).fill(failure)]);
  }

  /** Every call of `method`, taken or refused (see `error`). */
  callsTo(method: string) {
    return this.calls.filter((c) => c.method === method);
  }

  /** The calls of `method` Slack took. */
  accepted(method: string) {
    return this.callsTo(method).filter((c) => !c.error);
  }

  /** Every call Slack refused, with its error: a test that expects none checks this is empty. */
  refused() {
    return this.calls.filter((c) => c.error);
  }

  /**
   * Ephemeral answers the bot sent to commands, through their response_url or in their ack (see
   * answeredInAck), in the order the bot sent them.
   */
  responses() {
    return this.callsTo("response_url").map((c) => c.params);
  }

  /**
   * A command's ack, as Slack reads it: one that carries a message is shown as a message posted to
   * the response_url is, so it is recorded as one (`__inAck` tells them apart), and checked as
   * strictly. Whoever sent the command calls this with the ack. What the ack carries is the
   * command's first private reply, so it goes before any later one posted to that response_url since
   * `sentAt` (the number of calls when the command was sent): a later reply may reach this server
   * before the sender has read the ack. A message for the whole channel (a declaration) may come first.
   */
  async readAck(ack: Response, responseUrl: string, sentAt: number) {
    const text = ack.ok ? await ack.clone().text() : "";
    if (text) this.recordAck(text, responseUrl, sentAt);
  }

  /** readAck for an ack's body already read (`sentAt` as there; without it, the answer goes last). */
  recordAck(ackBody: string, responseUrl: string, sentAt = this.calls.length) {
    const body = JSON.parse(ackBody) as Record<string, unknown>;
    const path = new URL(responseUrl).pathname;
    const call: SlackCall = { method: "response_url", params: { ...body, __path: path, __inAck: true } };
    const refusal = refuseMessage(body);
    if (refusal) call.error = refusal.error;
    const later = this.calls.findIndex(
      (c, i) => i >= sentAt && c.method === "response_url" && c.params.__path === path && c.params.response_type !== "in_channel",
    );
    if (later === -1) this.calls.push(call);
    else this.calls.splice(later, 0, call);
  }

  channelIdByName(name: string) {
    return this.channels.get(name);
  }

  /**
   * A channel that exists in the workspace without the bot having created it: the bot is a member
   * (unless removeBot says otherwise), with these other members.
   */
  addChannel(id: string, name = id.toLowerCase(), members: string[] = []) {
    this.otherChannels.set(id, name);
    this.members.addChannel(id, members);
  }

  /** Someone archived the channel. */
  archiveChannel(id: string) {
    this.archivedChannels.add(id);
  }

  /** Someone deleted the channel: Slack then answers channel_not_found for it. */
  deleteChannel(id: string) {
    this.deletedChannels.add(id);
  }

  /** Someone removed the bot from the channel (`/remove @incident-bot`). */
  removeBot(id: string) {
    this.channelsWithoutBot.add(id);
  }

  nextTs() {
    const now = Date.now();
    return `${Math.floor(now / 1000)}.${String((now % 1000) * 1000 + (++this.seq % 1000)).padStart(6, "0")}`;
  }

  close() {
    return this.closeServer();
  }

  private async handle(req: IncomingMessage, res: ServerResponse) {
    const raw = await readBody(req);
    const params = decodeParams(raw, req.headers["content-type"]);
    const path = req.url ?? "";
    if (path.startsWith("/upload/")) {
      this.calls.push({ method: "file_upload", params: { path, body: raw } });
      return sendJson(res, 200, { ok: true });
    }
    if (path.startsWith("/response/")) {
      this.calls.push({ method: "response_url", params: { ...params, __path: path } });
      // Slack validates what is posted to a response_url as it validates chat.postMessage, and
      // answers a refusal with a 4xx (Bolt's respond() then rejects).
      const refusal = params.delete_original ? null : refuseMessage(params);
      if (refusal) this.calls.at(-1)!.error = refusal.error;
      return refusal ? sendJson(res, 400, refusal) : sendJson(res, 200, { ok: true });
    }
    const method = path.replace(/^\/api\//, "").split("?")[0] ?? "";
    const call: SlackCall = { method, params };
    this.calls.push(call);
    const failure = this.failures.get(method)?.shift();
    if (failure) {
      call.error = "status" in failure ? "ratelimited" : failure.error;
      if ("status" in failure)
        return sendJson(res, 429, { ok: false, error: "ratelimited" }, { "retry-after": String(failure.retryAfter) });
      return sendJson(res, 200, { ok: false, ...failure });
    }
    if (method === "apps.connections.open" && this.socketMode) {
      // Only an app-level token may open a Socket Mode connection.
      if (!req.headers.authorization?.startsWith("Bearer xapp-")) return sendJson(res, 200, { ok: false, error: "not_allowed_token_type" });
      return sendJson(res, 200, await this.socketMode.open({ url: `${this.url}${path}`, authorization: req.headers.authorization }));
    }
    if (!req.headers.authorization?.startsWith("Bearer xoxb-")) return sendJson(res, 200, { ok: false, error: "not_authed" });
    const refusedToken = this.refusedTokens.get(req.headers.authorization.slice("Bearer ".length));
    if (refusedToken) return sendJson(res, 200, { ok: false, error: refusedToken });
    const answer = this.answerOrRefuse(method, params);
    if (answer.ok === false) call.error = String(answer.error);
    sendJson(res, 200, answer, { "x-oauth-scopes": this.scopes.join(",") });
  }

  /** Slack's answer; a string argument given as another JSON type is refused with invalid_arguments, as Slack does. */
  private answerOrRefuse(method: string, params: Record<string, unknown>): Record<string, unknown> {
    try {
      return this.refusal(method, params) ?? this.answer(method, params);
    } catch (error) {
      if (!(error instanceof WrongParamType)) throw error;
      return {
        ok: false,
        error: "invalid_arguments",
        response_metadata: { messages: [`[ERROR] ${error.message} [json-pointer:/${error.param}]`] },
      };
    }
  }

  /** What Slack refuses before doing anything: the channel's state, the payload. */
  private refusal(method: string, p: Record<string, unknown>): Record<string, unknown> | null {
    const argument = CHANNEL_ARGUMENT[method];
    const channel = argument ? stringParam(p, argument) : undefined;
    if (channel !== undefined) {
      if (!this.channelExists(channel)) return { ok: false, error: "channel_not_found" };
      if (this.archivedChannels.has(channel) && !READING.has(method)) {
        return { ok: false, error: method === "conversations.archive" ? "already_archived" : "is_archived" };
      }
      if (this.channelsWithoutBot.has(channel) && !OUTSIDE.has(method)) return { ok: false, error: "not_in_channel" };
    }
    const refused = refusePayload(method, p);
    if (refused) return { ...refused };
    if ((method === "chat.update" || method === "pins.add") && !this.posted.has(`${channel}:${String(p.ts ?? p.timestamp)}`)) {
      return { ok: false, error: "message_not_found" };
    }
    return null;
  }

  /**
   * Channels the fake made, was told of (addChannel), holds messages of (history), or a person (a
   * user id opens the bot's direct message with them).
   */
  private channelExists(id: string) {
    if (this.deletedChannels.has(id)) return false;
    if (/^[UW]/.test(id)) return this.users.has(id);
    return this.otherChannels.has(id) || this.history.has(id) || [...this.channels.values()].includes(id);
  }

  private answer(method: string, p: Record<string, unknown>): Record<string, unknown> {
    const answered = this.members.answer(method, p);
    if (answered) return answered;
    switch (method) {
      case "auth.test":
        return {
          ok: true,
          url: "https://acme.slack.com/",
          team: "Acme",
          user: "incident-bot",
          team_id: "T0ACME",
          user_id: "UBOT",
          bot_id: "BBOT",
        };
      case "conversations.create": {
        const name = String(p.name);
        // Slack's channel names: at most 80 characters, lowercase letters, digits, hyphens and underscores.
        if (name.length > 80) return { ok: false, error: "invalid_name_maxlength" };
        if (!/^[a-z0-9_-]+$/.test(name)) return { ok: false, error: "invalid_name_specials" };
        if (this.channels.has(name)) return { ok: false, error: "name_taken" };
        // Slack never reuses an id; a tag per fake keeps two fakes (or a restarted one) apart too.
        const id = `C${this.tag}${String(++this.seq).padStart(6, "0")}`;
        this.channels.set(name, id);
        const isPrivate = p.is_private === true || p.is_private === "true";
        this.members.addChannel(id, [], { private: isPrivate });
        return { ok: true, channel: { id, name, is_channel: true, is_private: isPrivate, created: Math.floor(Date.now() / 1000) } };
      }
      case "conversations.info": {
        // As Slack: channels:read for a public channel; is_member says whether the bot is in it.
        if (!this.scopes.includes("channels:read"))
          return {
            ok: false,
            error: "missing_scope",
            needed: "channels:read,groups:read,mpim:read,im:read",
            provided: this.scopes.join(","),
          };
        const id = String(p.channel);
        const name = this.otherChannels.get(id) ?? [...this.channels].find(([, cid]) => cid === id)?.[0];
        if (!name || this.deletedChannels.has(id)) return { ok: false, error: "channel_not_found" };
        return {
          ok: true,
          channel: { id, name, is_channel: true, is_archived: this.archivedChannels.has(id), is_member: !this.channelsWithoutBot.has(id) },
        };
      }
      case "conversations.archive":
        this.archivedChannels.add(String(p.channel));
        return { ok: true }; // as in Slack, the archived channel keeps its name
      case "chat.postMessage": {
        const ts = this.nextTs();
        this.posted.add(`${String(p.channel)}:${ts}`);
        return { ok: true, channel: p.channel, ts, message: { text: p.text } };
      }
      case "chat.update":
        return { ok: true, channel: p.channel, ts: p.ts };
      case "chat.postEphemeral":
        return { ok: true, message_ts: this.nextTs() };
      case "views.push":
        return { ok: true, view: { id: `V${++this.seq}`, ...(p.view as Record<string, unknown>) } };
      case "pins.add":
      case "views.update":
      case "views.publish":
        return { ok: true };
      case "users.info": {
        const user = this.users.get(String(p.user));
        if (!user) return { ok: false, error: "user_not_found" };
        const { display_name, ...fields } = user;
        return {
          ok: true,
          user: { ...fields, deleted: false, profile: { display_name: display_name ?? user.name, real_name: user.real_name } },
        };
      }
      case "usergroups.users.list": {
        // As Slack answers: the members' ids, or no_such_subteam.
        const members = this.usergroups.get(String(p.usergroup));
        return members ? { ok: true, users: members } : { ok: false, error: "no_such_subteam" };
      }
      case "users.list":
        return {
          ok: true,
          members: [...this.users.values()].map((u) => ({
            ...u,
            deleted: false,
            profile: { display_name: u.name, real_name: u.real_name },
          })),
          response_metadata: { next_cursor: "" },
        };
      case "conversations.history": {
        const oldest = stringParam(p, "oldest") ?? "";
        const all = (this.history.get(String(p.channel)) ?? [])
          .filter((m) => !m.thread_ts || m.thread_ts === m.ts)
          .filter((m) => String(m.ts) > oldest)
          .sort((a, b) => (String(a.ts) < String(b.ts) ? 1 : -1));
        return this.page(all, "messages", p);
      }
      case "conversations.replies": {
        const ts = String(p.ts);
        const thread = (this.history.get(String(p.channel)) ?? [])
          .filter((m) => m.ts === ts || m.thread_ts === ts)
          .sort((a, b) => (String(a.ts) < String(b.ts) ? -1 : 1));
        return this.page(thread, "messages", p);
      }
      case "files.getUploadURLExternal":
        return { ok: true, upload_url: `${this.url}/upload/${++this.seq}`, file_id: `F${this.seq}` };
      case "files.completeUploadExternal":
        return { ok: true, files: [{ id: "F1", title: "report" }] };
      default:
        return { ok: false, error: "unknown_method" };
    }
  }

  /** Cursor paging the way Slack does it: `limit` items a page, `response_metadata.next_cursor`. */
  private page(items: Record<string, unknown>[], key: string, p: Record<string, unknown>) {
    const limit = Number(p.limit ?? 100);
    const cursor = stringParam(p, "cursor");
    const start = cursor ? Number(Buffer.from(cursor, "base64").toString()) : 0;
    const next = start + limit < items.length ? Buffer.from(String(start + limit)).toString("base64") : "";
    return { ok: true, [key]: items.slice(start, start + limit), has_more: Boolean(next), response_metadata: { next_cursor: next } };
  }
}
