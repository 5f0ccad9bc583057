import type { Incident } from "../../../incidents/model.js";
import { loadReport, publicReport } from "../../../incidents/report/review.js";
import type { ListenerContext } from "../../context.js";
import { cutText, LIMITS } from "../../fit.js";
import { reportBlocks } from "../../views/report.js";
import type { CommandRequest } from "./request.js";

/**
 * `/incident report`: posts the current draft in the channel (a summary of each section with the
 * review buttons, and the full Markdown as a file). `/incident report public`: the customer-facing
 * version, shown to the person who asked.
 */
export async function handleReportCommand(ctx: ListenerContext, request: CommandRequest, incident: Incident, variant: "draft" | "public") {
  if (variant === "public") {
    const intro = `Public summary of incident #${incident.number} (no names, links or commands; review before sharing):\n\`\`\`\n`;
    const markdown = cutText(
      await publicReport(ctx.deps, incident.id),
      LIMITS.messageText - intro.length - 200,
      "\n… (longer than Slack shows in one message: `/incident report` posts the whole report as a file)",
    );
    return void (await request.reply({ text: `${intro}${markdown}\n\`\`\`` }));
  }
  const view = await loadReport(ctx.deps, incident.id);
  await ctx.client.chat.postMessage({ channel: incident.channelId, text: `Report of incident #${incident.number} (version ${view.report.version})`, blocks: reportBlocks(view) });
  await ctx.client.filesUploadV2({
    channel_id: incident.channelId,
    content: view.compiled.markdown,
    filename: `incident-${incident.number}-report-v${view.report.version}.md`,
    title: `Incident #${incident.number} report, version ${view.report.version} (Markdown)`,
  });
}
