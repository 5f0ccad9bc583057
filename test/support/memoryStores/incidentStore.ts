// IncidentStore in memory: incidents and their timeline (as PrismaIncidentStore).
import { randomUUID } from "node:crypto";
import type { IncidentRecord, Role, UserId } from "../../../src/incidents/model.js";
import type { ActionItemStore } from "../../../src/incidents/ports/actionItemStore.js";
import type { CapturedMessage, IncidentPatch, IncidentStore, NewTypedEntry } from "../../../src/incidents/ports/incidentStore.js";
import type { ReportStore } from "../../../src/incidents/ports/reportStore.js";
import { slackTsToDate } from "../../../src/incidents/slackTime.js";
import {
  copy,
  messageKey,
  MemoryTables,
  typedRow,
  messageRow,
  toIncident,
  toEntry,
  compareNullable,
  emptyReport,
  type IncidentRow,
} from "./tables.js";

export class MemoryIncidentStore implements IncidentStore {
  constructor(
    private readonly t: MemoryTables,
    private readonly rest: { actionItems: Pick<ActionItemStore, "listActionItems">; reports: Pick<ReportStore, "getReport"> },
  ) {}

  async createIncident(input: Parameters<IncidentStore["createIncident"]>[0], entries: NewTypedEntry[]) {
    if ([...this.t.incidents.values()].some((i) => i.channelId === input.channelId)) {
      throw new Error(`Unique constraint failed on the fields: (\`channelId\`) (Prisma: P2002)`);
    }
    const id = randomUUID();
    const row: IncidentRow = {
      id,
      number: this.t.nextIncidentNumber++,
      title: input.title,
      channelId: input.channelId,
      channelName: input.channelName,
      status: "investigating",
      severity: input.severity,
      summary: input.summary ?? null,
      resolution: null,
      declaredBy: input.declaredBy,
      declaredAt: input.declaredAt,
      detectedAt: input.detectedAt ?? null,
      impactStartedAt: null,
      impactEndedAt: null,
      resolvedAt: null,
      headerTs: null,
      publicTitle: null,
      private: input.private ?? false,
      roles: { commander: { userId: input.declaredBy, assignedBy: input.declaredBy, assignedAt: input.declaredAt } },
      announcementChannelId: null,
      announcementTs: null,
      statuspageIncidentId: null,
      updateRemindedAt: null,
      publicTitleSlackEscaped: true,
    };
    this.t.incidents.set(id, copy(row));
    this.t.reports.set(id, emptyReport());
    for (const entry of entries) this.t.insertEntry(typedRow(id, entry));
    return toIncident(this.t.incident(id));
  }

  async findIncidentByChannel(channelId: string) {
    const row = [...this.t.incidents.values()].find((i) => i.channelId === channelId);
    return row ? toIncident(row) : null;
  }

  async findIncidentByNumber(number: number) {
    const row = [...this.t.incidents.values()].find((i) => i.number === number);
    return row ? toIncident(row) : null;
  }

  async channelNames(channelIds: string[]) {
    const rows = [...this.t.incidents.values()].filter((i) => channelIds.includes(i.channelId) && !i.private);
    return Object.fromEntries(rows.map((row) => [row.channelId, row.channelName]));
  }

  async getIncident(incidentId: string) {
    return toIncident(this.t.incident(incidentId));
  }

  async listIncidents(filter: { open?: boolean } = {}) {
    return [...this.t.incidents.values()]
      .filter((i) => filter.open === undefined || (i.status !== "resolved") === filter.open)
      .sort((a, b) => a.number - b.number)
      .map(toIncident);
  }

  async changeIncident(incidentId: string, patch: IncidentPatch, entry?: NewTypedEntry) {
    const row = this.t.incident(incidentId);
    const defined = Object.fromEntries(Object.entries(patch).filter(([, value]) => value !== undefined));
    Object.assign(row, copy(defined));
    if (patch.publicTitle != null) row.publicTitleSlackEscaped = false;
    if (entry) this.t.insertEntry(typedRow(incidentId, entry));
    return toIncident(row);
  }

  async assignRole(incidentId: string, role: Role, userId: UserId, assignedBy: UserId, entry: NewTypedEntry) {
    const row = this.t.incident(incidentId);
    row.roles[role] = { userId, assignedBy, assignedAt: entry.occurredAt };
    this.t.insertEntry(typedRow(incidentId, entry));
    return toIncident(row);
  }

