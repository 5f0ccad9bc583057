// The domain's use cases without Slack: IncidentDeps over the real stores on a fresh test database,
// with small in-memory implementations of the other ports (the channel, the admins, the report
// publisher) that record what they were asked. A use-case spec calls the domain function directly
// and reads the outcome from the stores and these records.
import { pino } from "pino";
import type { IncidentDeps } from "../../src/incidents/deps.js";
import type { Incident, ReportState, UserId } from "../../src/incidents/model.js";
import type { Notice } from "../../src/incidents/notices.js";
import type { Admins } from "../../src/incidents/ports/admins.js";
import type { CapturedMessage } from "../../src/incidents/ports/incidentStore.js";
import type { ChannelCreated, IncidentChannel, Invitation, MessageLink } from "../../src/incidents/ports/incidentChannel.js";
import type { ChannelMembers } from "../../src/incidents/ports/channelMembers.js";
import type { ReportPublisher } from "../../src/incidents/ports/reportPublisher.js";
import type { ReadIn } from "../../src/incidents/readIn.js";
import { openDatabase, type Database } from "../../src/database/database.js";
import { prismaStores } from "../../src/store/prismaStores.js";
import { exportAll } from "../../src/store/transfer.js";
import { createTestDatabase, type TestDatabase } from "./testDatabase.js";

/** What the channel port was asked, in order. */
export type ChannelCall =
  | { method: "create"; name: string; private: boolean }
  | { method: "invite"; channelId: string; userIds: UserId[] }
  | { method: "archive"; channelId: string }
  | { method: "publishHeader" | "refreshHeader"; incident: Incident; report?: Pick<ReportState, "status" | "publishedUrl"> }
  | { method: "pinHeader"; channelId: string; ts: string }
  | { method: "notify"; channelId: string; notice: Notice }
  | { method: "announce"; channelId: string; incident: Incident }
  | { method: "refreshAnnouncement" | "withdrawAnnouncement"; announcement: { channelId: string; ts: string } }
  | { method: "sendReadIn"; userId: UserId; readIn: ReadIn };

/** Who is in which channel, in memory (MemoryChannel's invitations add to it). */
export class MemoryMembers implements ChannelMembers {
  readonly channels = new Map<string, Set<UserId>>();
  async includes(channelId: string, userId: UserId) {
    return this.channels.get(channelId)?.has(userId) ?? false;
  }
}

/** The incident's Slack side, in memory: channels are created, everything asked is recorded. */
export class MemoryChannel implements IncidentChannel {
  readonly calls: ChannelCall[] = [];
  readonly members = new MemoryMembers();
  /** The scopes private channels need that the workspace has not granted (none: it may make them). */
  missingPrivateScopes: string[] = [];
  private channels = 0;

  constructor(private readonly names: Record<UserId, string> = {}) {}

