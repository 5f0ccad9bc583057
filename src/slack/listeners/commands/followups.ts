// `/incident followups [mine|overdue]`, anywhere: open action items across every incident, except
// private incidents' unless the person asking is in their channel (privacy.ts).
import { listFollowUps } from "../../../incidents/followups.js";
import type { ListenerContext } from "../../context.js";
import { FOLLOW_UPS_SHOWN, followUpsBlocks, type FollowUpsFilter } from "../../views/followups.js";
import type { CommandRequest } from "./request.js";

export async function handleFollowupsCommand(ctx: ListenerContext, request: CommandRequest, filter: FollowUpsFilter) {
  const now = ctx.deps.clock.now();
  const list = await listFollowUps(
    ctx.deps.actionItems,
    { ...(filter === "mine" ? { ownerId: request.actor.userId } : {}), overdue: filter === "overdue" },
    { now, timeZone: ctx.deps.timeZone, limit: FOLLOW_UPS_SHOWN, viewer: { userId: request.actor.userId, members: ctx.deps.members } },
  );
  await request.reply(followUpsBlocks(filter, list, now, ctx.deps.timeZone));
}
