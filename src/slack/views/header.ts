// The pinned header of an incident channel: always the current state, updated in place. It is
// rendered again on every change, so it must fit Slack's limits whatever people typed: the title is
// cut to a header's 150 characters, and the summary to a section's 3,000 with a pointer to where
// the whole summary is (the report), since a header Slack refuses would show nothing at all.
import type { KnownBlock } from "@slack/types";
import type { Incident, ReportState } from "../../incidents/model.js";
import { ROLE_LABELS, ROLES } from "../../incidents/model.js";
import { renderDuration } from "../../incidents/report/duration.js";
import { formatMoment } from "../../incidents/time/format.js";
import { SECOND_MS } from "../../incidents/time/durations.js";
import { cutText, LIMITS } from "../fit.js";

const SUMMARY_LABEL = "*Summary:* ";
const SUMMARY_CUT = "… (the whole summary is in the report: `/incident report`)";
const SUMMARY_SHOWN = LIMITS.sectionText - SUMMARY_LABEL.length;
const summarySection = (summary: string): KnownBlock => ({
  type: "section",
  text: { type: "mrkdwn", text: SUMMARY_LABEL + cutText(summary, SUMMARY_SHOWN, SUMMARY_CUT) },
});

const STATUS_EMOJI = { investigating: ":mag:", identified: ":bulb:", monitoring: ":eyes:", resolved: ":white_check_mark:" } as const;

const momentOrNotSet = (at: Date | null, timeZone: string) => (at ? formatMoment(at, timeZone, "short") : "_not set_");

export function headerText(incident: Incident): string {
  const facts = [incident.status, incident.severity.toUpperCase(), ...(incident.private ? ["private"] : [])];
  return `Incident #${incident.number}: ${incident.title} (${facts.join(", ")})`;
}

/** What the header says of a private incident: people are brought in by hand, and nothing leaves the channel. */
const PRIVATE_NOTE =
  "🔒 *Private incident:* only people invited see this channel (`/incident invite @user`); " +
  "it is not announced, updates stay here, customers hear nothing, issues and the report go only to private repositories.";

export type HeaderReport = Pick<ReportState, "status" | "publishedUrl">;

export function headerBlocks(incident: Incident, options: { timeZone: string; now: Date; report?: HeaderReport }): KnownBlock[] {
  const { timeZone, now, report } = options;
  const end = incident.resolvedAt ?? now;
  const declaredTs = Math.floor(incident.declaredAt.getTime() / SECOND_MS);
  const lock = incident.private ? "🔒 " : "";
  const roles = ROLES.map((role) => `*${ROLE_LABELS[role]}:* ${incident.roles[role] ? `<@${incident.roles[role]}>` : "_unassigned_"}`);
  return [
    {
      type: "header",
      text: { type: "plain_text", text: cutText(`${lock}Incident #${incident.number}: ${incident.title}`, LIMITS.headerText) },
    },
    {
      type: "section",
      fields: [
        { type: "mrkdwn", text: `*Status:* ${STATUS_EMOJI[incident.status]} ${incident.status}` },
        { type: "mrkdwn", text: `*Severity:* ${incident.severity.toUpperCase()}` },
        ...roles.map((text) => ({ type: "mrkdwn" as const, text })),
        { type: "mrkdwn", text: `*Impact start:* ${momentOrNotSet(incident.impactStartedAt, timeZone)}` },
        { type: "mrkdwn", text: `*Impact end:* ${momentOrNotSet(incident.impactEndedAt, timeZone)}` },
      ],
    },
    ...(incident.private ? [{ type: "section" as const, text: { type: "mrkdwn" as const, text: PRIVATE_NOTE } }] : []),
    ...(incident.summary ? [summarySection(incident.summary)] : []),
    ...(report
      ? [
          {
            type: "section" as const,
            text: {
              type: "mrkdwn" as const,
              text: `*Report:* ${report.status.replace("_", " ")}${report.publishedUrl ? ` · <${report.publishedUrl}|read it>` : ""}`,
            },
          },
        ]
      : []),
    {
      type: "context",
      elements: [
        {
          type: "mrkdwn",
          text:
            `Declared by <@${incident.declaredBy}> <!date^${declaredTs}^{date_short_pretty} {time}|${formatMoment(incident.declaredAt, timeZone, "short")}>` +
            ` · ${incident.resolvedAt ? "was open for" : "open for"} ${renderDuration(end.getTime() - incident.declaredAt.getTime())}` +
            ` · times in ${timeZone} · \`/incident help\` for commands`,
        },
      ],
    },
  ];
}
