// Block Kit for the report review: the posted view with its buttons, and the two modals. A team's
// template may have many sections with long titles, and a section may be longer than one of
// Slack's text inputs holds: both stay within Slack's limits (src/slack/fit.ts). The posted view
// previews each section and leaves out what does not fit in one message (the Markdown file posted
// with it has everything); the editor splits a long section across several inputs, so saving it
// never cuts it (a single input holds 3,000 characters).
import type { KnownBlock, View } from "@slack/types";
import { STATUS_LABELS, type ReportView } from "../../incidents/report/review.js";
import { capBlocks, contextNote, cutText, LIMITS, splitText } from "../fit.js";
import { ActionIds, BlockIds, CallbackIds } from "../ids.js";
import { writeReportRef, writeSectionForm, writeSectionRef, type ReportRef, type SectionForm } from "../values.js";

const PREVIEW_CHARS = 280;
const preview = (markdown: string) => cutText(markdown, PREVIEW_CHARS);
/** A section title as shown in a list or a heading; titles are a line, but a team may write a long one. */
const TITLE_SHOWN = 150;
const HEADER = LIMITS.headerText;
const LABEL = LIMITS.inputLabel;
const toWrite = (section: { written: boolean }) => (section.written ? "" : " _(to write)_");

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

/** The posted report: at most `maxBlocks` blocks (a reply that leads with a note of its own passes less). */
export function reportBlocks(view: ReportView, options: { maxBlocks?: number } = {}): KnownBlock[] {
  const { incident, report, compiled, findings } = view;
  // What buttons carry: which incident, and which version the person was looking at.
  const value = writeReportRef({ incidentId: incident.id, version: report.version });
  const blocks: KnownBlock[] = [
    { type: "header", text: { type: "plain_text", text: cutText(`Report: incident #${incident.number}, ${incident.title}`, HEADER) } },
    {
      type: "context",
      elements: [
        {
          type: "mrkdwn",
          text:
            `*${STATUS_LABELS[report.status]}* · version ${report.version}` +
            (incident.roles.tech_lead ? ` · approver <@${incident.roles.tech_lead}>` : " · no tech lead yet") +
            (report.publishedUrl ? ` · <${report.publishedUrl}|published>` : ""),
        },
      ],
    },
  ];
  // The team's template decides which sections there are and their order. What follows the
  // sections (findings, checklist, buttons) is kept; sections that do not fit are counted instead.
  const sections: KnownBlock[] = compiled.ordered.map((section) => ({
    type: "section",
    text: { type: "mrkdwn", text: `*${cutText(section.title, TITLE_SHOWN)}*${toWrite(section)}\n${preview(section.markdown)}` },
  }));
  const after = (findings.length > 0 ? 1 : 0) + 2;
  const room = (options.maxBlocks ?? LIMITS.messageBlocks) - blocks.length - after;
  const more = (hidden: number) =>
    contextNote(`…and ${hidden} more sections: the report's Markdown file has them all (\`/incident report\` posts it).`);
  blocks.push(...capBlocks(sections, room, more));
  if (findings.length > 0) {
    blocks.push({
      type: "section",
      text: {
        type: "mrkdwn",
        text: cutText(
          `:warning: *Blameless check: ${findings.length} sentence${findings.length > 1 ? "s" : ""} to reword*\n${findings
            .slice(0, 8)
            .map((f) => `• “${f.sentence}”: ${f.reason} _Try:_ ${f.suggestion}`)
            .join("\n")}`,
          LIMITS.sectionText,
        ),
      },
    });
  }
  blocks.push({ type: "section", text: { type: "mrkdwn", text: cutText(checklistText(view), LIMITS.sectionText) } });
  const confirm = approveConfirm(view);
  blocks.push({
    type: "actions",
    elements: [
      {
        type: "static_select",
        action_id: ActionIds.editReportSection,
        placeholder: { type: "plain_text", text: "Edit section…" },
        // Slack allows at most 100 options of 75 characters each.
        options: view.template.slice(0, LIMITS.selectOptions).map(({ key, title }) => ({
          text: { type: "plain_text" as const, text: cutText(title, LIMITS.optionText) },
          value: writeSectionRef({ incidentId: incident.id, version: report.version, key }),
        })),
      },
      { type: "button", action_id: ActionIds.requestReview, text: { type: "plain_text", text: "Request review" }, value },
      {
        type: "button",
        action_id: ActionIds.approveReport,
        style: "primary",
        text: { type: "plain_text", text: "Approve" },
        value,
        ...(confirm ? { confirm } : {}),
      },
      { type: "button", action_id: ActionIds.requestChanges, text: { type: "plain_text", text: "Request changes" }, value },
      { type: "button", action_id: ActionIds.publishReport, text: { type: "plain_text", text: "Publish" }, value },
    ],
  });
  return blocks;
}

