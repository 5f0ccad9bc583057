// Block Kit for action items: the `/incident actions` list and the resolution summary.
import type { KnownBlock } from "@slack/types";
import type { IssuesWithheld } from "../../incidents/actionItems.js";
import type { ActionItem, Incident } from "../../incidents/model.js";
import { renderDuration } from "../../incidents/report/compile.js";
import { formatDueDate, formatMoment } from "../../incidents/time.js";
import { ActionIds } from "../ids.js";

export function actionItemLine(item: ActionItem): string {
  const owner = item.ownerId ? ` · owner <@${item.ownerId}>` : "";
  const due = item.dueDate ? ` · due ${formatDueDate(item.dueDate)}` : "";
  const issue = item.issueUrl ? ` · <${item.issueUrl}|#${item.issueNumber}>` : item.status === "open" ? " · _issue pending_" : "";
  const text = item.status === "dropped" ? `~${item.text}~` : item.text;
  const mark = item.status === "done" ? ":white_check_mark:" : item.status === "dropped" ? ":heavy_minus_sign:" : ":white_medium_square:";
  return `${mark} *${item.number}.* ${text}${owner}${due}${issue}`;
}

/** Why open items have no issue, when it is not GitHub's answer (issuesWithheld). */
type Withheld = IssuesWithheld | null;

const WITHHELD: Record<IssuesWithheld, string> = {
  private_repository_not_set:
    ":lock: This incident is private: its action items become issues only in `PRIVATE_GITHUB_REPOSITORY`, which is not set, " +
    "so they wait here, pending, and never go to `GITHUB_REPOSITORY`. Set it (and restart the bot) to open them.",
};

const withheldNote = (withheld: Withheld, items: ActionItem[]): KnownBlock[] =>
  withheld && items.some((item) => item.status === "open" && !item.issueUrl)
    ? [{ type: "context", elements: [{ type: "mrkdwn", text: WITHHELD[withheld] }] }]
    : [];

export function actionItemsBlocks(items: ActionItem[], withheld: Withheld = null): KnownBlock[] {
  if (items.length === 0) {
    return [{ type: "section", text: { type: "mrkdwn", text: "No action items yet. Add one with `/incident action <text> [@owner] [due <date>]`." } }];
  }
  const list: KnownBlock[] = items.map((item) => ({
    type: "section",
    text: { type: "mrkdwn", text: actionItemLine(item) },
    ...(item.status === "open"
      ? {
          accessory: {
            type: "overflow",
            action_id: ActionIds.markActionDone,
            options: [
              { text: { type: "plain_text", text: "Mark done" }, value: `done:${item.id}` },
              { text: { type: "plain_text", text: "Drop" }, value: `dropped:${item.id}` },
            ],
          },
        }
      : {}),
  }));
  return [...list, ...withheldNote(withheld, items)];
}

export function resolutionSummary(
  incident: Incident,
  items: ActionItem[],
  timeZone: string,
  withheld: Withheld = null,
): { text: string; blocks: KnownBlock[] } {
  const momentOrNotRecorded = (at: Date | null) => (at ? formatMoment(at, timeZone, "full") : "not recorded");
  const duration = incident.resolvedAt ? renderDuration(incident.resolvedAt.getTime() - incident.declaredAt.getTime()) : "";
  const impact =
    incident.impactStartedAt && incident.impactEndedAt
      ? `${momentOrNotRecorded(incident.impactStartedAt)} → ${momentOrNotRecorded(incident.impactEndedAt)} (${renderDuration(incident.impactEndedAt.getTime() - incident.impactStartedAt.getTime())})`
      : `start ${momentOrNotRecorded(incident.impactStartedAt)}, end ${momentOrNotRecorded(incident.impactEndedAt)}`;
  const pending = items.filter((i) => i.status === "open" && !i.issueUrl);
  const text = `:white_check_mark: Incident #${incident.number} resolved after ${duration}.`;
  const blocks: KnownBlock[] = [
    { type: "section", text: { type: "mrkdwn", text: `${text}\n*Impact:* ${impact}${incident.resolution ? `\n*Resolution:* ${incident.resolution}` : ""}` } },
    { type: "section", text: { type: "mrkdwn", text: `*Action items*\n${items.length ? items.map(actionItemLine).join("\n") : "_None recorded. Add them with `/incident action`._"}` } },
  ];
  blocks.push(...withheldNote(withheld, items));
  // Retrying cannot help issues that are withheld: only setting the repository can.
  if (pending.length > 0 && !withheld) {
    blocks.push({
      type: "actions",
      elements: [{ type: "button", action_id: ActionIds.retryActionItemIssue, text: { type: "plain_text", text: `Retry ${pending.length} pending issue${pending.length > 1 ? "s" : ""}` }, value: incident.id }],
    });
  }
  blocks.push({
    type: "context",
    elements: [{ type: "mrkdwn", text: "*Next:* the communication liaison runs `/incident report` to review the draft post-incident report; the tech lead approves it." }],
  });
  return { text, blocks };
}
