// Answering a declaration, whichever way it came (`/incident declare`, or the "Declare incident"
// shortcuts' modal): everyone where it was declared sees it, with a link to its channel and Join
// (unless the incident does not reach beyond its channel: a private one is told to the declarer
// alone, with no Join); what only the declarer needs to know (the pinned header or the
// announcement did not go out, and how to fix that) is said to them alone.
import type { KnownBlock } from "@slack/types";
import { reachOf } from "../../../incidents/assemble.js";
import { declareIncident, type Declared } from "../../../incidents/declare.js";
import type { ListenerContext } from "../../context.js";
import { declarationMessage } from "../../views/announcement.js";
import type { Reply } from "../afterAck.js";
import type { CommandRequest } from "./request.js";
import type { Severity } from "../../../incidents/model.js";

type Visible = ((message: ReturnType<typeof declarationMessage>) => Promise<void>) | null;

export async function answerDeclaration(
  ctx: ListenerContext,
  declared: Declared,
  answer: { visible: Visible; reply: Reply },
): Promise<void> {
  const { incident } = declared;
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
  const notes: string[] = [];
  if (!declared.headerShown) {
    notes.push("Slack did not take the pinned summary just now; it will be posted with the incident's next change.");
  }
  if (declared.announcement === "not_in_channel") {
    notes.push(
      `Incident #${incident.number} was not announced in <#${ctx.deps.incidentsChannelId}>: the bot cannot post there. ` +
        "Invite it (`/invite @incident-bot` in that channel) and the announcement follows with the incident's next change; " +
        "or set `INCIDENTS_CHANNEL` to a channel the bot is in.",
    );
  }
  if (shown) {
    if (notes.length > 0) await answer.reply({ text: notes.join("\n") });
    return;
  }
  // Shown to the declarer alone: the notes go in the blocks too (a message's text is then only its notification).
  const noteBlocks: KnownBlock[] = notes.map((note) => ({ type: "section", text: { type: "mrkdwn", text: note } }));
  await answer.reply({ text: [message.text, ...notes].join("\n"), blocks: [...message.blocks, ...noteBlocks] });
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
  const declared = await declareIncident(ctx.deps, {
    title: command.title,
    severity: command.severity,
    declaredBy: request.actor.userId,
    ...(command.private ? { private: true } : {}),
  });
  await answerDeclaration(ctx, declared, {
    visible: async (message) => void (await request.respond({ response_type: "in_channel", replace_original: false, ...message })),
    reply: request.reply,
  });
}
