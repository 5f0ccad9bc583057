-- Typed timeline entries keep the facts of their change in "data" and no sentence of the bot
-- as "text" (src/incidents/entryFacts.ts): renderers word them when they show them. Rows written
-- before: the facts their sentence held are moved into "data", and the sentence goes. One
-- statement, touching only typed rows that still have text, so running it again changes nothing:
-- `incident-bot import` runs it after loading an export made before this migration. No semicolon
-- may appear before the last line: Prisma's PostgreSQL adapter splits a migration at each one.
-- Entries whose text is people's words from elsewhere in Slack (a quoted message, the message an
-- incident was declared from) keep it: an import of a newer export must not erase them.
UPDATE "TimelineEntry" AS e
SET text = '', data = e.data || f.facts
FROM (
  SELECT t.id, CASE
    WHEN t.kind = 'declared' THEN jsonb_build_object(
      'title', substring(t.text from '^Incident declared: (.*) \(SEV[1-4]\)$'),
      'severity', lower(substring(t.text from '\((SEV[1-4])\)$')))
    WHEN t.kind = 'resolved' THEN jsonb_build_object('resolution', substring(t.text from '^Resolved the incident: (.*)$'))
    WHEN t.kind = 'update' THEN jsonb_build_object('text', substring(t.text from '^(?:Update to stakeholders|Public update): (.*)$'))
    WHEN t.kind = 'report' THEN jsonb_strip_nulls(jsonb_build_object(
      'step', CASE
        WHEN t.text LIKE 'Edited the report''s %' THEN 'section_edited'
        WHEN t.text LIKE 'Requested review of the report%' THEN 'review_requested'
        WHEN t.text LIKE 'Approved the report%' THEN 'approved'
        WHEN t.text LIKE 'Requested changes to the report%' THEN 'changes_requested'
        WHEN t.text LIKE 'Published the report%' THEN 'published'
      END,
      'section', substring(t.text from '^Edited the report''s (.*) section(?: \(back to review\))?$'),
      'url', substring(t.text from '^Published the report: (.*)$')))
    -- An item added: its number, text, owner and due date as they were then (the text of an item
    -- never changes, and owner and due date are read from the sentence, after the text).
    WHEN t.kind = 'action' AND t.data->>'field' = 'action_item' THEN jsonb_build_object(
      'number', (substring(t.text from '^Action item (\d+): '))::int,
      'text', COALESCE(added.text, substring(t.text from '^Action item \d+: (.*)$')),
      'ownerId', substring(substr(t.text, length('Action item ' || added.number || ': ' || added.text) + 1)
        from '^ \(owner <@([A-Z0-9]+)>\)'),
      'due', substring(substr(t.text, length('Action item ' || added.number || ': ' || added.text) + 1)
        from ' due (\d{4}-\d{2}-\d{2})$'))
    -- A change to an item: which item, and `issue` when it was seen on GitHub (no author).
    WHEN t.kind = 'action' THEN jsonb_strip_nulls(jsonb_build_object(
      'number', (substring(t.text from '[Aa]ction item (\d+)'))::int,
      'text', COALESCE(changed.text, substring(t.text from ': (.*)$')),
      'issue', CASE WHEN t."authorId" IS NULL THEN (substring(t.text from 'issue #(\d+)'))::int END))
    ELSE '{}'::jsonb
  END AS facts
  FROM "TimelineEntry" AS t
  LEFT JOIN "ActionItem" AS added
    ON t.kind = 'action' AND t.data->>'field' = 'action_item' AND added.id::text = t.data->>'to'
  LEFT JOIN "ActionItem" AS changed
    ON t.kind = 'action' AND t.data->>'field' <> 'action_item' AND changed."incidentId" = t."incidentId"
    AND changed.number = (substring(t.text from '[Aa]ction item (\d+)'))::int
  WHERE t.kind NOT IN ('message', 'log', 'quoted', 'invited') AND NOT (t.kind = 'detected' AND t.data ? 'source')
    AND t.text <> '' AND t.data IS NOT NULL
) AS f
WHERE e.id = f.id;
