// Modal submissions: a section's new text, and the tech lead's change request.
import { escapeForSlack } from "../../../incidents/slackEscapes.js";
import { editSection, requestChanges } from "../../../incidents/report/review.js";
import type { ListenerContext } from "../../context.js";
import { BlockIds, CallbackIds } from "../../ids.js";
import { refusing } from "../../refusals.js";
import { editorBlockId, joinEditorParts } from "../../views/report.js";
import { readReportForm, readSectionForm, UNREADABLE_FORM } from "../../values.js";
import { actorOf, afterAck, type Reply } from "../afterAck.js";
import type { ViewHandler } from "../routes.js";

export function viewHandlers(ctx: ListenerContext): Record<string, ViewHandler> {
  /**
   * A modal has no response_url: the outcome goes to the incident channel, visible only to the
   * person; when Slack refuses that (the bot left the channel), to their direct messages instead.
   */
  const replyInChannel =
    (incidentId: string, userId: string): Reply =>
    async (message) => {
      const incident = await ctx.deps.incidents.getIncident(incidentId);
      const channel = incident.channelId;
      try {
        await refusing({ method: "chat.postEphemeral", channelId: channel }, () =>
          ctx.client.chat.postEphemeral({ channel, user: userId, ...message }),
        );
      } catch (error) {
        ctx.logger.warn({ err: error, channel }, "could not answer in the incident channel; answering in a direct message");
        await ctx.client.chat.postMessage({ channel: userId, ...message });
      }
    };

  return {
    [CallbackIds.editSectionModal]: async ({ ack, view, body }) => {
      const form = readSectionForm(view.private_metadata);
      if (!form) return void (await ack({ response_action: "errors", errors: { [BlockIds.sectionText]: UNREADABLE_FORM } }));
      const { incidentId, key, version, separators = [] } = form;
      // One input, or one per part of a long section (views/report.ts): joined back as they were split.
      const values = Array.from(
        { length: separators.length + 1 },
        (_, index) => view.state.values[editorBlockId(index)]?.text?.value ?? undefined,
      );
      const text = joinEditorParts(values, separators);
      if (!text)
        return void (await ack({
          response_action: "errors",
          errors: { [BlockIds.sectionText]: "Write something, or press Cancel to leave the section as it is." },
        }));
      await ack();
      const actor = actorOf(body);
      afterAck(ctx, { name: "edit section", actor, reply: replyInChannel(incidentId, actor.userId) }, async (_reply, ctx) => {
        await editSection(ctx.deps, incidentId, actor, { key, markdown: text, baseVersion: version });
      });
    },

    [CallbackIds.requestChangesModal]: async ({ ack, view, body }) => {
      const form = readReportForm(view.private_metadata);
      if (!form) return void (await ack({ response_action: "errors", errors: { [BlockIds.comment]: UNREADABLE_FORM } }));
      const { incidentId, version } = form;
      // A modal's input arrives as typed, not escaped as a message's text is; the comment is kept
      // (and posted, and compiled) as Slack text, so it is escaped the way Slack would have.
      const typed = view.state.values[BlockIds.comment]?.text?.value?.trim() ?? "";
      if (!typed) return void (await ack({ response_action: "errors", errors: { [BlockIds.comment]: "Say what should change." } }));
      const comment = escapeForSlack(typed);
      await ack();
      const actor = actorOf(body);
      afterAck(ctx, { name: "request changes", actor, reply: replyInChannel(incidentId, actor.userId) }, async (_reply, ctx) => {
        await requestChanges(ctx.deps, incidentId, actor, version, comment);
      });
    },
  };
}
