// Who is in a channel: private incidents are listed only to their members.
import type { UserId } from "../model.js";

/**
 * Who is in a channel (Slack's conversations.members), cached briefly: a private incident is named
 * in lists outside its channel only to its members. False when Slack cannot say (the bot was
 * removed, a scope is missing, Slack is down): a list then leaves the incident out.
 */
export interface ChannelMembers {
  includes(channelId: string, userId: UserId): Promise<boolean>;
}
