// Answering a declaration, whichever way it came (`/incident declare`, or the "Declare incident"
// shortcuts' modal): everyone where it was declared sees it, with a link to its channel and Join
// (unless the incident does not reach beyond its channel: a private one is told to the declarer
// alone, with no Join); what only the declarer needs to know (the pinned header or the
// announcement did not go out, and how to fix that) is said to them alone.
import { reachOf } from "../../../incidents/assemble.js";
import { declareIncident } from "../../../incidents/declare.js";
import type { Incident } from "../../../incidents/model.js";
import type { ListenerContext } from "../../context.js";
import { declarationMessage } from "../../views/announcement.js";
import type { Reply } from "../afterAck.js";
import type { CommandRequest } from "./request.js";
import type { Severity } from "../../../incidents/model.js";

type Visible = ((message: ReturnType<typeof declarationMessage>) => Promise<void>) | null;

export async function answerDeclaration(
  ctx: ListenerContext,
  incident: Incident,
  answer: { visible: Visible; reply: Reply },
): Promise<void> {
  ctx.locator.remember(incident);
  const message = declarationMessage(incident);
  let shown = false;
  if (answer.visible && reachOf(incident).visibleDeclaration) {
    try {
      await answer.visible(message);
      shown = true;
    } catch (error) {
      ctx.logger.warn({ err: error, incident: incident.number }, "could not show the declaration where it was made; telling the declarer");
    }
  }
  // What Slack did not show (the pinned header, the announcement) is told with the reply, by the
  // request's record of it (afterAck), with what to do.
  if (!shown) await answer.reply(message);
}

/**
 * `/incident declare <title> [sev] [private]`: the declaration is answered in the channel it was
 * typed in (a private one only to the declarer).
 */
export async function handleDeclareCommand(
  ctx: ListenerContext,
  request: CommandRequest,
  command: { title: string; severity: Severity; private: boolean },
) {
  const incident = await declareIncident(ctx.deps, {
    title: command.title,
    severity: command.severity,
    declaredBy: request.actor.userId,
    ...(command.private ? { private: true } : {}),
  });
  await answerDeclaration(ctx, incident, {
    visible: async (message) => void (await request.respond({ response_type: "in_channel", replace_original: false, ...message })),
    reply: request.reply,
  });
}
