// Block Kit for `/incident followups`: open action items across incidents, for the tech lead to
// bring into the next sprint. Kept well inside Slack's limits (50 blocks, 3,000 characters a
// section): at most FOLLOW_UPS_SHOWN items, each text shortened, and a count of the rest.
import type { KnownBlock } from "@slack/types";
import { ageInDays, isOverdue, teamDay } from "../../incidents/followups.js";
import type { FollowUp } from "../../incidents/ports/actionItemStore.js";
import { formatDueDate } from "../../incidents/time/format.js";
import { cutText, LIMITS } from "../fit.js";

export const FOLLOW_UPS_SHOWN = 25;
const TEXT_SHOWN = 300;
/** An incident's title in a list line; a title is one line, but nothing stops it being long. */
const TITLE_SHOWN = 150;

export type FollowUpsFilter = "all" | "mine" | "overdue";

const shorten = (text: string) => {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length > TEXT_SHOWN ? `${flat.slice(0, TEXT_SHOWN - 1)}…` : flat;
};

export function followUpLine({ item, incident }: FollowUp, now: Date, timeZone: string): string {
  const owner = item.ownerId ? `owner <@${item.ownerId}>` : "_no owner_";
  const due = item.dueDate
    ? `due ${formatDueDate(item.dueDate)}${isOverdue(item, teamDay(now, timeZone)) ? " :warning: *overdue*" : ""}`
    : "_no due date_";
  const age = ageInDays(item, now);
  const issue = item.issueUrl ? `<${item.issueUrl}|#${item.issueNumber}>` : "_issue pending_";
  const old = age === 0 ? "added today" : `${age} day${age === 1 ? "" : "s"} old`;
  const title = cutText(incident.title, TITLE_SHOWN);
  const line = `*#${incident.number}* ${title} · *${item.number}.* ${shorten(item.text)}\n${owner} · ${due} · ${old} · ${issue}`;
  return cutText(line, LIMITS.sectionText);
}

const TITLES: Record<FollowUpsFilter, string> = {
  all: "Open action items",
  mine: "Your open action items",
  overdue: "Overdue action items",
};
const NONE: Record<FollowUpsFilter, string> = {
  all: "No open action items. :tada:",
  mine: "You own no open action items.",
  overdue: "No action item is overdue.",
};

export function followUpsBlocks(
  filter: FollowUpsFilter,
  list: { items: FollowUp[]; total: number },
  now: Date,
  timeZone: string,
): { text: string; blocks: KnownBlock[] } {
  const text = `${TITLES[filter]}: ${list.total}`;
  if (list.total === 0) return { text: NONE[filter], blocks: [{ type: "section", text: { type: "mrkdwn", text: NONE[filter] } }] };
  const blocks: KnownBlock[] = [
    { type: "section", text: { type: "mrkdwn", text: `*${TITLES[filter]}* (${list.total}, oldest first)` } },
    ...list.items.map((followUp): KnownBlock => ({
      type: "section",
      text: { type: "mrkdwn", text: followUpLine(followUp, now, timeZone) },
    })),
  ];
  const more = list.total - list.items.length;
  const hint = filter === "all" ? "`/incident followups mine` or `overdue` narrows the list; " : "";
  blocks.push({
    type: "context",
    elements: [{ type: "mrkdwn", text: `${more > 0 ? `…and ${more} more. ` : ""}${hint}\`incident-bot followups\` prints them all.` }],
  });
  return { text, blocks };
}
