import { resolveIncident } from "../../../incidents/resolve.js";
import type { ListenerContext } from "../../context.js";
import { resolutionSummary } from "../../views/actionItems.js";
import { requireIncident, type CommandRequest } from "./incident.js";

/** `/incident resolve [text]`, `/resolve [text]` and `/incident status resolved`. */
export async function handleResolveCommand(ctx: ListenerContext, request: CommandRequest, resolution: string | undefined) {
  const incident = await requireIncident(ctx, request.command.channel_id, "resolve");
  const result = await resolveIncident(ctx.deps, incident, request.actor, resolution);
  const summary = resolutionSummary(result.incident, result.actionItems, ctx.deps.timeZone);
  if (result.newlyResolved) {
    await ctx.client.chat.postMessage({ channel: result.incident.channelId, ...summary });
  } else {
    await request.respond({ response_type: "ephemeral", text: `Incident #${incident.number} is already resolved.`, blocks: summary.blocks });
  }
}
