// The shortcuts' modals, submitted: a message added to the chosen incident's timeline, and an
// incident declared (from a message: that message is its detection). What the form lacks is shown
// on the form; the rest runs after the ack, once per submission (view id and hash), and the person
// is answered where they ran the shortcut (../replies.ts).
import type { ViewOutput } from "@slack/bolt";
import { z } from "zod";
import { declareIncident } from "../../../incidents/declare.js";
import { SEVERITIES, type PickedMessage } from "../../../incidents/model.js";
import { slackTsToDate } from "../../../incidents/slackTime.js";
import { addToTimeline, pickedMessage } from "../../../incidents/sources.js";
import { formatMoment } from "../../../incidents/time/format.js";
import type { ListenerContext } from "../../context.js";
import { BlockIds, CallbackIds } from "../../ids.js";
import { readAddToTimelineForm, readDeclareForm, UNREADABLE_FORM } from "../../values.js";
import { PRIVATE_OPTION } from "../../views/shortcuts.js";
import { actorOf, afterAck } from "../afterAck.js";
import { answerDeclaration } from "../commands/declare.js";
import { announceAt, replyTo } from "../replies.js";
import type { ViewHandler } from "../routes.js";

/** A detection time this far ahead of the bot's clock is a mistake, not clock skew. */
const FUTURE_SLACK_MS = 60_000;

type Input = {
  value?: string | null;
  selected_option?: { value: string } | null;
  selected_options?: { value: string }[] | null;
  selected_date_time?: number | null;
};
const input = (view: ViewOutput, blockId: string) => view.state.values[blockId]?.[blockId] as Input | undefined;

/** The detection time the form gives: the message's own (to the microsecond) unless the person picked another minute. */
function detectedAt(picked: PickedMessage, chosenSeconds: number | null | undefined): Date {
  const messageAt = slackTsToDate(picked.source.ts);
  if (!chosenSeconds || chosenSeconds === Math.floor(messageAt.getTime() / 1000)) return messageAt;
  return new Date(chosenSeconds * 1000);
}

export function viewHandlers(ctx: ListenerContext): Record<string, ViewHandler> {
  return {
    [CallbackIds.addToTimelineModal]: async ({ ack, view, body }) => {
      const metadata = readAddToTimelineForm(view.private_metadata);
      const incidentId = z.uuid().safeParse(input(view, BlockIds.timelineIncident)?.selected_option?.value);
      if (!metadata || !incidentId.success) {
        const problem = metadata ? "Choose the incident to add the message to." : UNREADABLE_FORM;
        return void (await ack({ response_action: "errors", errors: { [BlockIds.timelineIncident]: problem } }));
      }
      await ack();
      const actor = actorOf(body);
      afterAck(ctx, { name: "add to timeline", actor, reply: replyTo(ctx, actor.userId, metadata.responseUrl) }, async (reply, ctx) => {
        const { incident, picked } = await addToTimeline(ctx.deps, { incidentId: incidentId.data, pickedId: metadata.pickedId }, actor);
        const at = formatMoment(slackTsToDate(picked.source.ts), ctx.deps.timeZone, "full");
        await reply({
          text:
            `Added to the timeline of incident #${incident.number} (<#${incident.channelId}>) as a highlight at ${at}, ` +
            `with a link to <${picked.source.permalink}|the message>.`,
        });
      });
    },

    [CallbackIds.declareModal]: async ({ ack, view, body }) => {
      const metadata = readDeclareForm(view.private_metadata);
      const title = input(view, BlockIds.declareTitle)?.value?.trim() ?? "";
      const severity = z.enum(SEVERITIES).safeParse(input(view, BlockIds.declareSeverity)?.selected_option?.value);
      const chosen = input(view, BlockIds.declareDetectedAt)?.selected_date_time;
      const errors: Record<string, string> = {};
      if (!metadata) errors[BlockIds.declareTitle] = UNREADABLE_FORM;
      else if (!title) errors[BlockIds.declareTitle] = "Give the incident a title: what is wrong, in a few words.";
      if (!severity.success) errors[BlockIds.declareSeverity] = "Choose a severity.";
      if (chosen && chosen * 1000 > ctx.deps.clock.now().getTime() + FUTURE_SLACK_MS) {
        errors[BlockIds.declareDetectedAt] = "That is in the future: when was the problem noticed?";
      }
      if (!metadata || !severity.success || Object.keys(errors).length > 0) return void (await ack({ response_action: "errors", errors }));
      await ack();
      const actor = actorOf(body);
      afterAck(ctx, { name: "declare (form)", actor, reply: replyTo(ctx, actor.userId, metadata.responseUrl) }, async (reply, ctx) => {
        const picked = metadata.pickedId ? await pickedMessage(ctx.deps, metadata.pickedId) : undefined;
        const summary = input(view, BlockIds.declareSummary)?.value ?? undefined;
        const ticked = input(view, BlockIds.declarePrivate)?.selected_options ?? [];
        const isPrivate = ticked.some((option) => option.value === PRIVATE_OPTION);
        const incident = await declareIncident(ctx.deps, {
          title,
          severity: severity.data,
          declaredBy: actor.userId,
          ...(summary ? { summary } : {}),
          ...(isPrivate ? { private: true } : {}),
          ...(picked ? { source: { picked, detectedAt: detectedAt(picked, chosen) } } : {}),
        });
        await answerDeclaration(ctx, incident, { visible: announceAt(metadata.responseUrl, ctx.logger), reply });
      });
    },
  };
}
