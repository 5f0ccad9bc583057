// `/incident update [public] <text>` and `/incident public-title <text>` (the liaison's or the
// commander's: the use cases check that, and the table in incident.ts refuses early).
import type { Incident } from "../../../incidents/model.js";
import { escapeForSlack } from "../../../incidents/slackEscapes.js";
import { previewPublicUpdate, postInternalUpdate, setPublicTitle } from "../../../incidents/updates.js";
import type { ListenerContext } from "../../context.js";
import { publicUpdatePreview } from "../../views/updates.js";
import type { CommandRequest } from "./request.js";

export async function handleUpdateCommand(
  ctx: ListenerContext,
  request: CommandRequest,
  incident: Incident,
  audience: "internal" | "public",
  text: string,
) {
  if (audience === "public") {
    // Only the liaison sees the unpublished update, exactly as it would be published, with Publish and Cancel.
    return request.reply(publicUpdatePreview(await previewPublicUpdate(ctx.deps, incident, request.actor, text)));
  }
  // What Slack refused (UPDATES_CHANNEL without the bot, say) is told to the person by afterAck.
  const result = await postInternalUpdate(ctx.deps, incident, request.actor, text);
  if (result.updatesChannel === "private") {
    await request.reply({
      text:
        "Your update is in this channel and in the timeline, and only here: " +
        `the incident is private, so it does not go to <#${ctx.deps.updatesChannelId}>.`,
    });
  }
}

export async function handlePublicTitle(ctx: ListenerContext, request: CommandRequest, incident: Incident, text: string) {
  const updated = await setPublicTitle(ctx.deps, incident, request.actor, text);
  await request.reply({ text: `Customers will see this incident as “${escapeForSlack(updated.publicTitle ?? "")}”.` });
}
