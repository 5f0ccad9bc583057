// Block Kit for action items: the `/incident actions` list and the resolution summary. An incident
// can have many items with long texts; both stay within Slack's limits (src/slack/fit.ts): the list
// is paged (`/incident actions page 2`), one section per item, each item's text shortened in lists
// (its whole text is in its GitHub issue and the report); the summary shows the first page of items
// and says where the rest are, and the resolution's whole text is in sections of its own.
import type { KnownBlock } from "@slack/types";
import type { IssuesWithheld } from "../../incidents/actionItems.js";
import type { ActionItem, Incident } from "../../incidents/model.js";
import { renderDuration } from "../../incidents/report/duration.js";
import { formatDueDate, formatMoment } from "../../incidents/time/format.js";
import { contextNote, cutText, packLines, page, splitText } from "../fit.js";
import { ActionIds } from "../ids.js";
import { writeActionItemOption } from "../values.js";

/** Items on one page of `/incident actions` (one section each) and in the resolution summary. */
export const ACTION_ITEMS_PER_PAGE = 20;
/** An item's text in a list; longer ones end with an ellipsis (the whole text is in its issue and the report). */
export const ITEM_TEXT_SHOWN = 500;
/** The resolution's text in the summary: two sections' worth; the report has all of it. */
const RESOLUTION_SHOWN = 5800;

/** One line for an item; `shorten` for lists, where a long text would crowd out the others. */
export function actionItemLine(item: ActionItem, options: { shorten?: boolean } = {}): string {
  const owner = item.ownerId ? ` · owner <@${item.ownerId}>` : "";
  const due = item.dueDate ? ` · due ${formatDueDate(item.dueDate)}` : "";
  const issue = item.issueUrl ? ` · <${item.issueUrl}|#${item.issueNumber}>` : item.status === "open" ? " · _issue pending_" : "";
  const shown = options.shorten ? cutText(item.text, ITEM_TEXT_SHOWN) : item.text;
  const text = item.status === "dropped" ? `~${shown}~` : shown;
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
  withheld && items.some((item) => item.status === "open" && !item.issueUrl) ? [contextNote(WITHHELD[withheld])] : [];

/** `/incident actions [page <n>]`: one page of the incident's items, each with Mark done / Drop while open. */
export function actionItemsMessage(
  incident: Pick<Incident, "number">,
  items: ActionItem[],
  requestedPage = 1,
  withheld: Withheld = null,
): { text: string; blocks: KnownBlock[] } {
  const title = `Action items of incident #${incident.number}`;
  if (items.length === 0) {
    return {
      text: title,
      blocks: [
        {
          type: "section",
          text: { type: "mrkdwn", text: "No action items yet. Add one with `/incident action <text> [@owner] [due <date>]`." },
        },
      ],
    };
  }
  const shown = page(items, requestedPage, ACTION_ITEMS_PER_PAGE);
  const range =
    shown.count > 1
      ? ` · page ${shown.number} of ${shown.count} (items ${shown.first + 1}–${shown.first + shown.items.length} of ${items.length})`
      : "";
  const blocks: KnownBlock[] = [contextNote(`*${title}*${range}`)];
  for (const item of shown.items) {
    blocks.push({
      type: "section",
      text: { type: "mrkdwn", text: actionItemLine(item, { shorten: true }) },
      ...(item.status === "open"
        ? {
            accessory: {
              type: "overflow",
              action_id: ActionIds.markActionDone,
              options: [
                { text: { type: "plain_text", text: "Mark done" }, value: writeActionItemOption("done", item.id, shown.number) },
                { text: { type: "plain_text", text: "Drop" }, value: writeActionItemOption("dropped", item.id, shown.number) },
              ],
            },
          }
        : {}),
    });
  }
  if (shown.count > 1) {
    const following = Math.min(ACTION_ITEMS_PER_PAGE, items.length - shown.first - shown.items.length);
    const next = shown.number < shown.count ? `\`/incident actions page ${shown.number + 1}\` shows the next ${following}` : "";
    const previous = shown.number > 1 ? `\`/incident actions page ${shown.number - 1}\` the previous ones` : "";
    blocks.push(contextNote([next, previous].filter(Boolean).join(" · ")));
  }
  return { text: `${title}${range}`, blocks: [...blocks, ...withheldNote(withheld, items)] };
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
      ? `${momentOrNotRecorded(incident.impactStartedAt)} → ${momentOrNotRecorded(incident.impactEndedAt)} ` +
        `(${renderDuration(incident.impactEndedAt.getTime() - incident.impactStartedAt.getTime())})`
      : `start ${momentOrNotRecorded(incident.impactStartedAt)}, end ${momentOrNotRecorded(incident.impactEndedAt)}`;
  const pending = items.filter((i) => i.status === "open" && !i.issueUrl);
  const text = `:white_check_mark: Incident #${incident.number} resolved after ${duration}.`;
  const blocks: KnownBlock[] = [{ type: "section", text: { type: "mrkdwn", text: `${text}\n*Impact:* ${impact}` } }];
  if (incident.resolution) {
    const resolution = cutText(incident.resolution, RESOLUTION_SHOWN, "… (the whole resolution is in the report: `/incident report`)");
    for (const part of splitText(`*Resolution:* ${resolution}`, 3000).parts)
      blocks.push({ type: "section", text: { type: "mrkdwn", text: part } });
  }
  const listed = items.slice(0, ACTION_ITEMS_PER_PAGE).map((item) => actionItemLine(item, { shorten: true }));
  const more = items.length - listed.length;
  if (more > 0) listed.push(`…and ${more} more: \`/incident actions page 2\` lists them.`);
  const lines = listed.length ? listed : ["_None recorded. Add them with `/incident action`._"];
  packLines(["*Action items*", ...lines]).forEach((chunk) => blocks.push({ type: "section", text: { type: "mrkdwn", text: chunk } }));
  blocks.push(...withheldNote(withheld, items));
  // Retrying cannot help issues that are withheld: only setting the repository can.
  if (pending.length > 0 && !withheld) {
    blocks.push({
      type: "actions",
      elements: [
        {
          type: "button",
          action_id: ActionIds.retryActionItemIssue,
          text: { type: "plain_text", text: `Retry ${pending.length} pending issue${pending.length > 1 ? "s" : ""}` },
          value: incident.id,
        },
      ],
    });
  }
  blocks.push(
    contextNote(
      "*Next:* the communication liaison runs `/incident report` to review the draft post-incident report; the tech lead approves it.",
    ),
  );
  return { text, blocks };
}
