// The domain's use cases without Slack: IncidentDeps over in-memory stores (memoryStores.ts), or
// over the real Prisma stores on a fresh test database, with small in-memory implementations of the
// other ports (the channel, the admins, the report publisher) that record what they were asked. A
// use-case spec calls the domain function directly and reads the outcome from the stores and these
// records. The memory stores keep the Prisma stores' contracts (storeContract.test.ts checks both);
// USECASE_STORES=database runs every spec on the real stores as well, for when one is in doubt.
import { pino } from "pino";
import type { IncidentDeps } from "../../src/incidents/deps.js";
import type { Incident, ReportState, UserId } from "../../src/incidents/model.js";
import type { Notice } from "../../src/incidents/notices.js";
import type { Admins } from "../../src/incidents/ports/admins.js";
import type { CapturedMessage } from "../../src/incidents/ports/incidentStore.js";
import type { ChannelCreated, IncidentChannel, Invitation, MessageLink } from "../../src/incidents/ports/incidentChannel.js";
import type { ChannelMembers } from "../../src/incidents/ports/channelMembers.js";
import type { ReportPublisher } from "../../src/incidents/ports/reportPublisher.js";
import type { IssueRead, IssueTracker } from "../../src/incidents/ports/issueTracker.js";
import type { ReadIn } from "../../src/incidents/readIn.js";
import { openDatabase, type Database } from "../../src/database/database.js";
import { prismaStores } from "../../src/store/prismaStores.js";
import { exportAll } from "../../src/store/transfer.js";
import { memoryStores } from "./memoryStores.js";
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
  /** Channel names taken in the workspace. */
  readonly names = new Set<string>();

  constructor(private readonly people: Record<UserId, string> = {}) {}

  async create(name: string, options: { private?: boolean } = {}): Promise<ChannelCreated> {
    this.calls.push({ method: "create", name, private: options.private === true });
    const missing = this.missingPrivateScopes;
    if (options.private && missing.length) return { ok: false, reason: "missing_scopes", missing };
    // As Slack: a channel name is the workspace's once.
    if (this.names.has(name)) return { ok: false, reason: "name_taken" };
    this.names.add(name);
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
    return Object.entries(this.people).find(([, known]) => known === name)?.[0] ?? null;
  }
  async userExists(userId: UserId) {
    return userId in this.people;
  }
  async userNames(userIds: UserId[]) {
    return Object.fromEntries(userIds.filter((id) => id in this.people).map((id) => [id, this.people[id]!]));
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

/** GitHub issues in memory: created, found by their marker, read, closed; `failing` makes every call fail as GitHub down would. */
export class MemoryIssueTracker implements IssueTracker {
  readonly issues: {
    number: number;
    url: string;
    title: string;
    body: string;
    labels: string[];
    assignees: string[];
    state: "open" | "closed";
  }[] = [];
  failing: string | null = null;

  private check() {
    if (this.failing) throw new Error(this.failing);
  }
  async findIssue(query: { labels: string[]; marker: string }) {
    this.check();
    const found = this.issues.find((i) => query.labels.every((l) => i.labels.includes(l)) && i.body.includes(query.marker));
    return found ? { number: found.number, url: found.url } : null;
  }
  async createIssue(issue: Parameters<IssueTracker["createIssue"]>[0]) {
    this.check();
    const number = this.issues.length + 1;
    const url = `https://github.com/acme/incidents/issues/${number}`;
    const body = `${issue.item.text}\n${issue.marker}`;
    this.issues.push({ number, url, title: issue.item.text, body, labels: issue.labels, assignees: issue.assignees, state: "open" });
    return { number, url };
  }
  async readIssue(number: number): Promise<IssueRead> {
    this.check();
    const issue = this.issues.find((i) => i.number === number);
    return issue ? { kind: "read", state: issue.state, etag: null, updatedAt: new Date(), closedAt: null } : { kind: "gone" };
  }
  async closeIssue(number: number) {
    this.check();
    const issue = this.issues.find((i) => i.number === number);
    if (issue) issue.state = "closed";
  }
  async setAssignees(number: number, assignees: string[]) {
    this.check();
    const issue = this.issues.find((i) => i.number === number);
    if (issue) issue.assignees = assignees;
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
  /** The issue tracker (GITHUB_REPOSITORY's), in memory. */
  tracker: MemoryIssueTracker;
  /** The test database, when the world runs on the real stores (`stores: "database"`). */
  database: Database | null;
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
  /**
   * Where the stores keep their rows: in memory (the default, milliseconds a spec) or in a fresh
   * test database through the Prisma stores (what a spec of the database itself needs). The
   * environment's USECASE_STORES=database moves every world to the database.
   */
  stores?: "memory" | "database";
}

export async function useCaseWorld(options: WorldOptions & { stores: "database" }): Promise<UseCaseWorld & { database: Database }>;
export async function useCaseWorld(options?: WorldOptions): Promise<UseCaseWorld>;
export async function useCaseWorld(options: WorldOptions = {}): Promise<UseCaseWorld> {
  const now = options.now ?? (() => new Date());
  const onDatabase = (options.stores ?? process.env.USECASE_STORES ?? "memory") === "database";
  const channel = new MemoryChannel(options.names);
  const publisher = new MemoryPublisher();
  const tracker = new MemoryIssueTracker();
  const ports = {
    issueTracker: tracker,
    channel,
    admins: new MemoryAdmins(options.admins ?? []),
    userGroups: { members: async () => [] },
    members: channel.members,
    inviteOnDeclare: {},
    publisher,
    clock: { now },
    timeZone: "Europe/London",
    logger: pino({ level: process.env.TEST_LOG_LEVEL ?? "silent" }),
  } satisfies Omit<IncidentDeps, keyof ReturnType<typeof prismaStores>>;
  const calls = () => ({ channel: channel.calls.length, published: publisher.files.length, issues: tracker.issues.length });

  if (!onDatabase) {
    const stores = memoryStores(undefined, now);
    return {
      deps: { ...stores, ...ports },
      channel,
      publisher,
      tracker,
      database: null,
      snapshot: async () => ({ tables: stores.tables.snapshot(), ...calls() }),
      close: async () => {},
    };
  }

  const testDatabase: TestDatabase = await createTestDatabase();
  // onMigrated given: openDatabase runs the migrations only as that callback's argument.
  const database = await openDatabase(testDatabase.config, { pglite: testDatabase.pglite, onMigrated: () => {} });
  return {
    deps: { ...prismaStores(database), ...ports },
    channel,
    publisher,
    tracker,
    database,
    async snapshot() {
      const { tables } = await exportAll(database);
      return { tables, ...calls() };
    },
    async close() {
      await database.close();
      await testDatabase.dispose();
    },
  };
}
