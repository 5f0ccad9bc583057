// A recorded change (its entry's facts, src/incidents/entryFacts.ts) in Slack's words, as a
// predicate that follows the person's name: "<@U1> set the summary: ...". The `changed` notice
// announces a change this way; anything else that retells the record in Slack can too.
import type { ActionItemFacts, Change, EntryFactsByKind } from "../incidents/entryFacts.js";
import { ROLE_LABELS } from "../incidents/model.js";
import { formatMoment } from "../incidents/time/format.js";

/** Times are shown in the team's zone, named. */
export interface ChangeContext {
  timeZone: string;
}

const mention = (userId: string) => `<@${userId}>`;

const MOMENT_LABELS = { impact_start: "impact start", impact_end: "impact end", detected: "detection time" } as const;

function moment(data: EntryFactsByKind["impact_start"], { timeZone }: ChangeContext): string {
  const shown = (iso: string) => formatMoment(new Date(iso), timeZone, "full");
  return `set the ${MOMENT_LABELS[data.field]} to ${shown(data.to)}${data.from ? ` (was ${shown(data.from)})` : ""}`;
}

function actionItem(data: ActionItemFacts): string {
  const { number, text } = data;
  switch (data.field) {
    case "action_item": {
      const owner = data.ownerId ? ` (owner ${mention(data.ownerId)})` : "";
      return `added action item ${number}: ${text}${owner}${data.due ? ` due ${data.due}` : ""}`;
    }
    case "action_item_status":
      if (data.issue !== undefined) {
        const seen = data.to === "done" ? `done: its issue #${data.issue} was closed` : `open again: its issue #${data.issue} was reopened`;
        return `saw action item ${number} ${seen} on GitHub: ${text}`;
      }
      return `marked action item ${number} ${data.to}: ${text}`;
    case "action_item_owner":
      return `made ${data.to ? mention(data.to) : "nobody"} the owner of action item ${number}: ${text}`;
    case "action_item_due":
      return data.to
        ? `set the due date of action item ${number} to ${data.to}: ${text}`
        : `cleared the due date of action item ${number}: ${text}`;
    case "action_item_issue":
      return `saw the issue #${data.issue} of action item ${number} deleted or moved on GitHub: ${text}`;
  }
}

const REPORT_STEPS = {
  section_edited: ({ section, from, to }: EntryFactsByKind["report"]) =>
    `edited the report's ${section} section${from !== to ? " (back to review)" : ""}`,
  review_requested: () => "requested review of the report",
  approved: () => "approved the report",
  changes_requested: ({ comment }: EntryFactsByKind["report"]) => `requested changes to the report: ${comment}`,
  published: ({ url }: EntryFactsByKind["report"]) => `published the report: ${url}`,
};

export function changeText(change: Change, context: ChangeContext): string {
  switch (change.kind) {
    case "declared":
      return `declared the incident: ${change.data.title} (${change.data.severity.toUpperCase()}${change.data.private ? ", private" : ""})`;
    case "status":
      return change.data.from === "resolved"
        ? `re-opened the incident: status ${change.data.from} → ${change.data.to}`
        : `changed status from ${change.data.from} to ${change.data.to}`;
    case "severity":
      return `changed severity from ${change.data.from.toUpperCase()} to ${change.data.to.toUpperCase()}`;
    case "role": {
      const role = ROLE_LABELS[change.data.field].toLowerCase();
      if (!change.data.to) return `left nobody as ${role}${change.data.from ? ` (was ${mention(change.data.from)})` : ""}`;
      return `made ${mention(change.data.to)} ${role}${change.data.from ? ` (was ${mention(change.data.from)})` : ""}`;
    }
    case "impact_start":
    case "impact_end":
    case "detected":
      return moment(change.data, context);
    case "summary":
      return `set the summary: ${change.data.to}`;
    case "title":
      return change.data.field === "public_title"
        ? `set the public title to “${change.data.to}”`
        : `renamed the incident from “${change.data.from}” to “${change.data.to}”`;
    case "resolved":
      return change.data.resolution ? `resolved the incident: ${change.data.resolution}` : "resolved the incident";
    case "report":
      return REPORT_STEPS[change.data.step](change.data);
    case "update":
      return change.data.to === "public"
        ? `published a public update: ${change.data.text}`
        : `posted an update to stakeholders: ${change.data.text}`;
    case "action":
      return actionItem(change.data);
    case "invited": {
      const people = change.data.users.map(mention).join(", ");
      return change.data.field === "severity" ? `invited ${people} (${change.data.to.toUpperCase()})` : `invited ${people}`;
    }
  }
}
