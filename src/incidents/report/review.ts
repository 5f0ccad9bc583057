// The report's review: people edit sections, the liaison asks for review, the tech lead (and only
// the current tech lead) approves or asks for changes, then it is published. Every transition is a
// timeline entry. Versions guard against approving something other than what the approver saw.
import { reachOf } from "../assemble.js";
import { type Actor, entryKeyOf } from "../actor.js";
import type { ReportStep } from "../entryFacts.js";
import type { IncidentDeps } from "../deps.js";
import { tell } from "../showing.js";
import { UserError } from "../errors.js";
import { publicTitleOf, type Incident, type IncidentRecord, type ReportSectionKey, type ReportState, type ReportStatus } from "../model.js";
import { slugify } from "../declare.js";
import { showHeader } from "../header.js";
import { authorize } from "../policy.js";
import type { ReportPatch } from "../ports/reportStore.js";
import { redactSecrets } from "../redact.js";
import { formatInZone } from "../time/format.js";
import { checkBlameless, type BlamelessFinding } from "./blameless.js";
import { slackCodeToText, type SlackNames, slackProseToMarkdown } from "./slackMarkdown.js";
import { approvalChecklist, type ChecklistItem } from "./checklist.js";
import { type CompiledReport, compileReport } from "./compile.js";
import { publishedMarkdown } from "./published.js";
import { namesToHide, reportNames } from "./names.js";
import { publicSummary } from "./publicSummary.js";
import { DEFAULT_TEMPLATE, type Template } from "./template.js";

export interface ReportView {
  incident: Incident;
  report: ReportState;
  compiled: CompiledReport;
  findings: BlamelessFinding[];
  record: IncidentRecord;
  userNames: Record<string, string>;
  channelNames: Record<string, string>;
  /** What the approver checks before approving (see approvalChecklist). */
  checklist: ChecklistItem[];
  /** The report's sections, titles and order: the team's template, or the default one. */
  template: Template;
}

/** The approver pressed a button on a view of an older version. */
export class StaleReportError extends UserError {
  constructor(readonly view: ReportView) {
    super({ code: "report_changed", version: view.report.version });
  }
}

export const STATUS_LABELS: Record<ReportStatus, string> = {
  draft: "Draft",
  in_review: "In review",
  changes_requested: "Changes requested",
  approved: "Approved",
  published: "Published",
};

export async function loadReport(deps: IncidentDeps, incidentId: string): Promise<ReportView> {
  const record = await deps.incidents.loadRecord(incidentId);
  const { userNames, channelNames } = await reportNames(deps, record);
  const template = deps.reportTemplate ?? DEFAULT_TEMPLATE;
  const compiled = compileReport(record, { timeZone: deps.timeZone, now: deps.clock.now(), userNames, channelNames, template });
  const findings = checkBlameless(compiled.markdown, { knownNames: Object.values(userNames) });
  const checklist = approvalChecklist(record, compiled, findings.length);
  return {
    incident: record.incident,
    report: record.report ?? (await deps.reports.getReport(incidentId)),
    compiled,
    findings,
    record,
    userNames,
    channelNames,
    checklist,
    template,
  };
}

/** A review step, recorded with its facts: which section, where it was published, the tech lead's comment. */
async function transition(
  deps: IncidentDeps,
  view: ReportView,
  actor: Actor,
  patch: ReportPatch,
  step: ReportStep,
  facts: { section?: string; url?: string; comment?: string } = {},
): Promise<ReportView> {
  const updated = await deps.reports.updateReport(view.incident.id, view.report.version, patch, {
    sourceKey: entryKeyOf(actor),
    kind: "report",
    occurredAt: deps.clock.now(),
    authorId: actor.userId,
    data: { field: "report", step, from: view.report.status, to: patch.status ?? view.report.status, ...facts },
    highlight: false,
  });
  if (!updated) throw new StaleReportError(await loadReport(deps, view.incident.id));
  await showHeader(deps, view.incident, updated);
  return loadReport(deps, view.incident.id);
}