/** What one editor input holds (plain_text_input's max_length is at most 3,000). */
export const EDITOR_PART_CHARS = LIMITS.textInput;
/** Inputs in one editor: a modal holds 100 blocks, one of them the introduction. */
export const EDITOR_MAX_PARTS = LIMITS.modalBlocks - 1;

/** The block id of the editor's input `index` (the first keeps the id of the single-input editor). */
export const editorBlockId = (index: number) => (index === 0 ? BlockIds.sectionText : `${BlockIds.sectionText}_${index}`);

/** A section's text in editor inputs; null when it needs more inputs than a modal holds. */
export function editorParts(markdown: string): { parts: string[]; separators: string[] } | null {
  const split = splitText(markdown, EDITOR_PART_CHARS);
  return split.parts.length > EDITOR_MAX_PARTS ? null : split;
}

/**
 * The inputs' values joined back into the section's text: each part as typed, with what was taken
 * out between them put back. A part someone emptied is left out with its separator.
 */
export function joinEditorParts(values: (string | undefined)[], separators: readonly string[] = []): string {
  let text = "";
  values.forEach((value, index) => {
    const part = value ?? "";
    if (!part.trim()) return;
    text = text ? `${text}${separators[index - 1] ?? "\n\n"}${part}` : part;
  });
  return text.trim();
}

/** The section editor. A section longer than one input holds is split across inputs (editorParts); the caller checks it fits. */
export function editSectionModal(view: ReportView, key: string): View {
  const section = view.compiled.ordered.find((s) => s.key === key) ?? { written: false, markdown: "" };
  const title = view.template.find((s) => s.key === key)?.title ?? key;
  const { parts, separators } = (section.written ? editorParts(section.markdown) : null) ?? { parts: [""], separators: [] };
  const several = parts.length > 1;
  const metadata: SectionForm = { incidentId: view.incident.id, key, version: view.report.version, ...(several ? { separators } : {}) };
  const intro = `*${cutText(title, TITLE_SHOWN)}* of incident #${view.incident.number} (version ${view.report.version}). Markdown.${
    several ? ` It is longer than one box holds, so it is in ${parts.length} parts, saved together as one section.` : ""
  }`;
  return {
    type: "modal",
    callback_id: CallbackIds.editSectionModal,
    private_metadata: writeSectionForm(metadata),
    title: { type: "plain_text", text: "Edit report section" },
    submit: { type: "plain_text", text: "Save" },
    close: { type: "plain_text", text: "Cancel" },
    blocks: [
      { type: "section", text: { type: "mrkdwn", text: intro } },
      ...parts.map((part, index): KnownBlock => ({
        type: "input",
        block_id: editorBlockId(index),
        label: { type: "plain_text", text: cutText(several ? `${title} (part ${index + 1} of ${parts.length})` : title, LABEL) },
        // With several parts, emptying one removes it; with one, an empty section is refused (the listener says so).
        ...(several ? { optional: true } : {}),
        element: {
          type: "plain_text_input",
          action_id: "text",
          multiline: true,
          max_length: EDITOR_PART_CHARS,
          ...(section.written && part ? { initial_value: part } : {}),
        },
      })),
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
