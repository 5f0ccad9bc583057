// Customer-facing text (public updates, the public title) is stored as typed; rows written before
// that held Slack's escapes and carry a flag saying so (`slackEscaped`, `publicTitleSlackEscaped`).
// The migration public_text_as_typed decoded the rows a database had; an export made before it
// brings such rows back on import (its rows lack the flags, which then default to true), so import
// decodes them here with the same statements. Readers never decode: every row they see is as typed.
import type { PrismaClient } from "../generated/prisma/client.js";

/** Decodes public texts still holding Slack's escapes (`&amp;` last, so a typed "&lt;" stays "&lt;"). */
export async function decodeSlackEscapedPublicText(
  prisma: Pick<PrismaClient, "$executeRaw">,
): Promise<{ updates: number; titles: number }> {
  const updates = await prisma.$executeRaw`
    UPDATE "StakeholderUpdate"
    SET "text" = replace(replace(replace("text", '&lt;', '<'), '&gt;', '>'), '&amp;', '&'), "slackEscaped" = false
    WHERE "public" AND "slackEscaped"`;
  const titles = await prisma.$executeRaw`
    UPDATE "Incident"
    SET "publicTitle" = replace(replace(replace("publicTitle", '&lt;', '<'), '&gt;', '>'), '&amp;', '&'), "publicTitleSlackEscaped" = false
    WHERE "publicTitle" IS NOT NULL AND "publicTitleSlackEscaped"`;
  return { updates, titles };
}