export async function editSection(
  deps: IncidentDeps,
  incidentId: string,
  actor: Actor,
  edit: { key: string; markdown: string; baseVersion: number },
): Promise<ReportView> {
  // The sections people can write are the template's (the team's, or the default one).
  const section = (deps.reportTemplate ?? DEFAULT_TEMPLATE).find((s) => s.key === edit.key);
  if (!section) throw new UserError({ code: "not_a_section", key: edit.key });
  const view = await loadReport(deps, incidentId);
  if (view.report.version !== edit.baseVersion) {
    throw new UserError({ code: "report_edit_conflict", version: view.report.version, markdown: edit.markdown });
  }
  // Editing an approved or published report sends it back to review.
  const backToReview = view.report.status === "approved" || view.report.status === "published";
  const markdown = redactSecrets(edit.markdown.trim()).text;
  const result = await transition(
    deps,
    view,
    actor,
    {
      section: { key: edit.key, markdown },
      ...(backToReview ? { status: "in_review" as const, approvedBy: null, approvedVersion: null } : {}),
    },
    "section_edited",
    { section: section.title },
  );
  const version = result.report.version;
  await tell(deps, view.incident, { kind: "report_section_edited", by: actor.userId, section: section.title, version, backToReview });
  return result;
}

export async function requestReview(deps: IncidentDeps, incidentId: string, actor: Actor): Promise<ReportView> {
  const view = await loadReport(deps, incidentId);
  const lead = view.incident.roles.tech_lead;
  if (!lead) throw new UserError({ code: "review_needs_tech_lead" });
  if (view.report.status === "in_review") throw new UserError({ code: "already_in_review", techLeadId: lead });
  if (view.report.status === "approved" || view.report.status === "published") throw new UserError({ code: "already_approved" });
  const result = await transition(deps, view, actor, { status: "in_review" }, "review_requested");
  await tell(deps, view.incident, {
    kind: "report_review_requested",
    by: actor.userId,
    techLeadId: lead,
    incidentNumber: view.incident.number,
    version: result.report.version,
    findings: result.findings.length,
  });
  return result;
}

export async function approveReport(deps: IncidentDeps, incidentId: string, actor: Actor, viewedVersion: number): Promise<ReportView> {
  const view = await loadReport(deps, incidentId);
  await authorize(deps, view.incident, actor.userId, "approve_report");
  if (view.report.version !== viewedVersion) throw new StaleReportError(view);
  if (view.report.status !== "in_review") throw new UserError({ code: "approval_needs_review", status: view.report.status });
  const approval = { status: "approved", approvedBy: actor.userId, approvedVersion: view.report.version } as const;
  const result = await transition(deps, view, actor, approval, "approved");
  await tell(deps, view.incident, { kind: "report_approved", by: actor.userId, version: view.report.version });
  return result;
}

/**
 * Before the tech lead writes their comment: refuses anyone else, and a view of an older version,
 * as requestChanges would. Two small reads, not the whole report (the comment's modal must open
 * within Slack's 3 s).
 */
export async function checkChangeRequest(deps: IncidentDeps, incidentId: string, actor: Actor, viewedVersion: number): Promise<void> {
  const [incident, report] = await Promise.all([deps.incidents.getIncident(incidentId), deps.reports.getReport(incidentId)]);
  await authorize(deps, incident, actor.userId, "request_changes");
  if (report.version !== viewedVersion) throw new StaleReportError(await loadReport(deps, incidentId));
}

export async function requestChanges(
  deps: IncidentDeps,
  incidentId: string,
  actor: Actor,
  viewedVersion: number,
  comment: string,
): Promise<ReportView> {
  const view = await loadReport(deps, incidentId);
  await authorize(deps, view.incident, actor.userId, "request_changes");
  if (view.report.version !== viewedVersion) throw new StaleReportError(view);
  if (view.report.status !== "in_review") throw new UserError({ code: "changes_need_review", status: view.report.status });
  const clean = redactSecrets(comment.trim()).text;
  const result = await transition(deps, view, actor, { status: "changes_requested" }, "changes_requested", { comment: clean });
  await tell(deps, view.incident, {
    kind: "report_changes_requested",
    by: actor.userId,
    liaisonId: view.incident.roles.liaison ?? null,
    comment: clean,
  });
  return result;
}

const NO_NAMES: SlackNames = { users: {}, channels: {} };

/** Unique per incident (the number is in it), so two incidents with one title never share a file. */
export function reportPath(incident: Incident, timeZone: string): string {
  const slug = slugify(slackCodeToText(incident.title, NO_NAMES)).slice(0, 60).replace(/-+$/, "");
  return `reports/${formatInZone(incident.declaredAt, timeZone, "yyyy-MM-dd")}-incident-${incident.number}${slug ? `-${slug}` : ""}.md`;
}

