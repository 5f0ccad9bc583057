// Modal submissions: a section's new text, and the tech lead's change request.
import { escapeForSlack } from "../../../incidents/slackEscapes.js";
import { editSection, requestChanges } from "../../../incidents/report/review.js";
import type { ListenerContext } from "../../context.js";
import { BlockIds, CallbackIds } from "../../ids.js";
import { readReportForm, readSectionForm, UNREADABLE_FORM } from "../../values.js";
import { actorOf, afterAck, type Reply } from "../afterAck.js";
import type { ViewHandler } from "../routes.js";

export function viewHandlers(ctx: ListenerContext): Record<string, ViewHandler> {
  /** A modal has no response_url: the outcome goes to the incident channel, visible only to the person. */
  const replyInChannel =
    (incidentId: string, userId: string): Reply =>
    async (message) => {
      const incident = await ctx.deps.incidents.getIncident(incidentId);
      await ctx.client.chat.postEphemeral({ channel: incident.channelId, user: userId, text: message.text, blocks: message.blocks ?? [{ type: "section", text: { type: "mrkdwn", text: message.text.slice(0, 3000) } }] });
    };

  return {
    [CallbackIds.editSectionModal]: async ({ ack, view, body }) => {
      const form = readSectionForm(view.private_metadata);
      if (!form) return void (await ack({ response_action: "errors", errors: { [BlockIds.sectionText]: UNREADABLE_FORM } }));
      const { incidentId, key, version } = form;
      const text = view.state.values[BlockIds.sectionText]?.text?.value?.trim() ?? "";
      if (!text) return void (await ack({ response_action: "errors", errors: { [BlockIds.sectionText]: "Write something, or press Cancel to leave the section as it is." } }));
      await ack();
      const actor = actorOf(body);
      afterAck(ctx, { name: "edit section", actor, reply: replyInChannel(incidentId, actor.userId) }, async () => {
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
      afterAck(ctx, { name: "request changes", actor, reply: replyInChannel(incidentId, actor.userId) }, async () => {
        await requestChanges(ctx.deps, incidentId, actor, version, comment);
      });
    },
  };
}
