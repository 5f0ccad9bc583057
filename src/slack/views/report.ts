// Block Kit for the report review: the posted view with its buttons, and the two modals.
import type { KnownBlock, View } from "@slack/types";
import { STATUS_LABELS, type ReportView } from "../../incidents/report/review.js";
import { ActionIds, BlockIds, CallbackIds } from "../ids.js";
import { writeReportRef, writeSectionRef, type ReportRef } from "../values.js";

const PREVIEW_CHARS = 280;
const preview = (markdown: string) => (markdown.length > PREVIEW_CHARS ? `${markdown.slice(0, PREVIEW_CHARS)}…` : markdown);


/** Slack's limit on a confirm dialog's text. */
const CONFIRM_TEXT_CHARS = 300;

/** ✓/✗ per item: what the tech lead checks before approving. */
export function checklistText(view: Pick<ReportView, "checklist">): string {
  return `*Before approving*\n${view.checklist.map((item) => `${item.ok ? "✓" : "✗"} ${item.item}`).join("\n")}`;
}

/**
 * The Approve button asks first when something on the checklist is missing, so the approver sees
 * it at the moment of approving; with nothing missing it approves at once.
 */
export function approveConfirm(view: Pick<ReportView, "checklist" | "report">) {
  const missing = view.checklist.filter((item) => !item.ok).map((item) => item.item);
  if (missing.length === 0) return undefined;
  const ask = ` Approve version ${view.report.version} anyway?`;
  let list = `Still missing: ${missing.join("; ")}.`;
  if (list.length + ask.length > CONFIRM_TEXT_CHARS) list = `${list.slice(0, CONFIRM_TEXT_CHARS - ask.length - 1)}…`;
  return {
    title: { type: "plain_text" as const, text: "Approve with gaps?" },
    text: { type: "plain_text" as const, text: list + ask },
    confirm: { type: "plain_text" as const, text: "Approve" },
    deny: { type: "plain_text" as const, text: "Not yet" },
  };
}

export function reportBlocks(view: ReportView): KnownBlock[] {
  const { incident, report, compiled, findings } = view;
  // What buttons carry: which incident, and which version the person was looking at.
  const value = writeReportRef({ incidentId: incident.id, version: report.version });
  const blocks: KnownBlock[] = [
    { type: "header", text: { type: "plain_text", text: `Report: incident #${incident.number}, ${incident.title}`.slice(0, 150) } },
    {
      type: "context",
      elements: [
        {
          type: "mrkdwn",
          text: `*${STATUS_LABELS[report.status]}* · version ${report.version}${incident.roles.tech_lead ? ` · approver <@${incident.roles.tech_lead}>` : " · no tech lead yet"}${report.publishedUrl ? ` · <${report.publishedUrl}|published>` : ""}`,
        },
      ],
    },
  ];
  // The team's template decides which sections there are and their order.
  for (const section of compiled.ordered) {
    blocks.push({ type: "section", text: { type: "mrkdwn", text: `*${section.title}*${section.written ? "" : " _(to write)_"}\n${preview(section.markdown)}`.slice(0, 3000) } });
  }
  if (findings.length > 0) {
    blocks.push({
      type: "section",
      text: {
        type: "mrkdwn",
        text: `:warning: *Blameless check: ${findings.length} sentence${findings.length > 1 ? "s" : ""} to reword*\n${findings
          .slice(0, 8)
          .map((f) => `• “${f.sentence}”: ${f.reason} _Try:_ ${f.suggestion}`)
          .join("\n")}`.slice(0, 3000),
      },
    });
  }
  blocks.push({ type: "section", text: { type: "mrkdwn", text: checklistText(view).slice(0, 3000) } });
  const confirm = approveConfirm(view);
  blocks.push({
    type: "actions",
    elements: [
      {
        type: "static_select",
        action_id: ActionIds.editReportSection,
        placeholder: { type: "plain_text", text: "Edit section…" },
        // Slack allows at most 100 options of 75 characters each.
        options: view.template.slice(0, 100).map(({ key, title }) => ({
          text: { type: "plain_text" as const, text: title.slice(0, 75) },
          value: writeSectionRef({ incidentId: incident.id, version: report.version, key }),
        })),
      },
      { type: "button", action_id: ActionIds.requestReview, text: { type: "plain_text", text: "Request review" }, value },
      { type: "button", action_id: ActionIds.approveReport, style: "primary", text: { type: "plain_text", text: "Approve" }, value, ...(confirm ? { confirm } : {}) },
      { type: "button", action_id: ActionIds.requestChanges, text: { type: "plain_text", text: "Request changes" }, value },
      { type: "button", action_id: ActionIds.publishReport, text: { type: "plain_text", text: "Publish" }, value },
    ],
  });
  return blocks;
}

export function editSectionModal(view: ReportView, key: string): View {
  const section = view.compiled.ordered.find((s) => s.key === key) ?? { written: false, markdown: "" };
  const title = view.template.find((s) => s.key === key)?.title ?? key;
  return {
    type: "modal",
    callback_id: CallbackIds.editSectionModal,
    private_metadata: writeSectionRef({ incidentId: view.incident.id, key, version: view.report.version }),
    title: { type: "plain_text", text: "Edit report section" },
    submit: { type: "plain_text", text: "Save" },
    close: { type: "plain_text", text: "Cancel" },
    blocks: [
      { type: "section", text: { type: "mrkdwn", text: `*${title}* of incident #${view.incident.number} (version ${view.report.version}). Markdown.` } },
      {
        type: "input",
        block_id: BlockIds.sectionText,
        label: { type: "plain_text", text: title.slice(0, 2000) },
        element: {
          type: "plain_text_input",
          action_id: "text",
          multiline: true,
          max_length: 3000,
          ...(section.written ? { initial_value: section.markdown.slice(0, 3000) } : {}),
        },
      },
    ],
  };
}

/** The tech lead's comment; `viewed` is the report version their button was on. */
export function requestChangesModal(viewed: ReportRef): View {
  return {
    type: "modal",
    callback_id: CallbackIds.requestChangesModal,
    private_metadata: writeReportRef(viewed),
    title: { type: "plain_text", text: "Request changes" },
    submit: { type: "plain_text", text: "Send" },
    close: { type: "plain_text", text: "Cancel" },
    blocks: [
      {
        type: "input",
        block_id: BlockIds.comment,
        label: { type: "plain_text", text: "What should change?" },
        element: { type: "plain_text_input", action_id: "text", multiline: true, max_length: 2000 },
      },
    ],
  };
}
