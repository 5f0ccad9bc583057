// ActionItemStore in memory: action items, their issues' leases and observations, reminders (as PrismaActionItemStore).
import { randomUUID } from "node:crypto";
import type { LeaseRequest } from "../../../src/incidents/delivery.js";
import { isStaleObservation, statusAfterObservation } from "../../../src/incidents/issueObservation.js";
import type { ActionItem, UserId } from "../../../src/incidents/model.js";
import type { ActionItemStore, FollowUp, FollowUpQuery, NewActionItem } from "../../../src/incidents/ports/actionItemStore.js";
import type { NewTypedEntry } from "../../../src/incidents/ports/incidentStore.js";
import type { IssueObservation } from "../../../src/incidents/ports/issueTracker.js";
import { copy, time, day, MemoryTables, typedRow, toIncident, toActionItem, type ActionItemRow } from "./tables.js";

export class MemoryActionItemStore implements ActionItemStore {
  constructor(private readonly t: MemoryTables) {}

  private rows(incidentId?: string) {
    return [...this.t.actionItems.values()].filter((row) => incidentId === undefined || row.incidentId === incidentId);
  }

  private row(actionItemId: string) {
    const row = this.t.actionItems.get(actionItemId);
    if (!row) throw new Error(`No action item ${actionItemId} (Prisma: P2025, record not found)`);
    return row;
  }

  private followUp(row: ActionItemRow): FollowUp {
    return { item: toActionItem(row), incident: toIncident(this.t.incident(row.incidentId)) };
  }

