// Block Kit for an incident seen from outside its channel: its announcement in INCIDENTS_CHANNEL
// (one message, updated in place) and the answer to `/incident declare` that everyone where it was
// typed sees. Both carry the Join button. Titles and resolutions are what people typed: they are
// shown as plain text, so they cannot format, link or mention anything.
import type { KnownBlock } from "@slack/types";
import type { Incident } from "../../incidents/model.js";
import { renderDuration } from "../../incidents/report/duration.js";
import { cutText, LIMITS } from "../fit.js";
import { ActionIds } from "../ids.js";
import { excerpt } from "./excerpt.js";

const plain = (text: string) => ({ type: "plain_text" as const, text, emoji: true });

/** Slack's limits that these blocks meet by construction. */
const RESOLUTION_CHARS = 600;

const headline = (incident: Pick<Incident, "number" | "title">) =>
  excerpt(`Incident #${incident.number}: ${incident.title}`, LIMITS.headerText);

/** The Join button: its value is the incident's id, read back with zod (listeners/actions/join.ts). */
export function joinButton(incident: Pick<Incident, "id" | "status">) {
  return {
    type: "button" as const,
    action_id: ActionIds.joinIncident,
    text: plain("Join"),
    value: incident.id,
    ...(incident.status === "resolved" ? {} : { style: "primary" as const }),
  };
}

/** The announcement: number, title, severity, status, commander, the channel and Join; the resolution once resolved. */
export function announcementMessage(incident: Incident): { text: string; blocks: KnownBlock[] } {
  const commander = incident.roles.commander ? `<@${incident.roles.commander}>` : "_unassigned_";
  const resolved = incident.status === "resolved" && incident.resolvedAt;
  const blocks: KnownBlock[] = [
    { type: "header", text: plain(cutText(`${resolved ? "Resolved: " : ""}${headline(incident)}`, LIMITS.headerText)) },
    {
      type: "section",
      fields: [
        { type: "mrkdwn", text: `*Severity:* ${incident.severity.toUpperCase()}` },
        { type: "mrkdwn", text: `*Status:* ${incident.status}` },
        { type: "mrkdwn", text: `*Commander:* ${commander}` },
        { type: "mrkdwn", text: `*Channel:* <#${incident.channelId}>` },
      ],
    },
  ];
  if (resolved) {
    const after = renderDuration(incident.resolvedAt!.getTime() - incident.declaredAt.getTime());
    blocks.push({
      type: "section",
      text: plain(`Resolved after ${after}${incident.resolution ? `: ${excerpt(incident.resolution, RESOLUTION_CHARS)}` : "."}`),
    });
  }
  blocks.push({ type: "actions", elements: [joinButton(incident)] });
  blocks.push({
    type: "context",
    elements: [
      {
        type: "mrkdwn",
        text: `Declared by <@${incident.declaredBy}>. *Join* adds you to the channel; the bot keeps this message up to date.`,
      },
    ],
  });
  const state = resolved ? "resolved" : incident.status;
  return {
    text: `Incident #${incident.number} (${incident.severity.toUpperCase()}, ${state}): ${excerpt(incident.title, LIMITS.headerText)}`,
    blocks,
  };
}

/**
 * The answer to a declaration, for everyone where it was typed: the incident, its channel, its
 * commander, Join. A private incident's is for the declarer alone, with no Join: they bring people in.
 */
export function declarationMessage(incident: Incident): { text: string; blocks: KnownBlock[] } {
  const commander = incident.roles.commander ?? incident.declaredBy;
  if (incident.private) {
    return {
      text: `Declared private incident #${incident.number}: <#${incident.channelId}>. Only people invited are in it.`,
      blocks: [
        { type: "section", text: plain(`🔒 ${headline(incident)} (${incident.severity.toUpperCase()}, private)`) },
        {
          type: "context",
          elements: [
            {
              type: "mrkdwn",
              text:
                `A private channel, <#${incident.channelId}>: only people invited are in it, and you are the incident commander. ` +
                "Bring people in with `/incident invite @user` there. It is not announced, and nothing of it leaves the channel.",
            },
          ],
        },
      ],
    };
  }
  return {
    text: `Declared incident #${incident.number}: <#${incident.channelId}>. <@${commander}> is the incident commander.`,
    blocks: [
      { type: "section", text: plain(`🚨 ${headline(incident)} (${incident.severity.toUpperCase()})`) },
      {
        type: "context",
        elements: [
          {
            type: "mrkdwn",
            text:
              `Declared by <@${incident.declaredBy}>; <@${commander}> is the incident commander. ` +
              `The response happens in <#${incident.channelId}>.`,
          },
        ],
      },
      { type: "actions", elements: [joinButton(incident)] },
    ],
  };
}
