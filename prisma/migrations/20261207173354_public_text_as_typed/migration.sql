-- AlterTable
ALTER TABLE "Incident" ADD COLUMN     "publicTitleSlackEscaped" BOOLEAN NOT NULL DEFAULT true;

-- AlterTable
ALTER TABLE "StakeholderUpdate" ADD COLUMN     "slackEscaped" BOOLEAN NOT NULL DEFAULT true;

-- Customer-facing text is stored as typed from now on (plain text, Slack's escapes decoded), so the
-- status page, its feed and JSON and Statuspage show "delayed & slower" rather than "delayed &amp;
-- slower". Rows written before held Slack's escapes: decoded once here, as src/store/publicText.ts
-- does for an import of an older export. Slack escapes every `&`, so each `&` in such a text begins
-- `&amp;`, `&lt;` or `&gt;`; `&amp;` is replaced last, so a typed "&lt;" (sent as "&amp;lt;")
-- becomes "&lt;" and not "<".
UPDATE "StakeholderUpdate"
SET "text" = replace(replace(replace("text", '&lt;', '<'), '&gt;', '>'), '&amp;', '&'), "slackEscaped" = false
WHERE "public" AND "slackEscaped";

UPDATE "Incident"
SET "publicTitle" = replace(replace(replace("publicTitle", '&lt;', '<'), '&gt;', '>'), '&amp;', '&'), "publicTitleSlackEscaped" = false
WHERE "publicTitle" IS NOT NULL AND "publicTitleSlackEscaped";
