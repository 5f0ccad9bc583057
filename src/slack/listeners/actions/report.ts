// Buttons on the posted report: edit a section (opens a modal), request review, approve, request
// changes (opens a modal), publish. Approval and change requests are the tech lead's alone: the
// domain checks the presser's role and anyone else gets an ephemeral refusal.
import type { BlockAction, ButtonAction, RespondFn, StaticSelectAction } from "@slack/bolt";
import { UserError } from "../../../incidents/errors.js";
import type { ReportSectionKey } from "../../../incidents/model.js";
import { approveReport, loadReport, publishReport, requestReview, requireTechLead, StaleReportError, type ReportView } from "../../../incidents/report/review.js";
import type { ListenerContext } from "../../context.js";
import { ActionIds } from "../../ids.js";
import { editSectionModal, readButtonValue, reportBlocks, requestChangesModal } from "../../views/report.js";
import { onAction, type ActionHandler } from "../routes.js";

const reportMessage = (view: ReportView) => ({ text: `Report of incident #${view.incident.number}: ${view.report.status}`, blocks: reportBlocks(view) });

/** Runs a button's work after the ack; the person sees a refusal or a stale-view notice only for themselves. */
export function runReportAction(ctx: ListenerContext, respond: RespondFn, name: string, work: () => Promise<ReportView | void>) {
  ctx.tasks.run(name, async () => {
    try {
      const view = await work();
      if (view) await respond({ replace_original: true, ...reportMessage(view) });
    } catch (error) {
      if (error instanceof StaleReportError) {
        return void (await respond({ response_type: "ephemeral", replace_original: false, text: error.message, blocks: [{ type: "section", text: { type: "mrkdwn", text: error.message } }, ...reportBlocks(error.view)] }));
      }
      if (error instanceof UserError) return void (await respond({ response_type: "ephemeral", replace_original: false, text: error.message }));
      throw error;
    }
  });
}

const actor = (body: BlockAction) => ({ userId: body.user.id, requestKey: `${body.trigger_id}` });

export const actionHandlers = (ctx: ListenerContext): Record<string, ActionHandler> => ({
  [ActionIds.editReportSection]: onAction<StaticSelectAction>(async ({ ack, action, body, client, respond }) => {
    await ack();
    const { incidentId, key } = JSON.parse(action.selected_option.value) as { incidentId: string; key: ReportSectionKey };
    // The modal must open while the trigger id is fresh (3 s), so this one is awaited before returning.
    try {
      const view = await loadReport(ctx.deps, incidentId);
      await client.views.open({ trigger_id: body.trigger_id, view: editSectionModal(view, key) });
    } catch (error) {
      ctx.logger.error({ err: error }, "could not open the edit modal");
      await respond({ response_type: "ephemeral", replace_original: false, text: "Sorry, the editor could not be opened. Please try again." });
    }
  }),

  [ActionIds.requestReview]: onAction<ButtonAction>(async ({ ack, action, body, respond }) => {
    await ack();
    runReportAction(ctx, respond, "request review", () => requestReview(ctx.deps, readButtonValue(action.value).incidentId, actor(body)));
  }),

  [ActionIds.approveReport]: onAction<ButtonAction>(async ({ ack, action, body, respond }) => {
    await ack();
    const { incidentId, version } = readButtonValue(action.value);
    runReportAction(ctx, respond, "approve", () => approveReport(ctx.deps, incidentId, actor(body), version));
  }),

  [ActionIds.requestChanges]: onAction<ButtonAction>(async ({ ack, action, body, client, respond }) => {
    await ack();
    const { incidentId, version } = readButtonValue(action.value);
    runReportAction(ctx, respond, "request changes", async () => {
      const view = await loadReport(ctx.deps, incidentId);
      // Refuse before asking for a comment: only the tech lead may, and only on what they saw.
      requireTechLead(view.incident, { userId: body.user.id }, "request changes");
      if (view.report.version !== version) throw new StaleReportError(view);
      await client.views.open({ trigger_id: body.trigger_id, view: requestChangesModal(view) });
    });
  }),

  [ActionIds.publishReport]: onAction<ButtonAction>(async ({ ack, action, body, respond }) => {
    await ack();
    runReportAction(ctx, respond, "publish", () => publishReport(ctx.deps, readButtonValue(action.value).incidentId, actor(body)));
  }),
});
