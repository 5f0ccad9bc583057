// The domain's notices (src/incidents/notices.ts) in Slack's words: who did what, with mentions,
// bold and the commands to type. One rendering per kind; the table does not compile without one.
import type { ActionItem } from "../incidents/model.js";
import type { Notice, NoticeKind } from "../incidents/notices.js";
import { escapeForSlack } from "../incidents/slackEscapes.js";
import { formatDueDate } from "../incidents/time/format.js";
import { changeText, type ChangeContext } from "./changeText.js";
import { cutText } from "./fit.js";

/** A person, as Slack shows (and notifies) them. */
export const mention = (userId: string) => `<@${userId}>`;

/** An item's issue, linked when its address is known. */
const issueRef = (item: Pick<ActionItem, "issueNumber" | "issueUrl">) =>
  item.issueUrl ? `<${item.issueUrl}|#${item.issueNumber}>` : `#${item.issueNumber}`;

const quoted = (text: string) =>
  text
    .split("\n")
    .map((line) => `> ${line}`)
    .join("\n");

/** Action items named in a reminder, and how much of each one's text: a message is read, and Slack caps its length. */
const ITEMS_NAMED = 10;
const ITEM_TEXT_NAMED = 300;

/** People named in a notice; a long list is cut (a message is read, and Slack caps its length). */
const PEOPLE_NAMED = 40;
const people = (ids: readonly string[], label: (id: string) => string = mention) => {
  const named = ids.slice(0, PEOPLE_NAMED).map(label).join(", ");
  return ids.length > PEOPLE_NAMED ? `${named} and ${ids.length - PEOPLE_NAMED} more` : named;
};

/** Why Slack would not invite someone (conversations.invite's error codes), in words. */
export function inviteRefusal(reason: string): string {
  switch (reason) {
    case "user_not_found":
      return "not a user in this workspace";
    case "user_is_restricted":
    case "user_is_ultra_restricted":
    case "cant_invite":
      return "a guest or external account Slack does not let the bot invite";
    case "is_archived":
      return "the channel is archived";
    case "user_is_bot":
      return "an app, not a person";
    case "error":
      return "Slack did not answer";
    default:
      return `Slack said \`${reason}\``;
  }
}

/** What a rendering needs besides the notice: times are shown in the team's zone. */
export type NoticeContext = ChangeContext;

type Renderings = { [K in NoticeKind]: (notice: Extract<Notice, { kind: K }>, context: NoticeContext) => string };

