// Buttons on the posted report: edit a section (opens a modal), request review, approve, request
// changes (opens a modal), publish. Who may press which is the policy's (src/incidents/policy.ts):
// the domain checks the presser and anyone else gets a private refusal.
import type { ButtonAction, RespondFn, StaticSelectAction } from "@slack/bolt";
import type { Actor } from "../../../incidents/changes.js";
import type { ReportSectionKey } from "../../../incidents/model.js";
import { authorize } from "../../../incidents/policy.js";
import { approveReport, loadReport, publishReport, requestReview, StaleReportError, type ReportView } from "../../../incidents/report/review.js";
import type { ListenerContext } from "../../context.js";
import { ActionIds } from "../../ids.js";
import { refusalOf, refusalReason, botName, slackErrorCode } from "../../refusals.js";
import { EDITOR_MAX_PARTS, EDITOR_PART_CHARS, editorParts, editSectionModal } from "../../views/report.js";
import { readButtonValue, reportBlocks, requestChangesModal } from "../../views/report.js";
import { actorOf, afterAck, replyThrough, safeRespond } from "../afterAck.js";
import { onAction, type ActionHandler } from "../routes.js";

const reportMessage = (view: ReportView) => ({ text: `Report of incident #${view.incident.number}: ${view.report.status}`, blocks: reportBlocks(view) });

/** A report button's work after the ack; the report message is replaced with the new state. */
function runReportAction(ctx: ListenerContext, respond: RespondFn, name: string, actor: Actor, work: () => Promise<ReportView | void>) {
  afterAck(ctx, { name, actor, reply: replyThrough(respond, ctx.logger) }, async () => {
    const view = await work();
    if (view) await safeRespond(respond, ctx.logger)({ replace_original: true, ...reportMessage(view) });
  });
}

/** Why the editor did not open, for the person: a trigger Slack no longer takes, a refusal, or our side. */
async function editorFailure(ctx: ListenerContext, error: unknown): Promise<string> {
  const code = slackErrorCode(error);
  if (code === "expired_trigger_id" || code === "exchanged_trigger_id") {
    ctx.logger.warn({ slackError: code }, "the section editor opened too late for Slack's trigger");
    return "Slack needs the editor within 3 seconds of your choice, and it took longer this time. Choose the section again.";
  }
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
    const { incidentId, key } = JSON.parse(action.selected_option.value) as { incidentId: string; key: ReportSectionKey };
    const reply = replyThrough(respond, ctx.logger);
    // The modal must open while the trigger id is fresh (3 s), so this one is awaited before returning.
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
      await ctx.client.views.open({ trigger_id: body.trigger_id, view: editSectionModal(view, key) });
    } catch (error) {
      await reply({ text: await editorFailure(ctx, error) });
    }
  }),

  [ActionIds.requestReview]: onAction<ButtonAction>(async ({ ack, action, body, respond }) => {
    await ack();
    const actor = actorOf(body);
    runReportAction(ctx, respond, "request review", actor, () => requestReview(ctx.deps, readButtonValue(action.value).incidentId, actor));
  }),

  [ActionIds.approveReport]: onAction<ButtonAction>(async ({ ack, action, body, respond }) => {
    await ack();
    const { incidentId, version } = readButtonValue(action.value);
    const actor = actorOf(body);
    runReportAction(ctx, respond, "approve", actor, () => approveReport(ctx.deps, incidentId, actor, version));
  }),

  [ActionIds.requestChanges]: onAction<ButtonAction>(async ({ ack, action, body, respond }) => {
    await ack();
    const { incidentId, version } = readButtonValue(action.value);
    const actor = actorOf(body);
    runReportAction(ctx, respond, "request changes", actor, async () => {
      // Refuse before asking for a comment: only the tech lead may, and only on what they saw. Two
      // small reads, not the whole report: the modal must open within the trigger's 3 s.
      const [incident, report] = await Promise.all([ctx.deps.incidents.getIncident(incidentId), ctx.deps.reports.getReport(incidentId)]);
      await authorize(ctx.deps, incident, actor.userId, "review", "request changes");
      if (report.version !== version) throw new StaleReportError(await loadReport(ctx.deps, incidentId));
      await ctx.client.views.open({ trigger_id: body.trigger_id, view: requestChangesModal({ incidentId, version }) });
    });
  }),

  [ActionIds.publishReport]: onAction<ButtonAction>(async ({ ack, action, body, respond }) => {
    await ack();
    const actor = actorOf(body);
    runReportAction(ctx, respond, "publish", actor, () => publishReport(ctx.deps, readButtonValue(action.value).incidentId, actor));
  }),
});
