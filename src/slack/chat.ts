// The domain's IncidentChannel port, spoken to Slack's Web API. WebClient honours 429 +
// retry-after on its own (rejectRateLimitedCalls is off), so nothing here loops by hand. A call
// Slack refuses for the channel, a permission or a workspace rule rejects with the domain's
// ChannelRefusedError (./refusals.ts), which the domain reports rather than fails on.
import type { WebClient } from "@slack/web-api";
import { ChannelRefusedError } from "../incidents/errors.js";
import type { Incident, UserId } from "../incidents/model.js";
import type { Notice } from "../incidents/notices.js";
import { type NameCache, type PersonNames, preferredName } from "../incidents/ports/peopleStore.js";
import type { ChannelCreated, IncidentChannel, Invitation, MessageLink } from "../incidents/ports/incidentChannel.js";
import type { Clock } from "../incidents/ports/clock.js";
import type { ReadIn } from "../incidents/readIn.js";
import { isFromAPerson, toCapturedMessage, type SlackMessage } from "./messages.js";
import { noticeText } from "./notices.js";
import { PRIVATE_CHANNEL_SCOPES } from "./privateChannels.js";
import { announcementMessage } from "./views/announcement.js";
import { refusalOf, refusing, slackErrorCode } from "./refusals.js";
import { headerBlocks, headerText, type HeaderReport } from "./views/header.js";
import { readInMessage } from "./views/readIn.js";

/** conversations.invite's answers about one person, rather than about the call: that person is not invited. */
const REFUSALS_OF_A_PERSON = new Set([
  "user_not_found",
  "user_is_restricted",
  "user_is_ultra_restricted",
  "cant_invite",
  "user_is_bot",
  "ura_max_channels",
]);
/** conversations.invite's answers that mean the person is in already (or is the bot itself). */
const ALREADY_IN = new Set(["already_in_channel", "cant_invite_self"]);

/** A failed call's per-person errors, as conversations.invite gives them (`errors: [{ user, error }]`). */
function perPersonErrors(error: unknown): Map<string, string> {
  const errors = (error as { data?: { errors?: { user?: string; error?: string }[] } } | undefined)?.data?.errors ?? [];
  return new Map(errors.flatMap((e) => (e.user && e.error ? [[e.user, e.error] as [string, string]] : [])));
}

export interface Member {
  id: string;
  name?: string;
  deleted?: boolean;
  is_bot?: boolean;
  real_name?: string;
  profile?: { display_name?: string; real_name?: string };
}

/** Cached names older than this are read from Slack again (user_change refreshes them sooner). */
export const NAMES_MAX_AGE_MS = 24 * 3_600_000;

/** A Slack user (users.info, users.list, user_change) as the names the store keeps. */
export function namesOf(user: Member): PersonNames {
  return {
    userId: user.id,
    displayName: user.profile?.display_name?.trim() || null,
    realName: user.real_name?.trim() || user.profile?.real_name?.trim() || user.name?.trim() || null,
  };
}

export class SlackIncidentChannel implements IncidentChannel {
  private members: { at: number; list: Member[] } | undefined;
  /** Names read in this process when there is no store to keep them (a report compiled twice asks once). */
  private readonly names = new Map<UserId, PersonNames & { updatedAt: Date }>();
  private team: Promise<string | null> | undefined;

  constructor(
    private readonly client: WebClient,
    private readonly options: { timeZone: string; clock: Clock; names?: NameCache },
  ) {}

  async create(name: string, options: { private?: boolean } = {}): Promise<ChannelCreated> {
    try {
      const create = () => this.client.conversations.create({ name, is_private: options.private === true });
      // No channel yet, so no channel for refusing(): a missing scope or a workspace rule is told as such.
      const result = await refusing({ method: "conversations.create" }, create);
      return { ok: true, id: result.channel!.id!, name: result.channel!.name ?? name };
    } catch (error) {
      if (slackErrorCode(error) === "name_taken") return { ok: false, reason: "name_taken" };
      // A private channel without groups:write: Slack says which scope it needed, and made nothing.
      const refusal = error instanceof ChannelRefusedError ? error.refusal : undefined;
      if (refusal?.code === "missing_scope" && options.private) {
        return { ok: false, reason: "missing_scopes", missing: refusal.needed.length ? refusal.needed : [...PRIVATE_CHANNEL_SCOPES] };
      }
      throw error;
    }
  }

