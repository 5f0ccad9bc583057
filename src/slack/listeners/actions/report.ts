// Buttons on the posted report: edit a section (opens a modal), request review, approve, request
// changes (opens a modal), publish. Who may press which is the policy's (src/incidents/policy.ts):
// the domain's use cases check the presser, and anyone else gets a private refusal.
import type { ButtonAction, RespondFn, StaticSelectAction } from "@slack/bolt";
import type { Actor } from "../../../incidents/actor.js";
import {
  approveReport,
  checkChangeRequest,
  loadReport,
  publishReport,
  requestReview,
  type ReportView,
} from "../../../incidents/report/review.js";
import type { ListenerContext } from "../../context.js";
import { ActionIds } from "../../ids.js";
import { readReportButton, readSectionOption, UNREADABLE_BUTTON } from "../../values.js";
import { RequestError } from "../../problems.js";
import { refusalOf, refusalReason, botName } from "../../refusals.js";
import {
  EDITOR_MAX_PARTS,
  EDITOR_PART_CHARS,
  editorParts,
  editSectionModal,
  reportBlocks,
  requestChangesModal,
} from "../../views/report.js";
import { actorOf, afterAck, replyThrough } from "../afterAck.js";
import { openModal } from "../modals.js";
import { guardRespond } from "../../text.js";
import { onAction, type ActionHandler } from "../routes.js";

const reportMessage = (view: ReportView) => ({
  text: `Report of incident #${view.incident.number}: ${view.report.status}`,
  blocks: reportBlocks(view),
});

/** A report button's work after the ack; the report message is replaced with the new state. */
function runReportAction(
  ctx: ListenerContext,
  respond: RespondFn,
  name: string,
  actor: Actor,
  work: (ctx: ListenerContext) => Promise<ReportView | void>,
) {
  afterAck(ctx, { name, actor, reply: replyThrough(respond, ctx.logger) }, async (_reply, ctx) => {
    const view = await work(ctx);
    if (view) await guardRespond(respond, ctx.logger)({ replace_original: true, ...reportMessage(view) });
  });
}

/** Why the editor did not open, for the person: a trigger Slack no longer takes, a refusal, or our side. */
async function editorFailure(ctx: ListenerContext, error: unknown): Promise<string> {
  if (error instanceof RequestError) return error.message; // a trigger Slack no longer takes (../modals.ts)
  const refusal = refusalOf(error, { method: "views.open" });
  if (refusal && refusal.code !== "content_refused") {
    const text = `Slack refused to open the editor: ${refusalReason(refusal, await botName(ctx.client))}`;
    ctx.logger.warn({ slackError: refusal.code }, text);
    return text;
  }
  ctx.logger.error({ err: error }, "could not open the edit modal");
  return "Sorry, the editor could not be opened. Please try again.";
}

export const actionHandlers = (ctx: ListenerContext): Record<string, ActionHandler> => ({
  [ActionIds.editReportSection]: onAction<StaticSelectAction>(async ({ ack, action, body, respond }) => {
    await ack();
    const reply = replyThrough(respond, ctx.logger);
    // The modal must open while the trigger id is fresh (3 s), so this one is awaited before returning.
    const chosen = readSectionOption(action.selected_option.value);
    if (!chosen) return void (await reply({ text: UNREADABLE_BUTTON }));
    const { incidentId, key } = chosen;
    try {
      const view = await loadReport(ctx.deps, incidentId);
      const section = view.compiled.ordered.find((s) => s.key === key);
      if (section?.written && !editorParts(section.markdown)) {
        // Split across every input a modal holds it still would not fit: opening it would cut it on save.
        const most = (EDITOR_MAX_PARTS * EDITOR_PART_CHARS).toLocaleString("en-US");
        const length = section.markdown.length.toLocaleString("en-US");
        return void (await reply({
          text:
            `That section is ${length} characters, more than Slack's editor holds (${most} in ${EDITOR_MAX_PARTS} boxes): ` +
            "editing it here would cut it. " +
            `Its full text is in the report's Markdown file (\`/incident report\`, or \`incident-bot report ${view.incident.number}\`).`,
        }));
      }
      await openModal(ctx, body.trigger_id, editSectionModal(view, key), "Choose the section again.");
    } catch (error) {
      await reply({ text: await editorFailure(ctx, error) });
    }
  }),

  [ActionIds.requestReview]: onAction<ButtonAction>(async ({ ack, action, body, respond }) => {
    await ack();
    const actor = actorOf(body);
    runReportAction(ctx, respond, "request review", actor, (ctx) =>
      requestReview(ctx.deps, readReportButton(action.value).incidentId, actor),
    );
  }),

  [ActionIds.approveReport]: onAction<ButtonAction>(async ({ ack, action, body, respond }) => {
    await ack();
    const actor = actorOf(body);
    runReportAction(ctx, respond, "approve", actor, (ctx) => {
      const { incidentId, version } = readReportButton(action.value);
      return approveReport(ctx.deps, incidentId, actor, version);
    });
  }),

  [ActionIds.requestChanges]: onAction<ButtonAction>(async ({ ack, action, body, respond }) => {
    await ack();
    const actor = actorOf(body);
    runReportAction(ctx, respond, "request changes", actor, async (ctx) => {
      const { incidentId, version } = readReportButton(action.value);
      // Refuse before asking for a comment: only the tech lead may, and only on what they saw.
      await checkChangeRequest(ctx.deps, incidentId, actor, version);
      await openModal(ctx, body.trigger_id, requestChangesModal({ incidentId, version }), "Press *Request changes* again.");
    });
  }),

  [ActionIds.publishReport]: onAction<ButtonAction>(async ({ ack, action, body, respond }) => {
    await ack();
    const actor = actorOf(body);
    runReportAction(ctx, respond, "publish", actor, (ctx) => publishReport(ctx.deps, readReportButton(action.value).incidentId, actor));
  }),
});