  async addEntry(incidentId: string, entry: NewTypedEntry) {
    this.t.insertEntry(typedRow(incidentId, entry));
  }

  async recordMessage(incidentId: string, message: CapturedMessage) {
    return this.t.insertEntry(messageRow(incidentId, message));
  }

  async recordEdit(incidentId: string, message: CapturedMessage & { editedTs: string }, previousText: string | null) {
    const editedAt = slackTsToDate(message.editedTs);
    this.t.insertEntry(messageRow(incidentId, message)); // the edit may arrive before the original
    const entry = this.t.findEntry(incidentId, messageKey(message.ts))!;
    if (entry.text === message.text && previousText === null) return;
    const revisionText = previousText ?? entry.text;
    if (!entry.revisions.some((r) => r.editTs === message.editedTs)) {
      entry.revisions.push({ editTs: message.editedTs, text: revisionText, replacedAt: editedAt });
    }
    if (entry.editedAt === null || entry.editedAt.getTime() < editedAt.getTime()) {
      Object.assign(entry, { text: message.text, files: copy(message.files), editedAt });
    }
  }

  async recordDeletion(incidentId: string, ts: string, deletedAt: Date, previous: CapturedMessage | null) {
    if (previous) this.t.insertEntry(messageRow(incidentId, previous));
    const entry = this.t.findEntry(incidentId, messageKey(ts));
    if (entry && !entry.deleted) Object.assign(entry, { deleted: true, deletedAt });
  }

  async setPin(incidentId: string, ts: string, userId: UserId, pinned: boolean) {
    const entry = this.t.findEntry(incidentId, messageKey(ts));
    if (!entry) return;
    if (pinned && !entry.pinnedBy.includes(userId)) entry.pinnedBy.push(userId);
    if (!pinned) entry.pinnedBy = entry.pinnedBy.filter((id) => id !== userId);
  }

  async setSlackPin(incidentId: string, ts: string, pinned: boolean) {
    const entry = this.t.findEntry(incidentId, messageKey(ts));
    if (entry) entry.slackPinned = pinned;
  }

  async highlightMessage(incidentId: string, ts: string) {
    const entry = this.t.findEntry(incidentId, messageKey(ts));
    if (entry) entry.highlight = true;
  }

  async setAnnouncement(incidentId: string, announcement: { channelId: string; ts: string }, replacing: string | null) {
    const row = this.t.incidents.get(incidentId);
    if (!row || row.announcementTs !== replacing) return false;
    row.announcementChannelId = announcement.channelId;
    row.announcementTs = announcement.ts;
    return true;
  }

  async setExcluded(incidentId: string, ts: string, userId: UserId, excluded: boolean) {
    const entry = this.t.findEntry(incidentId, messageKey(ts));
    if (!entry) return;
    if (excluded && !entry.excludedBy.includes(userId)) entry.excludedBy.push(userId);
    if (!excluded) entry.excludedBy = entry.excludedBy.filter((id) => id !== userId);
  }

  async captureCursor(incidentId: string) {
    const messages = this.t.entries.filter((e) => e.incidentId === incidentId && e.kind === "message");
    const latest = messages.map((m) => m.ts!).sort((a, b) => compareNullable(b, a))[0] ?? null;
    const parents = [...new Set(messages.flatMap((m) => (m.threadTs === null ? [] : [m.threadTs])))];
    return { latestTs: latest, threadParents: parents };
  }

  async listEntries(incidentId: string) {
    return this.t.entries
      .filter((e) => e.incidentId === incidentId)
      .sort((a, b) => a.occurredAt.getTime() - b.occurredAt.getTime() || compareNullable(a.ts, b.ts) || a.recorded - b.recorded)
      .map(toEntry);
  }

  async loadRecord(incidentId: string): Promise<IncidentRecord> {
    const [incident, entries, actionItems, report] = await Promise.all([
      this.getIncident(incidentId),
      this.listEntries(incidentId),
      this.rest.actionItems.listActionItems(incidentId),
      this.rest.reports.getReport(incidentId),
    ]);
    return { incident, entries, actionItems, report };
  }
}