  /**
   * Several people go in one call with `force`: Slack then invites whom it can and lists the others
   * in `errors`. One person's refusal is an answer (Invitation.refused); a refusal of the call
   * itself (the channel is gone, Slack is down) is thrown.
   */
  async invite(channelId: string, userIds: UserId[]): Promise<Invitation> {
    const wanted = [...new Set(userIds)];
    const invitation: Invitation = { invited: [], alreadyIn: [], refused: [] };
    if (wanted.length === 0) return invitation;
    const several = wanted.length > 1;
    try {
      await this.client.conversations.invite({ channel: channelId, users: wanted.join(","), ...(several ? { force: true } : {}) });
      invitation.invited.push(...wanted);
      return invitation;
    } catch (error) {
      const code = slackErrorCode(error);
      const errors = perPersonErrors(error);
      if (!code || (errors.size === 0 && (several || !(ALREADY_IN.has(code) || REFUSALS_OF_A_PERSON.has(code))))) {
        // A refusal of the call itself (the bot is not in the channel, a missing scope) is told as such.
        const refusal = refusalOf(error, { method: "conversations.invite", channelId });
        throw refusal ? new ChannelRefusedError(refusal) : error;
      }
      for (const userId of wanted) {
        const reason = errors.get(userId) ?? (several ? null : code);
        if (reason === null)
          invitation.invited.push(userId); // forced: the others went in
        else if (ALREADY_IN.has(reason)) invitation.alreadyIn.push(userId);
        else invitation.refused.push({ userId, reason });
      }
      return invitation;
    }
  }

  private render(incident: Incident, report?: HeaderReport) {
    return {
      text: headerText(incident),
      blocks: headerBlocks(incident, { timeZone: this.options.timeZone, now: this.options.clock.now(), report }),
    };
  }

  async archive(channelId: string) {
    await refusing({ method: "conversations.archive", channelId }, () => this.client.conversations.archive({ channel: channelId }));
  }

  async publishHeader(incident: Incident, report?: HeaderReport) {
    const channelId = incident.channelId;
    const post = () => this.client.chat.postMessage({ channel: channelId, ...this.render(incident, report) });
    const posted = await refusing({ method: "chat.postMessage", channelId }, post);
    return posted.ts!;
  }

  async pinHeader(channelId: string, ts: string) {
    try {
      await refusing({ method: "pins.add", channelId }, () => this.client.pins.add({ channel: channelId, timestamp: ts }));
    } catch (error) {
      // Pinned already (a retried request): the goal is met.
      if (slackErrorCode(error) !== "already_pinned") throw error;
    }
  }

  async refreshHeader(incident: Incident, report?: HeaderReport) {
    if (!incident.headerTs) return;
    const channelId = incident.channelId;
    const update = () => this.client.chat.update({ channel: channelId, ts: incident.headerTs!, ...this.render(incident, report) });
    await refusing({ method: "chat.update", channelId }, update);
  }

  async notify(channelId: string, notice: Notice) {
    const text = noticeText(notice, { timeZone: this.options.timeZone });
    await refusing({ method: "chat.postMessage", channelId }, () =>
      this.client.chat.postMessage({ channel: channelId, text, unfurl_links: false }),
    );
  }

  async userExists(userId: UserId) {
    try {
      const { user } = await this.client.users.info({ user: userId });
      return Boolean(user && !user.deleted);
    } catch (error) {
      if (slackErrorCode(error) === "user_not_found") return false;
      throw error;
    }
  }

  /**
   * Names from the store first; Slack (users.info) only for people not known or read more than a
   * day ago, and what it answers is stored. When Slack fails for someone whose name is only old,
   * the old name is shown rather than none.
   */
  async userNames(userIds: UserId[]) {
    const wanted = [...new Set(userIds)];
    const now = this.options.clock.now();
    const cached = this.options.names
      ? await this.options.names.knownNames(wanted)
      : Object.fromEntries(wanted.flatMap((id) => (this.names.has(id) ? [[id, this.names.get(id)!]] : [])));
    const fresh: PersonNames[] = [];
    const result: Record<UserId, string> = {};
    for (const id of wanted) {
      const known = cached[id];
      if (known && now.getTime() - known.updatedAt.getTime() < NAMES_MAX_AGE_MS) {
        const name = preferredName(known);
        if (name) result[id] = name;
        continue;
      }
      try {
        const { user } = await this.client.users.info({ user: id });
        if (user?.id) fresh.push(namesOf(user as Member));
      } catch (error) {
        if (slackErrorCode(error) !== "user_not_found" && !known) throw error;
        const name = known && preferredName(known);
        if (name) result[id] = name;
      }
    }
    for (const person of fresh) {
      const name = preferredName(person);
      if (name) result[person.userId] = name;
      this.names.set(person.userId, { ...person, updatedAt: now });
    }
    if (fresh.length && this.options.names) await this.options.names.saveNames(fresh, now);
    return result;
  }

  /** Asked once (auth.test); a failure is not remembered, so the next report asks again. */
  teamUrl() {
    this.team ??= this.client.auth.test().then(
      (answer) => (typeof answer.url === "string" && answer.url ? answer.url : null),
      () => {
        this.team = undefined;
        return null;
      },
    );
    return this.team;
  }

