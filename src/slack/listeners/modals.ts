// Opening a modal. Slack takes a click's trigger id once, and only within 3 seconds of the click
// (views.open answers expired_trigger_id or exchanged_trigger_id otherwise): that is not our failure
// nor the person's, so they are told, privately, what happened and what to do again.
import type { View } from "@slack/types";
import type { ListenerContext } from "../context.js";
import { RequestError } from "../problems.js";
import { slackErrorCode } from "../refusals.js";

/** Opens `view`; a trigger Slack no longer takes rejects as a RequestError whose words end with `again`. */
export async function openModal(ctx: ListenerContext, triggerId: string, view: View, again: string): Promise<void> {
  try {
    await ctx.client.views.open({ trigger_id: triggerId, view });
  } catch (error) {
    const code = slackErrorCode(error);
    if (code !== "expired_trigger_id" && code !== "exchanged_trigger_id") throw error;
    ctx.logger.warn({ slackError: code }, "a modal was opened too late for Slack's trigger");
    throw new RequestError(
      `Slack did not open the form: it needs it within 3 seconds of your click, and the bot took longer this time. ${again}`,
    );
  }
}
