// Buttons on the posted report: edit a section (opens a modal), request review, approve, request
// changes (opens a modal), publish. Who may press which is the policy's (src/incidents/policy.ts):
// the domain's use cases check the presser, and anyone else gets a private refusal.
import type { ButtonAction, RespondFn, StaticSelectAction } from "@slack/bolt";
import type { Actor } from "../../../incidents/changes.js";
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
import { editSectionModal, reportBlocks, requestChangesModal } from "../../views/report.js";
import { actorOf, afterAck, replyThrough, safeRespond } from "../afterAck.js";
import { onAction, type ActionHandler } from "../routes.js";

/** Slack's limit on a plain_text_input (the section editor's max_length). */
const EDITOR_LIMIT = 3000;

const reportMessage = (view: ReportView) => ({ text: `Report of incident #${view.incident.number}: ${view.report.status}`, blocks: reportBlocks(view) });

/** A report button's work after the ack; the report message is replaced with the new state. */
function runReportAction(ctx: ListenerContext, respond: RespondFn, name: string, actor: Actor, work: () => Promise<ReportView | void>) {
  afterAck(ctx, { name, actor, reply: replyThrough(respond) }, async () => {
    const view = await work();
    if (view) await safeRespond(respond)({ replace_original: true, ...reportMessage(view) });
  });
}

export const actionHandlers = (ctx: ListenerContext): Record<string, ActionHandler> => ({
  [ActionIds.editReportSection]: onAction<StaticSelectAction>(async ({ ack, action, body, client, respond }) => {
    await ack();
    // The modal must open while the trigger id is fresh (3 s), so this one is awaited before returning.
    const chosen = readSectionOption(action.selected_option.value);
    if (!chosen) return void (await replyThrough(respond)({ text: UNREADABLE_BUTTON }));
    const { incidentId, key } = chosen;
    try {
      const view = await loadReport(ctx.deps, incidentId);
      const section = view.compiled.ordered.find((s) => s.key === key);
      if (section?.written && section.markdown.length > EDITOR_LIMIT) {
        // Slack's text input holds 3,000 characters: opening it would cut the section on save.
        return void (await replyThrough(respond)({ text: `That section is ${section.markdown.length.toLocaleString("en-US")} characters, more than Slack's editor holds (${EDITOR_LIMIT.toLocaleString("en-US")}): editing it here would cut it. Its full text is in the report's Markdown file (\`incident-bot report ${view.incident.number}\`); to change it here, save a version of at most ${EDITOR_LIMIT.toLocaleString("en-US")} characters.` }));
      }
      await client.views.open({ trigger_id: body.trigger_id, view: editSectionModal(view, key) });
    } catch (error) {
      ctx.logger.error({ err: error }, "could not open the edit modal");
      await replyThrough(respond)({ text: "Sorry, the editor could not be opened. Please try again." });
    }
  }),

  [ActionIds.requestReview]: onAction<ButtonAction>(async ({ ack, action, body, respond }) => {
    await ack();
    const actor = actorOf(body);
    runReportAction(ctx, respond, "request review", actor, () => requestReview(ctx.deps, readReportButton(action.value).incidentId, actor));
  }),

  [ActionIds.approveReport]: onAction<ButtonAction>(async ({ ack, action, body, respond }) => {
    await ack();
    const actor = actorOf(body);
    runReportAction(ctx, respond, "approve", actor, () => {
      const { incidentId, version } = readReportButton(action.value);
      return approveReport(ctx.deps, incidentId, actor, version);
    });
  }),

  [ActionIds.requestChanges]: onAction<ButtonAction>(async ({ ack, action, body, client, respond }) => {
    await ack();
    const actor = actorOf(body);
    runReportAction(ctx, respond, "request changes", actor, async () => {
      const { incidentId, version } = readReportButton(action.value);
      // Refuse before asking for a comment: only the tech lead may, and only on what they saw.
      await checkChangeRequest(ctx.deps, incidentId, actor, version);
      await client.views.open({ trigger_id: body.trigger_id, view: requestChangesModal({ incidentId, version }) });
    });
  }),

  [ActionIds.publishReport]: onAction<ButtonAction>(async ({ ack, action, body, respond }) => {
    await ack();
    const actor = actorOf(body);
    runReportAction(ctx, respond, "publish", actor, () => publishReport(ctx.deps, readReportButton(action.value).incidentId, actor));
  }),
});