export async function publishReport(deps: IncidentDeps, incidentId: string, actor: Actor): Promise<ReportView> {
  const view = await loadReport(deps, incidentId);
  await authorize(deps, view.incident, actor.userId, "publish_report");
  if (view.report.status !== "approved") {
    throw new UserError(
      view.report.status === "published"
        ? { code: "already_published", url: view.report.publishedUrl }
        : { code: "publishing_needs_approval", status: view.report.status },
    );
  }
  // A private incident's report goes to PRIVATE_REPORTS_REPOSITORY or nowhere, never to REPORTS_REPOSITORY.
  const reach = reachOf(view.incident);
  const publisher = reach.repositories === "private" ? deps.privatePublisher : deps.publisher;
  if (!publisher) {
    throw new UserError({ code: reach.repositories === "private" ? "private_publishing_not_configured" : "publishing_not_configured" });
  }
  const path = view.report.publishedPath ?? reportPath(view.incident, deps.timeZone);
  // The published file links each timeline time to its Slack message, for readers who have Slack;
  // it holds only the sections that were written or compiled, under YAML front matter.
  const slackTeamUrl = await deps.channel.teamUrl();
  const compiled = slackTeamUrl
    ? compileReport(view.record, {
        timeZone: deps.timeZone,
        now: deps.clock.now(),
        userNames: view.userNames,
        channelNames: view.channelNames,
        template: view.template,
        slackTeamUrl,
      })
    : view.compiled;
  const title = slackCodeToText(view.incident.title, { users: view.userNames, channels: view.channelNames });
  const { url } = await publisher.publish({
    path,
    content: publishedMarkdown(compiled, view.record, { timeZone: deps.timeZone, userNames: view.userNames }),
    message: `Post-incident report: incident #${view.incident.number}, ${title}`,
  });
  // The status page shows the customer-facing summary from now on, under the public title; a
  // private incident has none for customers.
  const customerSummary = reach.customers ? await publicSummaryOf(deps, view, publicTitleOf(view.incident)) : undefined;
  const result = await transition(
    deps,
    view,
    actor,
    {
      status: "published",
      publishedUrl: url,
      publishedPath: path,
      publishedAt: deps.clock.now(),
      ...(customerSummary ? { publicSummary: customerSummary } : {}),
    },
    "published",
    { url },
  );
  await tell(deps, view.incident, { kind: "report_published", by: actor.userId, url });
  return result;
}

/** The customer-facing version: no names, no Slack links, no commands, and the public title. */
export async function publicReport(deps: IncidentDeps, incidentId: string): Promise<string> {
  const view = await loadReport(deps, incidentId);
  return publicSummaryOf(deps, view, publicTitleOf(view.incident));
}

async function publicSummaryOf(deps: IncidentDeps, view: ReportView, title: string): Promise<string> {
  const section = (key: ReportSectionKey) => (view.compiled.sections[key].written ? view.compiled.sections[key].markdown : "");
  // Items are Slack text; the summary is Markdown, as the compiled sections are.
  const names = { users: view.userNames, channels: view.channelNames };
  const prevention = view.record.actionItems
    .filter((a) => a.status !== "dropped")
    .map((a) => `- ${slackProseToMarkdown(a.text.replace(/\s*\n\s*/g, " ").trim(), names)}`)
    .join("\n");
  return publicSummary(
    {
      title,
      summary: section("summary"),
      impact: section("impact"),
      resolution: section("resolution"),
      prevention,
    },
    { knownNames: await namesToHide(deps, view.userNames) },
  );
}

/**
 * Reminds the liaison (or the commander) of reports still unpublished `lateAfterHours` after the
 * incident was resolved, once a day. The claim is one UPDATE, so of several replicas one reminds.
 */
export async function sendReportReminders(deps: IncidentDeps, lateAfterHours: number): Promise<number> {
  const late = await deps.reports.claimReportReminders(deps.clock.now(), lateAfterHours * 3_600_000, 24 * 3_600_000);
  for (const incident of late) {
    const who = incident.roles.liaison ?? incident.roles.commander ?? incident.declaredBy;
    await tell(deps, incident, { kind: "report_late", to: who, incidentNumber: incident.number, hours: lateAfterHours });
  }
  return late.length;
}
