// Modal submissions: a section's new text, and the tech lead's change request.
import { UserError } from "../../../incidents/errors.js";
import type { ReportSectionKey } from "../../../incidents/model.js";
import { editSection, requestChanges, StaleReportError } from "../../../incidents/report/review.js";
import type { ListenerContext } from "../../context.js";
import { BlockIds, CallbackIds } from "../../ids.js";
import { reportBlocks } from "../../views/report.js";
import type { ViewHandler } from "../routes.js";

export function viewHandlers(ctx: ListenerContext): Record<string, ViewHandler> {
  /** After the modal closes, the outcome goes to the channel (ephemeral for a refusal). */
  const runAndReport = (name: string, userId: string, incidentId: string, work: () => Promise<unknown>) =>
    ctx.tasks.run(name, async () => {
      try {
        await work();
      } catch (error) {
        if (!(error instanceof UserError)) throw error;
        const incident = await ctx.deps.store.getIncident(incidentId);
        const fresh = error instanceof StaleReportError ? reportBlocks(error.view) : [];
        await ctx.client.chat.postEphemeral({ channel: incident.channelId, user: userId, text: error.message, blocks: [{ type: "section", text: { type: "mrkdwn", text: error.message.slice(0, 3000) } }, ...fresh] });
      }
    });

  return {
    [CallbackIds.editSectionModal]: async ({ ack, view, body }) => {
      const { incidentId, key, version } = JSON.parse(view.private_metadata) as { incidentId: string; key: ReportSectionKey; version: number };
      const text = view.state.values[BlockIds.sectionText]?.text?.value?.trim() ?? "";
      if (!text) return void (await ack({ response_action: "errors", errors: { [BlockIds.sectionText]: "Write something, or press Cancel to leave the section as it is." } }));
      await ack();
      runAndReport("edit section", body.user.id, incidentId, () => editSection(ctx.deps, incidentId, { userId: body.user.id, requestKey: `view:${view.id}:${view.hash}` }, { key, markdown: text, baseVersion: version }));
    },

    [CallbackIds.requestChangesModal]: async ({ ack, view, body }) => {
      const { incidentId, version } = JSON.parse(view.private_metadata) as { incidentId: string; version: number };
      const comment = view.state.values[BlockIds.comment]?.text?.value?.trim() ?? "";
      if (!comment) return void (await ack({ response_action: "errors", errors: { [BlockIds.comment]: "Say what should change." } }));
      await ack();
      runAndReport("request changes", body.user.id, incidentId, () => requestChanges(ctx.deps, incidentId, { userId: body.user.id, requestKey: `view:${view.id}:${view.hash}` }, version, comment));
    },
  };
}
