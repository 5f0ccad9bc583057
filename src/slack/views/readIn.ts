// Block Kit for the read-in (src/incidents/readIn.ts): the direct message someone gets when they
// join an incident channel, and what `/incident brief` shows. At most eight blocks, each within
// Slack's limits whatever the incident's size: texts are shortened with a link to the whole
// message, lists are counted, and the three commands a newcomer needs close it.
import type { KnownBlock } from "@slack/types";
import { ROLE_LABELS, ROLES } from "../../incidents/model.js";
import type { ReadIn, ReadInHighlight } from "../../incidents/readIn.js";
import { renderDuration } from "../../incidents/report/duration.js";
import { formatDueDate, formatMoment } from "../../incidents/time/format.js";
import { escapeForSlack } from "../../incidents/slackEscapes.js";
import { LIMITS, packLines } from "../fit.js";
import { excerpt, nameInMrkdwn } from "./excerpt.js";

const UPDATE_CHARS = 700;
const HIGHLIGHT_CHARS = 280;
const ACTION_ITEM_CHARS = 160;

/** The commands someone joining late most likely needs, and what each is for. */
export const NEWCOMER_COMMANDS = [
  ["/incident log <what you saw or did>", "adds it to the timeline"],
  ["/incident actions", "lists the action items, to mark them done"],
  ["/incident brief", "shows this summary again, up to date"],
] as const;

/** A section of text the builder sized: each list below is packed to fit one (packLines), so nothing is cut here. */
const section = (text: string): KnownBlock => ({ type: "section", text: { type: "mrkdwn", text } });

/** A heading and the first lines of `total` in one section: as many as fit, then where the rest is. */
function listSection(heading: string, lines: string[], total: number, rest: (hidden: number) => string): KnownBlock {
  const [fitting = ""] = packLines(lines, LIMITS.sectionText - heading.length - 200);
  const shown = fitting ? fitting.split("\n").length : 0;
  return section(`${heading}\n${fitting}${shown < total ? `\n${rest(total - shown)}` : ""}`);
}

/** A message of the incident channel (or, quoted, of another): its link, when the workspace's address is known. */
function linkOf(highlight: ReadInHighlight, channelId: string, teamUrl: string | null): string | null {
  if (highlight.source) return highlight.source.permalink;
  if (!highlight.ts || !teamUrl) return null;
  return `${teamUrl.replace(/\/+$/, "")}/archives/${channelId}/p${highlight.ts.replace(".", "")}`;
}

function highlightLine(readIn: ReadIn, highlight: ReadInHighlight, teamUrl: string | null): string {
  const time = formatMoment(highlight.at, readIn.timeZone, "short");
  const link = linkOf(highlight, readIn.incident.channelId, teamUrl);
  const who = highlight.authorId
    ? `<@${highlight.authorId}>`
    : highlight.source?.authorName
      ? nameInMrkdwn(highlight.source.authorName)
      : "";
  const where = highlight.source
    ? ` in ${highlight.source.channelName ? `#${nameInMrkdwn(highlight.source.channelName, 80)}` : "a direct message"}`
    : "";
  const text = excerpt(highlight.text, HIGHLIGHT_CHARS);
  const cut = text.endsWith("…") && link ? ` <${link}|(whole message)>` : "";
  const stamp = link ? `<${link}|${time}>` : time;
  return `• ${stamp} ${highlight.kind === "log" ? "logged by " : ""}${who}${where}: ${text}${cut}`;
}

