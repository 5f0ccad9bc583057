import { deliver } from "../../../incidents/showing.js";
import type { Incident } from "../../../incidents/model.js";
import { loadReport, publicReport } from "../../../incidents/report/review.js";
import { escapeForSlack } from "../../../incidents/slackEscapes.js";
import type { ListenerContext } from "../../context.js";
import { cutText, LIMITS } from "../../fit.js";
import { refusing } from "../../refusals.js";
import { reportBlocks } from "../../views/report.js";
import type { CommandRequest } from "./request.js";

/**
 * `/incident report`: posts the current draft in the channel (a summary of each section with the
 * review buttons, and the full Markdown as a file). When Slack refuses to post in the channel, the
 * person gets the draft privately (with why), and `incident-bot report <n>` prints the whole file.
 * `/incident report public`: the customer-facing version, shown to the person who asked.
 */
export async function handleReportCommand(
  ctx: ListenerContext,
  request: CommandRequest,
  incident: Incident,
  variant: "internal" | "public",
) {
  if (variant === "public") {
    // The Markdown as its source: escaped for Slack, which reads `&`, `<` and `>` in code blocks too.
    const intro = `Public summary of incident #${incident.number} (no names, links or commands; review before sharing):\n\`\`\`\n`;
    const markdown = cutText(
      escapeForSlack(await publicReport(ctx.deps, incident.id)),
      LIMITS.messageText - intro.length - 200,
      "\n… (longer than Slack shows in one message: `/incident report` posts the whole report as a file)",
    );
    return void (await request.reply({ text: `${intro}${markdown}\n\`\`\`` }));
  }
  const view = await loadReport(ctx.deps, incident.id);
  const channelId = incident.channelId;
  const message = { text: `Report of incident #${incident.number} (version ${view.report.version})`, blocks: reportBlocks(view) };
  const where = { channelId, incidentNumber: incident.number };
  const posted = await deliver(ctx.deps, { ...where, what: "report" }, () =>
    refusing({ method: "chat.postMessage", channelId }, () => ctx.client.chat.postMessage({ channel: channelId, ...message })),
  );
  if (!posted) return void (await request.reply(message));
  await deliver(ctx.deps, { ...where, what: "report_file" }, () =>
    refusing({ method: "files.uploadV2", channelId }, () =>
      ctx.client.filesUploadV2({
        channel_id: channelId,
        content: view.compiled.markdown,
        filename: `incident-${incident.number}-report-v${view.report.version}.md`,
        title: `Incident #${incident.number} report, version ${view.report.version} (Markdown)`,
      }),
    ),
  );
}
