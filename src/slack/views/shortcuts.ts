// Block Kit for the shortcuts' modals: "Add to incident timeline" (choose an open incident) and
// "Declare incident" (title, severity, optional summary; from a message, also when it was
// detected). Within a modal's limits by construction: at most 100 incidents to choose from, option
// texts cut to 75 characters, the message shown shortened. What a modal carries back to its
// submission is in private_metadata, read with zod (listeners/views/shortcuts.ts).
import type { KnownBlock, ModalView, PlainTextOption } from "@slack/types";
import type { Incident, PickedMessage } from "../../incidents/model.js";
import { SEVERITIES, type Severity } from "../../incidents/model.js";
import { slackTsToDate } from "../../incidents/slackTime.js";
import { formatMoment } from "../../incidents/time/format.js";
import { LIMITS } from "../fit.js";
import { BlockIds, CallbackIds } from "../ids.js";
import { writeAddToTimelineForm, writeDeclareForm } from "../values.js";
import { excerpt, nameInMrkdwn, plainExcerpt } from "./excerpt.js";

/** Slack's limits: options in a select, characters in an option's text, a modal's title. */
export const MAX_OPTIONS = 100;
const PREVIEW_CHARS = 500;
export const TITLE_CHARS = 120;
const SUMMARY_CHARS = 2000;
/** A title prefilled from a message: its first line, short enough to name a channel. */
const PREFILLED_TITLE_CHARS = 80;

const plain = (text: string) => ({ type: "plain_text" as const, text, emoji: true });

/** "From #alerts, Grafana, at Tue 12 Aug 17:32 BST:" and the message, shortened. */
function messagePreview(picked: PickedMessage, timeZone: string): KnownBlock {
  const { source } = picked;
  const where = source.channelName ? `<#${source.channelId}>` : "a direct message";
  const who = source.authorId ? `<@${source.authorId}>` : nameInMrkdwn(source.authorName ?? "an app");
  const at = formatMoment(slackTsToDate(source.ts), timeZone, "short");
  const text = picked.text.trim() ? excerpt(picked.text, PREVIEW_CHARS) : "_(no text)_";
  return { type: "section", text: { type: "mrkdwn", text: `From ${where}, ${who}, at ${at}:\n>${text}` } };
}

function incidentOption(incident: Incident): PlainTextOption {
  const label = `#${incident.number} `;
  const severity = ` (${incident.severity.toUpperCase()})`;
  return {
    text: plain(`${label}${plainExcerpt(incident.title, LIMITS.optionText - label.length - severity.length)}${severity}`),
    value: incident.id,
  };
}

/**
 * Choose the open incident the message goes to; `incidents` most recently declared first, the one
 * whose channel the message is in preselected.
 */
export function addToTimelineModal(options: {
  incidents: Incident[];
  preselectedId: string | null;
  picked: PickedMessage;
  timeZone: string;
  responseUrl?: string;
}): ModalView {
  // The message's own incident comes first, so it is offered (and chosen) however many are open.
  const preselected = options.incidents.find((incident) => incident.id === options.preselectedId);
  const shown = (
    preselected ? [preselected, ...options.incidents.filter((incident) => incident !== preselected)] : options.incidents
  ).slice(0, MAX_OPTIONS);
  const blocks: KnownBlock[] = [
    messagePreview(options.picked, options.timeZone),
    {
      type: "input",
      block_id: BlockIds.timelineIncident,
      label: plain("Incident"),
      element: {
        type: "static_select",
        action_id: BlockIds.timelineIncident,
        placeholder: plain("Choose an open incident"),
        options: shown.map(incidentOption),
        ...(preselected ? { initial_option: incidentOption(preselected) } : {}),
      },
    },
  ];
  const more = options.incidents.length - shown.length;
  const note = more > 0 ? `Showing the ${MAX_OPTIONS} most recently declared of ${options.incidents.length} open incidents. ` : "";
  blocks.push({
    type: "context",
    elements: [
      {
        type: "mrkdwn",
        text: `${note}The message goes into the timeline as a highlight: its time, author, text (secrets redacted) and a link to it.`,
      },
    ],
  });
  return {
    type: "modal",
    callback_id: CallbackIds.addToTimelineModal,
    title: plain("Add to timeline"),
    submit: plain("Add"),
    close: plain("Cancel"),
    private_metadata: writeAddToTimelineForm({ pickedId: options.picked.id, responseUrl: options.responseUrl }),
    blocks,
  };
}

const severityOption = (severity: Severity): PlainTextOption => ({ text: plain(severity.toUpperCase()), value: severity });

/** A title from a message: its first line with words, in plain words, shortened. */
export const titleFrom = (text: string) => plainExcerpt(text.split("\n").find((line) => line.trim()) ?? "", PREFILLED_TITLE_CHARS);

/** The Private checkbox's one option (its value is what the submission reads). */
export const PRIVATE_OPTION = "private";

/** Declare an incident; from a message, that message is its detection (its time, unless changed here); private when ticked. */
export function declareModal(options: { picked?: PickedMessage; timeZone: string; responseUrl?: string }): ModalView {
  const { picked } = options;
  const prefilled = picked ? titleFrom(picked.text) : "";
  const blocks: KnownBlock[] = [
    ...(picked ? [messagePreview(picked, options.timeZone)] : []),
    {
      type: "input",
      block_id: BlockIds.declareTitle,
      label: plain("Title"),
      hint: plain("What is wrong, in a few words. It also names the incident's channel."),
      element: {
        type: "plain_text_input",
        action_id: BlockIds.declareTitle,
        max_length: TITLE_CHARS,
        ...(prefilled ? { initial_value: prefilled } : {}),
      },
    },
    {
      type: "input",
      block_id: BlockIds.declareSeverity,
      label: plain("Severity"),
      element: {
        type: "static_select",
        action_id: BlockIds.declareSeverity,
        options: SEVERITIES.map(severityOption),
        initial_option: severityOption("sev3"),
      },
    },
    {
      type: "input",
      block_id: BlockIds.declareSummary,
      label: plain("Summary"),
      optional: true,
      element: { type: "plain_text_input", action_id: BlockIds.declareSummary, multiline: true, max_length: SUMMARY_CHARS },
    },
    {
      type: "input",
      block_id: BlockIds.declarePrivate,
      label: plain("Visibility"),
      optional: true,
      hint: plain("For security, customer data or HR: not announced, no status page, issues and report in private repositories."),
      element: {
        type: "checkboxes",
        action_id: BlockIds.declarePrivate,
        options: [
          {
            text: plain("Private incident"),
            value: PRIVATE_OPTION,
            description: plain("A private channel with only you in it; invite people yourself."),
          },
        ],
      },
    },
  ];
  if (picked) {
    blocks.push({
      type: "input",
      block_id: BlockIds.declareDetectedAt,
      label: plain("Detected at"),
      hint: plain("The message's time. Change it if the problem was noticed earlier."),
      element: {
        type: "datetimepicker",
        action_id: BlockIds.declareDetectedAt,
        initial_date_time: Math.floor(slackTsToDate(picked.source.ts).getTime() / 1000),
      },
    });
  }
  return {
    type: "modal",
    callback_id: CallbackIds.declareModal,
    title: plain("Declare incident"),
    submit: plain("Declare"),
    close: plain("Cancel"),
    private_metadata: writeDeclareForm({ pickedId: picked?.id, responseUrl: options.responseUrl }),
    blocks,
  };
}