  async findUserByName(name: string) {
    const wanted = name.replace(/^@/, "").toLowerCase();
    // users.list is rate limited (tier 2); a five-minute cache serves a burst of role changes.
    if (!this.members || Date.now() - this.members.at > 300_000) {
      const list: Member[] = [];
      for await (const page of this.client.paginate("users.list", { limit: 200 }))
        list.push(...((page as { members?: Member[] }).members ?? []));
      this.members = { at: Date.now(), list };
    }
    const match = this.members.list.find(
      (m) =>
        !m.deleted && [m.name, m.profile?.display_name, m.real_name, m.profile?.real_name].some((n) => n && n.toLowerCase() === wanted),
    );
    return match?.id ?? null;
  }

  async *readHistory(channelId: string, oldest: string | null) {
    const messages: SlackMessage[] = [];
    for await (const page of this.client.paginate("conversations.history", {
      channel: channelId,
      limit: 200,
      ...(oldest ? { oldest } : {}),
    })) {
      messages.push(...((page as { messages?: SlackMessage[] }).messages ?? []));
    }
    // Slack pages newest first; the record is written oldest first.
    messages.sort((a, b) => (a.ts < b.ts ? -1 : 1));
    for (const m of messages) {
      if (oldest && m.ts <= oldest) continue;
      if (isFromAPerson(m)) yield { ...toCapturedMessage(m), replyCount: m.reply_count ?? 0 };
    }
  }

  async *readReplies(channelId: string, threadTs: string) {
    for await (const page of this.client.paginate("conversations.replies", { channel: channelId, ts: threadTs, limit: 200 })) {
      for (const m of (page as { messages?: SlackMessage[] }).messages ?? []) {
        if (m.ts !== threadTs && isFromAPerson(m)) yield toCapturedMessage(m);
      }
    }
  }

  // Private incidents: whether the token may make and record private channels.

  /**
   * Asks Slack now (auth.test answers with the token's scopes), not what start-up saw: an app
   * reinstalled with the scopes since works at once. When Slack does not say, creating the channel
   * is left to answer (missing_scope).
   */
  async privateChannelsAllowed(): Promise<{ ok: true } | { ok: false; missing: string[] }> {
    const granted = (await this.client.auth.test()).response_metadata?.scopes;
    const missing = granted ? PRIVATE_CHANNEL_SCOPES.filter((scope) => !granted.includes(scope)) : [];
    return missing.length === 0 ? { ok: true } : { ok: false, missing };
  }

  // Assembling the response: the announcement, message links, the read-in.

  async announce(channelId: string, incident: Incident) {
    const message = { channel: channelId, ...announcementMessage(incident), unfurl_links: false, unfurl_media: false };
    const posted = await refusing({ method: "chat.postMessage", channelId }, () => this.client.chat.postMessage(message));
    return posted.ts!;
  }

  async refreshAnnouncement(incident: Incident, announcement: { channelId: string; ts: string }) {
    const { channelId, ts } = announcement;
    try {
      await refusing({ method: "chat.update", channelId }, () =>
        this.client.chat.update({ channel: channelId, ts, ...announcementMessage(incident) }),
      );
      return "updated" as const;
    } catch (error) {
      if (slackErrorCode(error) === "message_not_found") return "gone" as const;
      throw error;
    }
  }

  async withdrawAnnouncement(announcement: { channelId: string; ts: string }) {
    const { channelId, ts } = announcement;
    await refusing({ method: "chat.delete", channelId }, () => this.client.chat.delete({ channel: channelId, ts }));
  }

  async messageLink(channelId: string, ts: string): Promise<MessageLink> {
    try {
      // A channel the bot cannot see is an answer here (MessageLink), not a refusal: no channel for refusing().
      const { permalink } = await refusing({ method: "chat.getPermalink" }, () =>
        this.client.chat.getPermalink({ channel: channelId, message_ts: ts }),
      );
      if (!permalink) return { ok: false, reason: "message_not_found" };
      return { ok: true, url: permalink };
    } catch (error) {
      const code = slackErrorCode(error);
      if (code === "channel_not_found" || code === "message_not_found") return { ok: false, reason: code };
      throw error;
    }
  }

  /** A direct message from the bot (its Messages tab): it stays there, unlike a note in the channel. */
  async sendReadIn(userId: UserId, readIn: ReadIn) {
    const message = {
      channel: userId,
      ...readInMessage(readIn, { teamUrl: await this.teamUrl(), joined: true }),
      unfurl_links: false,
      unfurl_media: false,
    };
    await refusing({ method: "chat.postMessage", channelId: userId }, () => this.client.chat.postMessage(message));
  }
}
