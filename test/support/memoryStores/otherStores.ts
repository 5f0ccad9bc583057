// The smaller stores in memory: reports, people, handled requests, updates, picked messages (as their Prisma stores).
import { randomUUID } from "node:crypto";
import type { PickedMessage, UserId } from "../../../src/incidents/model.js";
import type { NewTypedEntry } from "../../../src/incidents/ports/incidentStore.js";
import type { PeopleStore, PersonNames } from "../../../src/incidents/ports/peopleStore.js";
import type { PickedMessageStore } from "../../../src/incidents/ports/pickedMessageStore.js";
import type { ReportPatch, ReportStore } from "../../../src/incidents/ports/reportStore.js";
import type { RequestLog } from "../../../src/incidents/ports/requestLog.js";
import type { NewIncidentUpdate, UpdateStore } from "../../../src/incidents/ports/updateStore.js";
import { copy, time, MemoryTables, typedRow, toIncident, toReport, toUpdate, UUID, emptyReport, type UpdateRow } from "./tables.js";

export class MemoryReportStore implements ReportStore {
  constructor(private readonly t: MemoryTables) {}

  async getReport(incidentId: string) {
    this.t.incident(incidentId);
    if (!this.t.reports.has(incidentId)) this.t.reports.set(incidentId, emptyReport());
    return toReport(this.t.reports.get(incidentId)!);
  }

  async updateReport(incidentId: string, expectedVersion: number, patch: ReportPatch, entry?: NewTypedEntry) {
    const row = this.t.reports.get(incidentId);
    if (!row) throw new Error(`No report for ${incidentId} (Prisma: P2025, record not found)`);
    if (row.version !== expectedVersion) return null;
    const { section, bumpVersion, ...fields } = patch;
    Object.assign(row, copy(Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined))));
    if (section) row.sections = { ...row.sections, [section.key]: section.markdown };
    if (bumpVersion || section) row.version += 1;
    if (entry) this.t.insertEntry(typedRow(incidentId, entry));
    return toReport(row);
  }

  async claimReportReminders(now: Date, lateAfterMs: number, everyMs: number) {
    const lateBefore = now.getTime() - lateAfterMs;
    const remindedBefore = now.getTime() - everyMs;
    const claimed = [...this.t.reports.entries()].filter(([incidentId, report]) => {
      const incident = this.t.incident(incidentId);
      return (
        incident.status === "resolved" &&
        report.status !== "published" &&
        incident.resolvedAt !== null &&
        incident.resolvedAt.getTime() < lateBefore &&
        (report.lastReminderAt === null || report.lastReminderAt.getTime() < remindedBefore)
      );
    });
    for (const [, report] of claimed) report.lastReminderAt = now;
    return claimed.map(([incidentId]) => toIncident(this.t.incident(incidentId)));
  }
}

export class MemoryPeopleStore implements PeopleStore {
  constructor(private readonly t: MemoryTables) {}

  async knownNames(userIds: UserId[]) {
    const known = userIds.flatMap((userId) => {
      const row = this.t.profiles.get(userId);
      return row?.namesUpdatedAt
        ? [[userId, copy({ userId, displayName: row.displayName, realName: row.realName, updatedAt: row.namesUpdatedAt })] as const]
        : [];
    });
    return Object.fromEntries(known);
  }

  async saveNames(people: PersonNames[], at: Date, options: { onlyKnown?: boolean } = {}) {
    for (const { userId, displayName, realName } of people) {
      let row = this.t.profiles.get(userId);
      if (!row && options.onlyKnown) continue;
      if (!row) {
        row = { githubLogin: null, displayName, realName, namesUpdatedAt: at };
        this.t.profiles.set(userId, row);
      }
      // An older read never replaces a newer one.
      if (row.namesUpdatedAt === null || row.namesUpdatedAt.getTime() <= at.getTime())
        Object.assign(row, { displayName, realName, namesUpdatedAt: at });
    }
  }

  async setGithubLogin(userId: UserId, login: string | null) {
    const row = this.t.profiles.get(userId);
    if (row) row.githubLogin = login;
    else this.t.profiles.set(userId, { githubLogin: login, displayName: null, realName: null, namesUpdatedAt: null });
  }

  async githubLogins(userIds: UserId[]) {
    return Object.fromEntries(
      userIds.flatMap((id) => (this.t.profiles.get(id)?.githubLogin ? [[id, this.t.profiles.get(id)!.githubLogin!]] : [])),
    );
  }
}

