// A fake of Slack's Web API on 127.0.0.1. It speaks the wire format the real one does (form or
// JSON bodies in, `{ ok, ... }` out, 429 + retry-after when asked), records every call with its
// decoded params, and keeps just enough state to answer like Slack: channels, messages, users,
// channel history for backfill, response_url posts.
import { readFileSync } from "node:fs";
import type { IncomingMessage, ServerResponse } from "node:http";
import { FakeSlackMembers } from "./fakeSlackMembers.js";
import type { FakeSocketMode } from "./fakeSocketMode.js";
import { listen, readBody, sendJson } from "./http.js";

export interface SlackCall {
  method: string;
  params: Record<string, unknown>;
}

export interface FakeUser {
  id: string;
  name: string;
  real_name?: string;
  /** The profile's display name; Slack sends "" when the person has not set one. Default: `name`. */
  display_name?: string;
}

type Failure = { status: 429; retryAfter: number } | { error: string };

/** What the app's manifest asks for: what a workspace that installed it grants. */
const MANIFEST_SCOPES = (JSON.parse(readFileSync(new URL("../../manifest.json", import.meta.url), "utf8")) as { oauth_config: { scopes: { bot: string[] } } }).oauth_config.scopes.bot;

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
  /** Channels that exist beyond those the bot created, by id (what conversations.info finds). */
  readonly existingChannels = new Map<string, string>();
  /** Who is in which channel, message links, modals opened (fakeSlackMembers.ts). */
  readonly members = new FakeSlackMembers(this);
  private readonly channels = new Map<string, string>(); // name -> id
  private readonly failures = new Map<string, Failure[]>();
  private seq = 0;
  private readonly tag = Math.random().toString(36).slice(2, 5).toUpperCase().replace(/[^A-Z0-9]/g, "X");
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
    ]) fake.users.set(user.id, user);
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

  callsTo(method: string) {
    return this.calls.filter((c) => c.method === method);
  }

  /** Ephemeral answers the bot sent to commands through their response_url. */
  responses() {
    return this.callsTo("response_url").map((c) => c.params);
  }

  channelIdByName(name: string) {
    return this.channels.get(name);
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
      return sendJson(res, 200, { ok: true });
    }
    const method = path.replace(/^\/api\//, "").split("?")[0] ?? "";
    this.calls.push({ method, params });
    const failure = this.failures.get(method)?.shift();
    if (failure) {
      if ("status" in failure) return sendJson(res, 429, { ok: false, error: "ratelimited" }, { "retry-after": String(failure.retryAfter) });
      return sendJson(res, 200, { ok: false, error: failure.error });
    }
    if (method === "apps.connections.open" && this.socketMode) {
      // Only an app-level token may open a Socket Mode connection.
      if (!req.headers.authorization?.startsWith("Bearer xapp-")) return sendJson(res, 200, { ok: false, error: "not_allowed_token_type" });
      return sendJson(res, 200, await this.socketMode.open({ url: `${this.url}${path}`, authorization: req.headers.authorization }));
    }
    if (!req.headers.authorization?.startsWith("Bearer xoxb-")) return sendJson(res, 200, { ok: false, error: "not_authed" });
    const refused = this.refusedTokens.get(req.headers.authorization.slice("Bearer ".length));
    if (refused) return sendJson(res, 200, { ok: false, error: refused });
    sendJson(res, 200, this.answer(method, params), { "x-oauth-scopes": this.scopes.join(",") });
  }

  private answer(method: string, p: Record<string, unknown>): Record<string, unknown> {
    const answered = this.members.answer(method, p);
    if (answered) return answered;
    switch (method) {
      case "auth.test":
        return { ok: true, url: "https://acme.slack.com/", team: "Acme", user: "incident-bot", team_id: "T0ACME", user_id: "UBOT", bot_id: "BBOT" };
      case "conversations.create": {
        const name = String(p.name);
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
        if (!this.scopes.includes("channels:read")) return { ok: false, error: "missing_scope", needed: "channels:read,groups:read,mpim:read,im:read", provided: this.scopes.join(",") };
        const id = String(p.channel);
        const name = this.existingChannels.get(id) ?? [...this.channels].find(([, cid]) => cid === id)?.[0];
        if (!name) return { ok: false, error: "channel_not_found" };
        return { ok: true, channel: { id, name, is_channel: true, is_archived: false, is_member: !this.channelsWithoutBot.has(id) } };
      }
      case "conversations.archive":
        return { ok: true }; // as in Slack, the archived channel keeps its name
      case "chat.postMessage":
        if (this.channelsWithoutBot.has(String(p.channel))) return { ok: false, error: "not_in_channel" };
        return { ok: true, channel: p.channel, ts: this.nextTs(), message: { text: p.text } };
      case "chat.update":
        return { ok: true, channel: p.channel, ts: p.ts };
      case "chat.postEphemeral":
        return { ok: true, message_ts: this.nextTs() };
      case "pins.add":
      case "views.update":
      case "views.publish":
        return { ok: true };
      case "users.info": {
        const user = this.users.get(String(p.user));
        if (!user) return { ok: false, error: "user_not_found" };
        const { display_name, ...fields } = user;
        return { ok: true, user: { ...fields, deleted: false, profile: { display_name: display_name ?? user.name, real_name: user.real_name } } };
      }
      case "usergroups.users.list": {
        // As Slack answers: the members' ids, or no_such_subteam.
        const members = this.usergroups.get(String(p.usergroup));
        return members ? { ok: true, users: members } : { ok: false, error: "no_such_subteam" };
      }
      case "users.list":
        return { ok: true, members: [...this.users.values()].map((u) => ({ ...u, deleted: false, profile: { display_name: u.name, real_name: u.real_name } })), response_metadata: { next_cursor: "" } };
      case "conversations.history": {
        const oldest = p.oldest ? String(p.oldest) : "";
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
    const start = p.cursor ? Number(Buffer.from(String(p.cursor), "base64").toString()) : 0;
    const next = start + limit < items.length ? Buffer.from(String(start + limit)).toString("base64") : "";
    return { ok: true, [key]: items.slice(start, start + limit), has_more: Boolean(next), response_metadata: { next_cursor: next } };
  }
}