  /** Rows as followUps orders them: oldest first, then by number. */
  private followUps(rows: ActionItemRow[]): FollowUp[] {
    return [...rows].sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime() || a.number - b.number).map((row) => this.followUp(row));
  }

  async addActionItem(incidentId: string, item: NewActionItem) {
    this.t.incident(incidentId);
    const existing = this.rows(incidentId).find((row) => row.sourceKey === item.sourceKey);
    if (existing) return toActionItem(existing);
    const row: ActionItemRow = {
      id: randomUUID(),
      incidentId,
      number: Math.max(0, ...this.rows(incidentId).map((r) => r.number)) + 1,
      sourceKey: item.sourceKey,
      text: item.text,
      ownerId: item.ownerId,
      dueDate: day(item.dueDate),
      status: "open",
      createdBy: item.createdBy,
      createdAt: item.createdAt,
      issueNumber: null,
      issueUrl: null,
      lastError: null,
      doneAt: null,
      issueState: null,
      leaseUntil: null,
      nextAttemptAt: null,
      attempts: 0,
      issueEtag: null,
      issueCheckedAt: null,
      overdueRemindedOn: null,
      incompleteRemindedAt: null,
    };
    this.t.actionItems.set(row.id, copy(row));
    return toActionItem(row);
  }

  async listActionItems(incidentId: string) {
    return this.rows(incidentId)
      .sort((a, b) => a.number - b.number)
      .map(toActionItem);
  }

  async getActionItem(actionItemId: string) {
    const row = this.t.actionItems.get(actionItemId);
    return row ? this.followUp(row) : null;
  }

  async setActionItem(
    actionItemId: string,
    patch: { status?: ActionItem["status"]; ownerId?: UserId | null; dueDate?: Date | null },
    at: Date,
  ) {
    const row = this.row(actionItemId);
    if (patch.status !== undefined) Object.assign(row, { status: patch.status, doneAt: patch.status === "done" ? at : null });
    if (patch.ownerId !== undefined) row.ownerId = patch.ownerId;
    if (patch.dueDate !== undefined) row.dueDate = day(patch.dueDate);
    return toActionItem(row);
  }

  async claimActionItemForIssue(actionItemId: string, { now, until, ignoreBackoff }: LeaseRequest) {
    const row = this.t.actionItems.get(actionItemId);
    const free = (row?.leaseUntil ?? null) === null || row!.leaseUntil!.getTime() < now.getTime();
    const due = ignoreBackoff || (row?.nextAttemptAt ?? null) === null || row!.nextAttemptAt!.getTime() <= now.getTime();
    if (!row || row.issueUrl !== null || row.status !== "open" || !free || !due) return null;
    row.leaseUntil = until;
    row.attempts += 1;
    return { attempts: row.attempts };
  }

  async completeActionItemIssue(actionItemId: string, issue: { number: number; url: string }) {
    Object.assign(this.row(actionItemId), {
      issueNumber: issue.number,
      issueUrl: issue.url,
      leaseUntil: null,
      nextAttemptAt: null,
      lastError: null,
    });
  }

  async failActionItemIssue(actionItemId: string, error: string, nextAttemptAt: Date) {
    Object.assign(this.row(actionItemId), { lastError: error.slice(0, 500), leaseUntil: null, nextAttemptAt });
  }

  async listActionItemsNeedingIssues(now: Date, incidents = { public: true, private: true }) {
    const rows = this.rows().filter((row) => {
      const incident = this.t.incident(row.incidentId);
      return (
        row.issueUrl === null &&
        row.status === "open" &&
        incident.status === "resolved" &&
        ((incidents.public && incidents.private) || incident.private === incidents.private) &&
        (row.leaseUntil === null || row.leaseUntil.getTime() < now.getTime()) &&
        (row.nextAttemptAt === null || row.nextAttemptAt.getTime() <= now.getTime())
      );
    });
    return [...rows].sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime()).map((row) => this.followUp(row));
  }

  async findActionItemByIssue(repository: string, issueNumber: number) {
    const suffix = `/${repository}/issues/${issueNumber}`.toLowerCase();
    const row = this.rows().find((r) => r.issueNumber === issueNumber && r.issueUrl !== null && r.issueUrl.toLowerCase().endsWith(suffix));
    return row ? this.followUp(row) : null;
  }

  async observeIssue(
    actionItemId: string,
    observation: IssueObservation,
    describe?: (before: ActionItem, after: ActionItem) => NewTypedEntry | null,
  ) {
    const row = this.t.actionItems.get(actionItemId);
    if (!row) return null;
    if (isStaleObservation(row.issueCheckedAt, observation)) return null;
    const data = {
      issueState: observation.state,
      issueCheckedAt: observation.claimedAt ?? observation.observedAt,
      ...(observation.etag !== undefined ? { issueEtag: observation.etag } : {}),
      ...statusAfterObservation(row, observation),
    };
    const before = toActionItem(row);
    const after = toActionItem({ ...row, ...data });
    const entry = describe?.(before, after) ?? null;
    Object.assign(row, data);
    if (entry) this.t.insertEntry(typedRow(row.incidentId, entry));
    return { before, after };
  }

  async claimIssueChecks(now: Date, checkedBefore: Date, limit: number) {
    const due = this.rows()
      .filter(
        (row) =>
          row.issueNumber !== null &&
          (row.status === "open" || (row.status === "done" && row.issueState === "closed")) &&
          row.issueState !== "deleted" &&
          (row.issueCheckedAt === null || row.issueCheckedAt.getTime() < checkedBefore.getTime()),
      )
      // ORDER BY "issueCheckedAt" ASC NULLS FIRST: never-checked items first.
      .sort((a, b) => (time(a.issueCheckedAt) ?? -Infinity) - (time(b.issueCheckedAt) ?? -Infinity))
      .slice(0, limit);
    const etags = new Map(due.map((row) => [row.id, row.issueEtag]));
    for (const row of due) row.issueCheckedAt = now;
    return this.followUps(due).map((f) => ({ ...f, etag: etags.get(f.item.id) ?? null }));
  }

  async claimOverdueReminders(today: Date) {
    const todayDay = day(today)!.getTime();
    const due = this.rows().filter(
      (row) =>
        row.status === "open" &&
        row.ownerId !== null &&
        row.dueDate !== null &&
        row.dueDate.getTime() < todayDay &&
        (row.overdueRemindedOn === null || row.overdueRemindedOn.getTime() < todayDay),
    );
    for (const row of due) row.overdueRemindedOn = new Date(todayDay);
    return this.followUps(due);
  }

  async claimIncompleteReminders(now: Date, resolved: { after: Date; before: Date }) {
    const due = this.rows().filter((row) => {
      const incident = this.t.incident(row.incidentId);
      const at = incident.resolvedAt?.getTime();
      return (
        incident.status === "resolved" &&
        at !== undefined &&
        at < resolved.before.getTime() &&
        at > resolved.after.getTime() &&
        row.status === "open" &&
        (row.ownerId === null || row.dueDate === null) &&
        row.incompleteRemindedAt === null
      );
    });
    for (const row of due) row.incompleteRemindedAt = now;
    return this.followUps(due);
  }

  private matching({ ownerId, dueBefore, privateIncidentIds }: FollowUpQuery) {
    return this.rows().filter(
      (row) =>
        row.status === "open" &&
        (!ownerId || row.ownerId === ownerId) &&
        (!dueBefore || (row.dueDate !== null && row.dueDate.getTime() < dueBefore.getTime())) &&
        (!privateIncidentIds || !this.t.incident(row.incidentId).private || privateIncidentIds.includes(row.incidentId)),
    );
  }

  async listFollowUps({ limit, ...query }: FollowUpQuery & { limit: number }) {
    const rows = this.matching(query);
    return { items: this.followUps(rows).slice(0, limit), total: rows.length };
  }

  async privateIncidentsWithFollowUps(query: Omit<FollowUpQuery, "privateIncidentIds">) {
    const ids = new Set(this.matching(query).map((row) => row.incidentId));
    return [...ids]
      .map((id) => this.t.incident(id))
      .filter((incident) => incident.private)
      .sort((a, b) => a.number - b.number)
      .map(toIncident);
  }
}