export class MemoryRequestLog implements RequestLog {
  constructor(private readonly t: MemoryTables) {}

  async claimRequest(key: string) {
    if (this.t.handled.has(key)) return false;
    this.t.handled.set(key, this.t.now());
    return true;
  }

  async forgetHandledRequests(before: Date) {
    let forgotten = 0;
    for (const [key, at] of this.t.handled) {
      if (at.getTime() < before.getTime()) {
        this.t.handled.delete(key);
        forgotten++;
      }
    }
    return forgotten;
  }
}

export class MemoryUpdateStore implements UpdateStore {
  constructor(private readonly t: MemoryTables) {}

  async addUpdate(incidentId: string, update: NewIncidentUpdate, entry?: NewTypedEntry) {
    this.t.incident(incidentId);
    const existing = [...this.t.updates.values()].find((u) => u.incidentId === incidentId && u.sourceKey === update.sourceKey);
    if (entry) this.t.insertEntry(typedRow(incidentId, entry));
    if (existing) return { update: toUpdate(existing), created: false };
    const row: UpdateRow = { ...copy(update), id: randomUUID(), incidentId, slackEscaped: !update.public };
    this.t.updates.set(row.id, row);
    return { update: toUpdate(row), created: true };
  }

  async getUpdate(updateId: string) {
    const row = UUID.test(updateId) ? this.t.updates.get(updateId) : undefined;
    return row ? { update: toUpdate(row), incident: toIncident(this.t.incident(row.incidentId)) } : null;
  }

  async publishUpdate(updateId: string, at: Date, entry: NewTypedEntry) {
    const row = UUID.test(updateId) ? this.t.updates.get(updateId) : undefined;
    if (!row || !row.public || row.publishedAt !== null) return null;
    row.publishedAt = at;
    this.t.insertEntry(typedRow(row.incidentId, entry));
    return toUpdate(row);
  }

  async discardUnpublished(updateId: string) {
    const row = UUID.test(updateId) ? this.t.updates.get(updateId) : undefined;
    if (!row || !row.public || row.publishedAt !== null) return false;
    return this.t.updates.delete(updateId);
  }

  async listUpdates(incidentId: string, options: { publishedOnly?: boolean } = {}) {
    return [...this.t.updates.values()]
      .filter((u) => u.incidentId === incidentId && (!options.publishedOnly || u.publishedAt !== null))
      .sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime() || (a.id < b.id ? -1 : 1))
      .map(toUpdate);
  }

  async claimUpdateReminders(now: Date, quietMs: number) {
    const quietSince = now.getTime() - quietMs;
    const claimed = [...this.t.incidents.values()].filter((incident) => {
      if (incident.status === "resolved" || !["sev1", "sev2"].includes(incident.severity)) return false;
      const published = [...this.t.updates.values()]
        .filter((u) => u.incidentId === incident.id && u.publishedAt)
        .map((u) => u.publishedAt!.getTime());
      const restarted = this.t.entries
        .filter(
          (e) =>
            e.incidentId === incident.id &&
            ((e.kind === "severity" && ["sev1", "sev2"].includes(e.data?.to ?? "") && !["sev1", "sev2"].includes(e.data?.from ?? "")) ||
              (e.kind === "status" && e.data?.from === "resolved")),
        )
        .map((e) => e.occurredAt.getTime());
      // GREATEST ignores NULLs.
      const latest = Math.max(incident.declaredAt.getTime(), time(incident.updateRemindedAt) ?? -Infinity, ...published, ...restarted);
      return latest < quietSince;
    });
    for (const incident of claimed) incident.updateRemindedAt = now;
    return claimed.sort((a, b) => a.number - b.number).map(toIncident);
  }
}

export class MemoryPickedMessageStore implements PickedMessageStore {
  constructor(private readonly t: MemoryTables) {}

  async pickMessage(message: Omit<PickedMessage, "id">) {
    const row = { ...copy(message), id: randomUUID() };
    this.t.picked.set(row.id, row);
    return copy(row);
  }

  async findPickedMessage(id: string) {
    const row = UUID.test(id) ? this.t.picked.get(id) : undefined;
    return row ? copy(row) : null;
  }

  async forgetPickedMessages(before: Date) {
    let forgotten = 0;
    for (const [id, row] of this.t.picked) {
      if (row.pickedAt.getTime() < before.getTime()) {
        this.t.picked.delete(id);
        forgotten++;
      }
    }
    return forgotten;
  }
}
