// The domain's IncidentChannel port, spoken to Slack's Web API. WebClient honours 429 +
// retry-after on its own (rejectRateLimitedCalls is off), so nothing here loops by hand.
import type { WebClient } from "@slack/web-api";
import type { Incident, UserId } from "../incidents/model.js";
import type { Clock, IncidentChannel } from "../incidents/ports.js";
import { isFromAPerson, toCapturedMessage, type SlackMessage } from "./messages.js";
import { headerBlocks, headerText, type HeaderReport } from "./views/header.js";

/** The Slack error code of a failed Web API call, if that is what `error` is. */
export function slackErrorCode(error: unknown): string | undefined {
  const data = (error as { data?: { error?: string } } | undefined)?.data;
  return typeof data?.error === "string" ? data.error : undefined;
}

interface Member {
  id: string;
  name?: string;
  deleted?: boolean;
  is_bot?: boolean;
  real_name?: string;
  profile?: { display_name?: string; real_name?: string };
}

export class SlackIncidentChannel implements IncidentChannel {
  private members: { at: number; list: Member[] } | undefined;
  /** Display names change rarely; a report compiled twice should not ask Slack twice. */
  private readonly names = new Map<UserId, string>();

  constructor(
    private readonly client: WebClient,
    private readonly options: { timeZone: string; clock: Clock },
  ) {}

  async create(name: string) {
    try {
      const result = await this.client.conversations.create({ name, is_private: false });
      return { ok: true as const, id: result.channel!.id!, name: result.channel!.name ?? name };
    } catch (error) {
      if (slackErrorCode(error) === "name_taken") return { ok: false as const, reason: "name_taken" as const };
      throw error;
    }
  }

  async invite(channelId: string, userIds: UserId[]) {
    try {
      await this.client.conversations.invite({ channel: channelId, users: userIds.join(",") });
    } catch (error) {
      // Already there (or the bot itself): the goal is met.
      if (!["already_in_channel", "cant_invite_self"].includes(slackErrorCode(error) ?? "")) throw error;
    }
  }

  private render(incident: Incident, report?: HeaderReport) {
    return { text: headerText(incident), blocks: headerBlocks(incident, { timeZone: this.options.timeZone, now: this.options.clock.now(), report }) };
  }

  async archive(channelId: string) {
    await this.client.conversations.archive({ channel: channelId });
  }

  async publishHeader(incident: Incident, report?: HeaderReport) {
    const posted = await this.client.chat.postMessage({ channel: incident.channelId, ...this.render(incident, report) });
    await this.client.pins.add({ channel: incident.channelId, timestamp: posted.ts! });
    return posted.ts!;
  }

  async refreshHeader(incident: Incident, report?: HeaderReport) {
    if (!incident.headerTs) return;
    await this.client.chat.update({ channel: incident.channelId, ts: incident.headerTs, ...this.render(incident, report) });
  }

  async announce(channelId: string, text: string) {
    await this.client.chat.postMessage({ channel: channelId, text, unfurl_links: false });
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

  async userNames(userIds: UserId[]) {
    const names: Record<UserId, string> = {};
    for (const id of userIds) {
      const cached = this.names.get(id);
      if (cached) {
        names[id] = cached;
        continue;
      }
      try {
        const { user } = await this.client.users.info({ user: id });
        const name = user?.profile?.display_name || user?.real_name || user?.name;
        if (name) this.names.set(id, (names[id] = name));
      } catch (error) {
        if (slackErrorCode(error) !== "user_not_found") throw error;
      }
    }
    return names;
  }

  async findUserByName(name: string) {
    const wanted = name.replace(/^@/, "").toLowerCase();
    // users.list is rate limited (tier 2); a five-minute cache serves a burst of role changes.
    if (!this.members || Date.now() - this.members.at > 300_000) {
      const list: Member[] = [];
      for await (const page of this.client.paginate("users.list", { limit: 200 })) list.push(...((page as { members?: Member[] }).members ?? []));
      this.members = { at: Date.now(), list };
    }
    const match = this.members.list.find(
      (m) =>
        !m.deleted &&
        [m.name, m.profile?.display_name, m.real_name, m.profile?.real_name].some((n) => n && n.toLowerCase() === wanted),
    );
    return match?.id ?? null;
  }

  async *readHistory(channelId: string, oldest: string | null) {
    const messages: SlackMessage[] = [];
    for await (const page of this.client.paginate("conversations.history", { channel: channelId, limit: 200, ...(oldest ? { oldest } : {}) })) {
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
}