  async create(name: string, options: { private?: boolean } = {}): Promise<ChannelCreated> {
    this.calls.push({ method: "create", name, private: options.private === true });
    const missing = this.missingPrivateScopes;
    if (options.private && missing.length) return { ok: false, reason: "missing_scopes", missing };
    const id = `C${String(++this.channels).padStart(8, "0")}`;
    this.members.channels.set(id, new Set());
    return { ok: true, id, name };
  }
  async privateChannelsAllowed() {
    return this.missingPrivateScopes.length ? { ok: false as const, missing: this.missingPrivateScopes } : { ok: true as const };
  }
  async invite(channelId: string, userIds: UserId[]): Promise<Invitation> {
    this.calls.push({ method: "invite", channelId, userIds });
    const members = this.members.channels.get(channelId) ?? new Set<UserId>();
    this.members.channels.set(channelId, members);
    const invitation: Invitation = { invited: [], alreadyIn: [], refused: [] };
    for (const id of userIds) (members.has(id) ? invitation.alreadyIn : invitation.invited).push(id);
    for (const id of invitation.invited) members.add(id);
    return invitation;
  }
  async archive(channelId: string) {
    this.calls.push({ method: "archive", channelId });
  }
  async publishHeader(incident: Incident, report?: Pick<ReportState, "status" | "publishedUrl">) {
    this.calls.push({ method: "publishHeader", incident, report });
    return `${1_700_000_000 + this.calls.length}.000100`;
  }
  async pinHeader(channelId: string, ts: string) {
    this.calls.push({ method: "pinHeader", channelId, ts });
  }
  async refreshHeader(incident: Incident, report?: Pick<ReportState, "status" | "publishedUrl">) {
    this.calls.push({ method: "refreshHeader", incident, report });
  }
  async notify(channelId: string, notice: Notice) {
    this.calls.push({ method: "notify", channelId, notice });
  }
  async findUserByName(name: string) {
    return Object.entries(this.names).find(([, known]) => known === name)?.[0] ?? null;
  }
  async userExists(userId: UserId) {
    return userId in this.names;
  }
  async userNames(userIds: UserId[]) {
    return Object.fromEntries(userIds.filter((id) => id in this.names).map((id) => [id, this.names[id]!]));
  }
  async teamUrl() {
    return null;
  }
  async announce(channelId: string, incident: Incident) {
    this.calls.push({ method: "announce", channelId, incident });
    return `${1_700_000_000 + this.calls.length}.000200`;
  }
  async refreshAnnouncement(_incident: Incident, announcement: { channelId: string; ts: string }) {
    this.calls.push({ method: "refreshAnnouncement", announcement });
    return "updated" as const;
  }
  async withdrawAnnouncement(announcement: { channelId: string; ts: string }) {
    this.calls.push({ method: "withdrawAnnouncement", announcement });
  }
  async messageLink(channelId: string, ts: string): Promise<MessageLink> {
    return { ok: true, url: `https://acme.slack.com/archives/${channelId}/p${ts.replace(".", "")}` };
  }
  async sendReadIn(userId: UserId, readIn: ReadIn) {
    this.calls.push({ method: "sendReadIn", userId, readIn });
  }
  async *readHistory(): AsyncIterable<CapturedMessage & { replyCount: number }> {}
  async *readReplies(): AsyncIterable<CapturedMessage> {}

  notices(): Notice[] {
    return this.calls.flatMap((call) => (call.method === "notify" ? [call.notice] : []));
  }
}

/** Published report files, kept in memory. */
export class MemoryPublisher implements ReportPublisher {
  readonly files: { path: string; content: string; message: string }[] = [];
  async publish(file: { path: string; content: string; message: string }) {
    this.files.push(file);
    return { url: `https://github.example/acme/reports/blob/main/${file.path}` };
  }
}

export class MemoryAdmins implements Admins {
  constructor(private readonly ids: readonly UserId[]) {}
  async includes(userId: UserId) {
    return this.ids.includes(userId);
  }
}

export interface UseCaseWorld {
  deps: IncidentDeps;
  channel: MemoryChannel;
  publisher: MemoryPublisher;
  database: Database;
  /** Every table, and every call to a port: equal before and after means nothing was written or sent. */
  snapshot(): Promise<unknown>;
  close(): Promise<void>;
}

export interface WorldOptions {
  /** People the channel knows, by id. */
  names?: Record<UserId, string>;
  /** Incident admins (INCIDENT_ADMINS). */
  admins?: UserId[];
  now?: () => Date;
}

export async function useCaseWorld(options: WorldOptions = {}): Promise<UseCaseWorld> {
  const testDatabase: TestDatabase = await createTestDatabase();
  // onMigrated given: openDatabase runs the migrations only as that callback's argument.
  const database = await openDatabase(testDatabase.config, { pglite: testDatabase.pglite, onMigrated: () => {} });
  const channel = new MemoryChannel(options.names);
  const publisher = new MemoryPublisher();
  const deps: IncidentDeps = {
    ...prismaStores(database),
    channel,
    admins: new MemoryAdmins(options.admins ?? []),
    userGroups: { members: async () => [] },
    members: channel.members,
    inviteOnDeclare: {},
    publisher,
    clock: { now: options.now ?? (() => new Date()) },
    timeZone: "Europe/London",
    logger: pino({ level: process.env.TEST_LOG_LEVEL ?? "silent" }),
  };
  return {
    deps,
    channel,
    publisher,
    database,
    async snapshot() {
      const { tables } = await exportAll(database);
      return { tables, channel: channel.calls.length, published: publisher.files.length };
    },
    async close() {
      await database.close();
      await testDatabase.dispose();
    },
  };
}
