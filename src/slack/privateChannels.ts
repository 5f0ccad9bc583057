// What private incidents need from Slack: the scopes a private channel takes (to create it and
// invite into it, to record its messages, to know who is in it), and who is in a channel
// (conversations.members), cached briefly so a follow-up list asks Slack at most once per private
// incident and minute. A failure to read members is a "no": a list leaves the incident out
// rather than name it to someone who may not be in it.
import type { WebClient } from "@slack/web-api";
import type { UserId } from "../incidents/model.js";
import type { ChannelMembers } from "../incidents/ports/channelMembers.js";
import type { Logger } from "../log.js";
import { slackErrorCode } from "./refusals.js";

/**
 * groups:write creates private channels and invites into them; groups:history records their
 * messages (message.groups, and the catch-up after a restart); groups:read tells who is in them
 * (lists outside the channel, the read-in's member_joined_channel).
 */
export const PRIVATE_CHANNEL_SCOPES = ["groups:write", "groups:history", "groups:read"] as const;

/** Members are read again after this long: someone invited or removed shows within a minute. */
export const MEMBERS_TTL_MS = 60_000;
/** conversations.members pages: Slack recommends no more than 200 a page. */
const MEMBERS_PAGE = 200;

export class SlackChannelMembers implements ChannelMembers {
  private readonly cache = new Map<string, { at: number; members: Set<UserId> }>();
  /** Answers from the cache and reads from Slack since start: the cache's hit rate. */
  readonly stats = { hits: 0, reads: 0, failures: 0 };

  constructor(
    private readonly client: WebClient,
    private readonly logger: Logger,
    private readonly now: () => number = Date.now,
    private readonly ttlMs = MEMBERS_TTL_MS,
  ) {}

  async includes(channelId: string, userId: UserId): Promise<boolean> {
    const members = await this.membersOf(channelId);
    return members?.has(userId) ?? false;
  }

  private async membersOf(channelId: string): Promise<Set<UserId> | null> {
    const cached = this.cache.get(channelId);
    if (cached && this.now() - cached.at < this.ttlMs) {
      this.stats.hits++;
      return cached.members;
    }
    this.stats.reads++;
    try {
      const members = new Set<UserId>();
      for await (const page of this.client.paginate("conversations.members", { channel: channelId, limit: MEMBERS_PAGE })) {
        for (const id of (page as { members?: string[] }).members ?? []) members.add(id);
      }
      this.cache.set(channelId, { at: this.now(), members });
      return members;
    } catch (error) {
      // channel_not_found: the bot was removed from the private channel; missing_scope: groups:read
      // was not granted. Neither is remembered: the next list asks again.
      this.stats.failures++;
      const reason = slackErrorCode(error) ?? String(error);
      this.logger.warn({ channel: channelId, error: reason }, "could not read a channel's members; its incident is left out of lists");
      return null;
    }
  }
}
