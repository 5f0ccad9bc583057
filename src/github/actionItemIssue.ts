// How an action item reads as a GitHub issue: its title and Markdown body. The domain says which
// item, of which incident, with whose names (src/incidents/actionItems.ts); this says it in
// GitHub's words, as src/slack says things in Slack's. People's text arrives in Slack's markup and
// leaves as Markdown; issueTracker.ts then makes it safe for GitHub (no pings, references or HTML).
import type { ActionItem, Incident } from "../incidents/model.js";
import { slackCodeToText, type SlackNames, slackProseToMarkdown, userName } from "../incidents/report/slackMarkdown.js";
import { formatDueDate, formatInZone } from "../incidents/time/format.js";

/** GitHub shows about this much of a title in lists; longer ones are cut with an ellipsis. */
const TITLE_LIMIT = 120;

export interface ActionItemIssueFacts {
  item: Pick<ActionItem, "text" | "ownerId" | "dueDate">;
  incident: Pick<Incident, "number" | "title" | "severity" | "channelName" | "declaredAt" | "resolvedAt" | "summary">;
  /** Names of the people and channels the item's text mentions. */
  names: SlackNames;
}

export function actionItemIssueTitle({ item, names }: ActionItemIssueFacts): string {
  const title = slackCodeToText(item.text, names).replace(/\s+/g, " ").trim();
  return title.length > TITLE_LIMIT ? `${title.slice(0, TITLE_LIMIT - 3)}...` : title;
}

/** Text typed in Slack as a Markdown quote: names for mentions, Slack's escapes decoded. */
const quote = (text: string, names: SlackNames) =>
  slackProseToMarkdown(text, names)
    .split("\n")
    .map((line) => `> ${line}`);

export function actionItemIssueBody({ item, incident, names }: ActionItemIssueFacts, timeZone: string): string {
  const at = (moment: Date) => `${formatInZone(moment, timeZone, "yyyy-MM-dd HH:mm")} (${timeZone})`;
  const title = slackProseToMarkdown(incident.title.replace(/\s+/g, " ").trim(), names);
  const lines = [
    `Action item from **incident #${incident.number}: ${title}** (${incident.severity.toUpperCase()}).`,
    "",
    ...quote(item.text, names),
    "",
    ...(item.ownerId ? [`- Owner: ${userName(names, item.ownerId)}`] : []),
    `- Incident channel: #${incident.channelName}`,
    `- Declared: ${at(incident.declaredAt)}`,
    ...(incident.resolvedAt ? [`- Resolved: ${at(incident.resolvedAt)}`] : []),
    ...(item.dueDate ? [`- Due: ${formatDueDate(item.dueDate)}`] : []),
    ...(incident.summary ? ["", "**Incident summary:**", "", ...quote(incident.summary, names)] : []),
    "",
    `The post-incident report: \`incident-bot report ${incident.number}\`, or \`/incident report\` in #${incident.channelName}.`,
  ];
  return lines.join("\n");
}