const NOTICES: Renderings = {
  changed: ({ by, change }, context) => `${mention(by)} ${changeText(change, context)}`,
  action_item_added: ({ by, item }) => {
    const owner = item.ownerId ? ` (owner ${mention(item.ownerId)})` : "";
    const due = item.dueDate ? ` due ${formatDueDate(item.dueDate)}` : "";
    return `${mention(by)} added action item ${item.number}: ${item.text}${owner}${due}`;
  },
  action_item_followed: ({ change, item }) =>
    change === "done"
      ? `:white_check_mark: Action item ${item.number} is done: its issue ${issueRef(item)} was closed on GitHub. ${item.text}`
      : change === "reopened"
        ? `:arrows_counterclockwise: Action item ${item.number} is open again: its issue ${issueRef(item)} was reopened on GitHub. ${item.text}`
        : `Issue ${issueRef(item)} of action item ${item.number} was deleted or moved on GitHub; the bot no longer follows it. ${item.text}`,
  action_item_overdue: ({ item, incident }) => {
    const issue = item.issueUrl ? ` Its issue: ${issueRef(item)}.` : "";
    return (
      `:alarm_clock: Your action item ${item.number} from incident #${incident.number} (${incident.title}) ` +
      `was due ${formatDueDate(item.dueDate!)} and is still open: ${item.text}${issue} ` +
      `Close the issue when it is done, or mark it done with \`/incident actions\` in <#${incident.channelId}>.`
    );
  },
  action_item_overdue_here: ({ to, item }) => {
    const issue = item.issueUrl ? ` Its issue: ${issueRef(item)}.` : "";
    return (
      `:alarm_clock: ${mention(to)}, action item ${item.number} was due ${formatDueDate(item.dueDate!)} ` +
      `and is still open: ${item.text}${issue} ` +
      "Close the issue when it is done, or mark it done with `/incident actions`."
    );
  },
  action_items_incomplete: ({ to, incidentNumber, items }) => {
    // A long list is named in part, each item shortened: the whole of it is one command away.
    const lines = items.slice(0, ITEMS_NAMED).map((item) => {
      const missing = [item.ownerId ? null : "no owner", item.dueDate ? null : "no due date"].filter(Boolean).join(", ");
      return `• *${item.number}.* ${cutText(item.text, ITEM_TEXT_NAMED)} (${missing})`;
    });
    if (items.length > ITEMS_NAMED) lines.push(`…and ${items.length - ITEMS_NAMED} more: \`/incident followups\` lists them all.`);
    const these = items.length === 1 ? "this action item has" : "these action items have";
    return (
      `${mention(to)}, incident #${incidentNumber} was resolved a week ago and ${these} no owner or due date yet:\n${lines.join("\n")}\n` +
      "Give each an owner and a date so it gets done (`/incident assign <number> @owner due <date>`), or drop it (`/incident actions`)."
    );
  },
  report_section_edited: ({ by, section, version, backToReview }) =>
    `${mention(by)} edited the report's *${section}* section (version ${version})${backToReview ? "; it needs approval again" : ""}.`,
  report_review_requested: ({ by, techLeadId, incidentNumber, version, findings }) => {
    const warnings = findings ? ` The blameless check found ${findings} sentence${findings > 1 ? "s" : ""} to look at.` : "";
    return `${mention(techLeadId)}, ${mention(by)} asks you to review the report of incident #${incidentNumber} (version ${version}).${warnings}`;
  },
  report_approved: ({ by, version }) => `${mention(by)} approved the report (version ${version}). It can be published.`,
  report_changes_requested: ({ by, liaisonId, comment }) =>
    `${liaisonId ? `${mention(liaisonId)}, ` : ""}${mention(by)} requested changes to the report: ${comment}`,
  report_published: ({ by, url }) => `${mention(by)} published the report: ${url}`,
  report_late: ({ to, incidentNumber, hours }) =>
    `${mention(to)}, the report of incident #${incidentNumber} is not published yet, ${hours} h after it was resolved. Run \`/incident report\` to finish it.`,
  stakeholder_update: ({ by, text }) => `:mega: ${mention(by)} posted an update for stakeholders:\n${quoted(text)}`,
  stakeholder_update_elsewhere: ({ by, text, incident }) =>
    `:mega: *Incident #${incident.number}: ${incident.title}* (${incident.severity.toUpperCase()} · ${incident.status}) ` +
    `in <#${incident.channelId}>\n${quoted(text)}\n— ${mention(by)}`,
  // What customers read is plain text as typed: escaped here so Slack shows it the same way.
  public_update_published: ({ by, title, status, text }) =>
    `:globe_with_meridians: ${mention(by)} published an update for customers, under “${escapeForSlack(title)}” (${status}):\n` +
    quoted(escapeForSlack(text)),
  public_title_set: ({ by, title, previous }) =>
    `${mention(by)} set the public title (what customers see) to “${escapeForSlack(title)}”` +
    `${previous ? ` (was “${escapeForSlack(previous)}”)` : ""}.`,
  invited_for_severity: ({ severity, list, invited, refused, unreadGroups }) => {
    const parts: string[] = [];
    const setting = list === "private" ? "INVITE_ON_DECLARE_PRIVATE" : "INVITE_ON_DECLARE";
    if (invited.length) {
      parts.push(`:busts_in_silhouette: Invited ${people(invited)} for ${severity.toUpperCase()} (\`${setting}\`).`);
    }
    if (refused.length) {
      const why = new Map(refused.map((r) => [r.userId, inviteRefusal(r.reason)]));
      parts.push(`Slack would not invite ${people([...why.keys()], (id) => `${mention(id)} (${why.get(id)})`)}.`);
    }
    if (unreadGroups.length) {
      const groups = unreadGroups.map((id) => `\`${id}\``).join(", ");
      parts.push(
        `The bot could not read the members of the user group${unreadGroups.length > 1 ? "s" : ""} ${groups}: ` +
          `check \`${setting}\` and the bot's \`usergroups:read\` scope.`,
      );
    }
    return parts.join("\n");
  },
  updates_overdue: ({ to, incidentNumber, severity, minutes, customers }) =>
    `${mention(to)}, no update has been posted on incident #${incidentNumber} (${severity.toUpperCase()}) for ${minutes} minutes. ` +
    (customers
      ? "Tell stakeholders where things stand with `/incident update <text>`, and customers with `/incident update public <text>`."
      : "Tell stakeholders where things stand with `/incident update <text>` (it stays in this channel: the incident is private)."),
};

/** The notice as the message the channel (or, for a reminder to one person, their DM) sees. */
export function noticeText(notice: Notice, context: NoticeContext): string {
  return (NOTICES[notice.kind] as (notice: Notice, context: NoticeContext) => string)(notice, context);
}
