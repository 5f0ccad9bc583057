// Block Kit for customer-facing updates: the private preview the liaison confirms, and what it
// becomes once published or cancelled. The preview shows the text exactly as it will be published
// (plain text: what customers read is not Slack markup), the public title and the status. That
// text is stored as typed, so it is escaped for Slack here like any other text sent to Slack.
import type { KnownBlock } from "@slack/types";
import { escapeForSlack } from "../../incidents/slackEscapes.js";
import type { PublicUpdatePreview } from "../../incidents/updates.js";
import { ActionIds } from "../ids.js";

const plain = (text: string) => ({ type: "plain_text" as const, text, emoji: false });
/** Customers' words (plain text as typed) in a Slack text object. */
const typed = (text: string) => plain(escapeForSlack(text));

function facts(preview: PublicUpdatePreview): KnownBlock[] {
  return [
    {
      type: "section",
      fields: [
        { type: "mrkdwn", text: "*Appears under*" },
        { type: "mrkdwn", text: "*Status*" },
        typed(preview.title),
        plain(preview.status),
      ],
    },
    { type: "section", text: typed(preview.update.text) },
  ];
}

export function publicUpdatePreview(preview: PublicUpdatePreview): { text: string; blocks: KnownBlock[] } {
  return {
    text:
      `Preview of an update for customers, under “${escapeForSlack(preview.title)}” (${preview.status}): ` +
      escapeForSlack(preview.update.text),
    blocks: [
      { type: "header", text: plain("Update for customers: preview") },
      ...facts(preview),
      {
        type: "context",
        elements: [
          {
            type: "mrkdwn",
            text:
              "Names, Slack links, commands and secrets were taken out. Only you see this; nothing is published until you press *Publish*. " +
              "Change the name customers see with `/incident public-title <text>`.",
          },
        ],
      },
      {
        type: "actions",
        elements: [
          { type: "button", action_id: ActionIds.publishUpdate, style: "primary", text: plain("Publish"), value: preview.update.id },
          { type: "button", action_id: ActionIds.cancelUpdate, text: plain("Cancel"), value: preview.update.id },
        ],
      },
    ],
  };
}

export function publishedUpdate(preview: PublicUpdatePreview): { text: string; blocks: KnownBlock[] } {
  const text = `Published for customers, under “${escapeForSlack(preview.title)}” (${preview.status}).`;
  return {
    text,
    blocks: [{ type: "section", text: { type: "mrkdwn", text: ":white_check_mark: *Published for customers.*" } }, ...facts(preview)],
  };
}

export const cancelledUpdate = { text: "Cancelled: the update was not published." } as const;
