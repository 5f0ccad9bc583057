// The incident's Slack side, in the domain's words (src/slack/chat.ts implements it).
import type { Incident, ReportState, UserId } from "../model.js";
import type { Notice } from "../notices.js";
import type { CapturedMessage } from "./incidentStore.js";
import type { ReadIn } from "../readIn.js";

export type ChannelCreated =
  { ok: true; id: string; name: string } | { ok: false; reason: "name_taken" } | { ok: false; reason: "missing_scopes"; missing: string[] };

/** What became of an invitation into a channel, person by person. */
export interface Invitation {
  invited: UserId[];
  /** Already members (or the bot itself): nothing to do for them. */
  alreadyIn: UserId[];
  /** Slack refused them (a deactivated account, a guest who may not join...), with its reason. */
  refused: { userId: UserId; reason: string }[];
}

/** A message's link from Slack, or why Slack gives none to the bot. */
export type MessageLink = { ok: true; url: string } | { ok: false; reason: "channel_not_found" | "message_not_found" };

/**
 * The incident's channel in the chat service. A call Slack refuses for a reason the bot cannot fix
 * (removed from the channel, a missing permission...) rejects with ChannelRefusedError (errors.ts).
 */
export interface IncidentChannel {
  /**
   * Creates a channel, private when asked; `name_taken` when that name exists, `missing_scopes` when
   * the workspace has not granted what a private channel needs (nothing was created).
   */
  create(name: string, options?: { private?: boolean }): Promise<ChannelCreated>;
  /** Whether private channels can be made and recorded now (the token's scopes); `missing` names what is not granted. */
  privateChannelsAllowed(): Promise<{ ok: true } | { ok: false; missing: string[] }>;
  /** Invites people into the channel; one who cannot be invited does not keep the others out. */
  invite(channelId: string, userIds: UserId[]): Promise<Invitation>;
  /** Archives a channel the bot created (one left without an incident). */
  archive(channelId: string): Promise<void>;
  /** Posts the header; returns its ts. */
  publishHeader(incident: Incident, report?: Pick<ReportState, "status" | "publishedUrl">): Promise<string>;
  /** Pins the posted header (a step of its own: a header posted but not pinned is still the header). */
  pinHeader(channelId: string, ts: string): Promise<void>;
  /** Re-renders the header; `report` adds the report's state and link once there is one. */
  refreshHeader(incident: Incident, report?: Pick<ReportState, "status" | "publishedUrl">): Promise<void>;
  /** A visible note in the channel (who changed what), worded by the adapter; a user id as `channelId` is a direct message. */
  notify(channelId: string, notice: Notice): Promise<void>;
  /** Looks a user up by display/real/user name, for `@name` typed without a mention. */
  findUserByName(name: string): Promise<UserId | null>;
  userExists(userId: UserId): Promise<boolean>;
  /** Display names of users, for reports (unknown ids are left out). */
  userNames(userIds: UserId[]): Promise<Record<UserId, string>>;
  /** The workspace's URL (https://acme.slack.com/), for links to messages; null when Slack does not say. */
  teamUrl(): Promise<string | null>;
  /** People's messages in the channel after `oldest` (exclusive), oldest first, with the thread parents among them. */
  readHistory(channelId: string, oldest: string | null): AsyncIterable<CapturedMessage & { replyCount: number }>;
  /** People's replies in a thread (the parent excluded). */
  readReplies(channelId: string, threadTs: string): AsyncIterable<CapturedMessage>;

  // Assembling the response (assemble.ts, readIn.ts, sources.ts).
  /** Posts the incident's announcement in `channelId` (INCIDENTS_CHANNEL), worded by the adapter; its ts. A refusal is a ChannelRefusedError. */
  announce(channelId: string, incident: Incident): Promise<string>;
  /** Brings the announcement up to date; `gone` when its message no longer exists (someone deleted it). */
  refreshAnnouncement(incident: Incident, announcement: { channelId: string; ts: string }): Promise<"updated" | "gone">;
  /** Deletes an announcement posted twice (two replicas at once): the incident keeps one. */
  withdrawAnnouncement(announcement: { channelId: string; ts: string }): Promise<void>;
  /** The link to a message (chat.getPermalink); Slack gives none for a channel the bot cannot see. */
  messageLink(channelId: string, ts: string): Promise<MessageLink>;
  /** Sends a person the read-in of an incident, privately: a direct message from the bot. */
  sendReadIn(userId: UserId, readIn: ReadIn): Promise<void>;
}