/** The read-in as a message. `joined`: sent because they joined (a direct message), not asked for. */
export function readInMessage(
  readIn: ReadIn,
  options: { teamUrl: string | null; joined: boolean },
): { text: string; blocks: KnownBlock[] } {
  const { incident, timeZone } = readIn;
  const moment = (at: Date | null) => (at ? formatMoment(at, timeZone, "short") : "_not set_");
  const going = incident.resolvedAt
    ? `*Resolved after:* ${renderDuration(readIn.openForMs)}`
    : `*Going for:* ${renderDuration(readIn.openForMs)}`;
  const roles = ROLES.map((role) => ({
    type: "mrkdwn" as const,
    text: `*${ROLE_LABELS[role]}:* ${incident.roles[role] ? `<@${incident.roles[role]}>` : "_unassigned_"}`,
  }));
  const title = excerpt(`Incident #${incident.number}: ${incident.title}`, LIMITS.headerText);
  const blocks: KnownBlock[] = [
    { type: "header", text: { type: "plain_text", text: title, emoji: true } },
    section(
      options.joined
        ? `You joined <#${incident.channelId}>. Here is where the incident stands, from its record.`
        : `Where <#${incident.channelId}> stands, from its record.`,
    ),
    {
      type: "section",
      fields: [
        { type: "mrkdwn" as const, text: `*Severity:* ${incident.severity.toUpperCase()}` },
        { type: "mrkdwn" as const, text: `*Status:* ${incident.status}` },
        { type: "mrkdwn" as const, text: going },
        ...roles,
        { type: "mrkdwn" as const, text: `*Impact started:* ${moment(incident.impactStartedAt)}` },
        { type: "mrkdwn" as const, text: `*Detected:* ${moment(incident.detectedAt)}` },
      ].slice(0, 10),
    },
  ];

  const update = readIn.latestUpdate;
  if (update) {
    const when = update.publishedAt ? ` at ${formatMoment(update.publishedAt, timeZone, "short")}` : "";
    blocks.push(
      section(
        `*Latest update* (for ${update.public ? "customers" : "stakeholders"}, by <@${update.postedBy}>${when})\n` +
          // A customer update is stored as typed (plain text): escaped, it shows as typed and links nothing.
          `> ${excerpt(update.public ? escapeForSlack(update.text) : update.text, UPDATE_CHARS)}`,
      ),
    );
  } else {
    blocks.push(section("*Latest update:* none yet."));
  }

  if (readIn.highlights.length > 0) {
    const of =
      readIn.highlightCount > readIn.highlights.length ? ` (the last ${readIn.highlights.length} of ${readIn.highlightCount})` : "";
    const lines = readIn.highlights.map((h) => highlightLine(readIn, h, options.teamUrl));
    const more = (hidden: number) => `…and ${hidden} more in the channel's pins and timeline.`;
    blocks.push(listSection(`*Highlights*${of}`, lines, lines.length, more));
  } else {
    blocks.push(section("*Highlights:* none yet. Pin a message (📌 or _Pin to channel_) or use `/incident log` to add one."));
  }

  if (readIn.openActionItems.length > 0) {
    const lines = readIn.openActionItems.map((item) => {
      const owner = item.ownerId ? ` · owner <@${item.ownerId}>` : "";
      const due = item.dueDate ? ` · due ${formatDueDate(item.dueDate)}` : "";
      return `• *${item.number}.* ${excerpt(item.text, ACTION_ITEM_CHARS)}${owner}${due}`;
    });
    blocks.push(
      listSection(
        "*Open action items*",
        lines,
        readIn.openActionItemCount,
        (hidden) => `…and ${hidden} more: \`/incident actions\` lists them all.`,
      ),
    );
  } else {
    blocks.push(section("*Open action items:* none."));
  }

  blocks.push(
    section(
      `*Commands you may need* (in <#${incident.channelId}>)\n` +
        NEWCOMER_COMMANDS.map(([command, what]) => `• \`${command}\` ${what}`).join("\n"),
    ),
  );
  blocks.push({
    type: "context",
    elements: [{ type: "mrkdwn", text: `Times in ${timeZone}. \`/incident help\` lists every command.` }],
  });
  return { text: `${title}: ${incident.severity.toUpperCase()}, ${incident.status}`, blocks };
}
