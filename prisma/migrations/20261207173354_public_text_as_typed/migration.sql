-- AlterTable
ALTER TABLE "Incident" ADD COLUMN     "publicTitleSlackEscaped" BOOLEAN NOT NULL DEFAULT true;

-- AlterTable
ALTER TABLE "StakeholderUpdate" ADD COLUMN     "slackEscaped" BOOLEAN NOT NULL DEFAULT true;

-- Customer-facing text is stored as typed from now on (plain text, with the escapes Slack adds
-- decoded), so the status page, its feed and JSON and Statuspage show "delayed & slower" rather
-- than the escaped ampersand. Rows written before held those escapes: decoded once here, as
-- src/store/publicText.ts does for an import of an older export. Slack escapes every ampersand, so
-- each one in such a text begins one of its three escapes. The escaped ampersand is replaced last,
-- so an escape someone typed (which Slack sent with its ampersand escaped) stays as typed.
-- chr(59) is the semicolon ending each escape: the script is split into statements at every
-- semicolon, also in a string or a comment.
UPDATE "StakeholderUpdate"
SET "text" = replace(replace(replace("text", '&lt' || chr(59), '<'), '&gt' || chr(59), '>'), '&amp' || chr(59), '&'),
    "slackEscaped" = false
WHERE "public" AND "slackEscaped";

UPDATE "Incident"
SET "publicTitle" = replace(replace(replace("publicTitle", '&lt' || chr(59), '<'), '&gt' || chr(59), '>'), '&amp' || chr(59), '&'),
    "publicTitleSlackEscaped" = false
WHERE "publicTitle" IS NOT NULL AND "publicTitleSlackEscaped";
