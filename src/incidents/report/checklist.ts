// What the approver checks before approving a report, from the record and the compiled report.
import type { IncidentRecord, ReportSectionKey } from "../model.js";
import type { CompiledReport } from "./compile.js";

export interface ChecklistItem {
  item: string;
  ok: boolean;
}

/** What the approver checks before approving; each item says what is missing when it is not ok. */
export function approvalChecklist(record: IncidentRecord, compiled: CompiledReport, findingsCount: number): ChecklistItem[] {
  const { incident } = record;
  const unowned = record.actionItems.filter((item) => item.status === "open" && !item.ownerId).length;
  const window = incident.impactStartedAt && incident.impactEndedAt;
  const missing = [!incident.impactStartedAt && "start", !incident.impactEndedAt && "end"].filter(Boolean).join(" and ");
  const written = (key: ReportSectionKey, what: string) => ({
    item: compiled.sections[key].written ? `${what} written` : `${what} not written yet`,
    ok: compiled.sections[key].written,
  });
  return [
    { item: window ? "Impact window set" : `Impact window not set (no ${missing})`, ok: Boolean(window) },
    written("summary", "Summary"),
    written("root_cause", "Root cause"),
    written("resolution", "Resolution"),
    {
      item:
        unowned === 0 ? "Every open action item has an owner" : `${unowned} open action item${unowned > 1 ? "s have" : " has"} no owner`,
      ok: unowned === 0,
    },
    {
      item: findingsCount === 0 ? "No blameless findings" : `${findingsCount} blameless finding${findingsCount > 1 ? "s" : ""} to look at`,
      ok: findingsCount === 0,
    },
  ];
}
