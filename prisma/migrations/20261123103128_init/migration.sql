-- CreateEnum
CREATE TYPE "IncidentStatus" AS ENUM ('investigating', 'identified', 'monitoring', 'resolved');

-- CreateEnum
CREATE TYPE "Severity" AS ENUM ('sev1', 'sev2', 'sev3', 'sev4');

-- CreateEnum
CREATE TYPE "Role" AS ENUM ('commander', 'tech_lead', 'liaison', 'scribe');

-- CreateEnum
CREATE TYPE "ActionItemStatus" AS ENUM ('open', 'done', 'dropped');

-- CreateEnum
CREATE TYPE "ReportStatus" AS ENUM ('draft', 'in_review', 'changes_requested', 'approved', 'published');

-- CreateTable
CREATE TABLE "Incident" (
    "id" UUID NOT NULL,
    "number" SERIAL NOT NULL,
    "title" TEXT NOT NULL,
    "channelId" TEXT NOT NULL,
    "channelName" TEXT NOT NULL,
    "status" "IncidentStatus" NOT NULL DEFAULT 'investigating',
    "severity" "Severity" NOT NULL DEFAULT 'sev3',
    "summary" TEXT,
    "resolution" TEXT,
    "declaredBy" TEXT NOT NULL,
    "declaredAt" TIMESTAMPTZ(3) NOT NULL,
    "detectedAt" TIMESTAMPTZ(3),
    "impactStartedAt" TIMESTAMPTZ(3),
    "impactEndedAt" TIMESTAMPTZ(3),
    "resolvedAt" TIMESTAMPTZ(3),
    "headerTs" TEXT,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "Incident_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "RoleAssignment" (
    "incidentId" UUID NOT NULL,
    "role" "Role" NOT NULL,
    "userId" TEXT NOT NULL,
    "assignedBy" TEXT NOT NULL,
    "assignedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "RoleAssignment_pkey" PRIMARY KEY ("incidentId","role")
);

-- CreateTable
CREATE TABLE "TimelineEntry" (
    "id" UUID NOT NULL,
    "incidentId" UUID NOT NULL,
    "sourceKey" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "occurredAt" TIMESTAMPTZ(6) NOT NULL,
    "ts" TEXT,
    "threadTs" TEXT,
    "authorId" TEXT,
    "text" TEXT NOT NULL,
    "files" JSONB NOT NULL DEFAULT '[]',
    "data" JSONB,
    "highlight" BOOLEAN NOT NULL DEFAULT false,
    "pinnedBy" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "deleted" BOOLEAN NOT NULL DEFAULT false,
    "deletedAt" TIMESTAMPTZ(6),
    "editedAt" TIMESTAMPTZ(6),
    "recordedAt" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "TimelineEntry_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "TimelineRevision" (
    "id" UUID NOT NULL,
    "entryId" UUID NOT NULL,
    "editTs" TEXT NOT NULL,
    "text" TEXT NOT NULL,
    "replacedAt" TIMESTAMPTZ(6) NOT NULL,

    CONSTRAINT "TimelineRevision_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ActionItem" (
    "id" UUID NOT NULL,
    "incidentId" UUID NOT NULL,
    "number" INTEGER NOT NULL,
    "sourceKey" TEXT NOT NULL,
    "text" TEXT NOT NULL,
    "ownerId" TEXT,
    "dueDate" DATE,
    "status" "ActionItemStatus" NOT NULL DEFAULT 'open',
    "createdBy" TEXT NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "issueNumber" INTEGER,
    "issueUrl" TEXT,
    "leaseUntil" TIMESTAMPTZ(3),
    "nextAttemptAt" TIMESTAMPTZ(3),
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "lastError" TEXT,

    CONSTRAINT "ActionItem_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Report" (
    "id" UUID NOT NULL,
    "incidentId" UUID NOT NULL,
    "status" "ReportStatus" NOT NULL DEFAULT 'draft',
    "sections" JSONB NOT NULL DEFAULT '{}',
    "version" INTEGER NOT NULL DEFAULT 1,
    "approvedBy" TEXT,
    "approvedVersion" INTEGER,
    "publishedUrl" TEXT,
    "publishedAt" TIMESTAMPTZ(3),
    "lastReminderAt" TIMESTAMPTZ(3),
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "Report_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "UserProfile" (
    "slackUserId" TEXT NOT NULL,
    "githubLogin" TEXT,

    CONSTRAINT "UserProfile_pkey" PRIMARY KEY ("slackUserId")
);

-- CreateIndex
CREATE UNIQUE INDEX "Incident_number_key" ON "Incident"("number");

-- CreateIndex
CREATE UNIQUE INDEX "Incident_channelId_key" ON "Incident"("channelId");

-- CreateIndex
CREATE INDEX "Incident_status_idx" ON "Incident"("status");

-- CreateIndex
CREATE INDEX "TimelineEntry_incidentId_occurredAt_idx" ON "TimelineEntry"("incidentId", "occurredAt");

-- CreateIndex
CREATE UNIQUE INDEX "TimelineEntry_incidentId_sourceKey_key" ON "TimelineEntry"("incidentId", "sourceKey");

-- CreateIndex
CREATE UNIQUE INDEX "TimelineRevision_entryId_editTs_key" ON "TimelineRevision"("entryId", "editTs");

-- CreateIndex
CREATE UNIQUE INDEX "ActionItem_incidentId_number_key" ON "ActionItem"("incidentId", "number");

-- CreateIndex
CREATE UNIQUE INDEX "ActionItem_incidentId_sourceKey_key" ON "ActionItem"("incidentId", "sourceKey");

-- CreateIndex
CREATE UNIQUE INDEX "Report_incidentId_key" ON "Report"("incidentId");

-- AddForeignKey
ALTER TABLE "RoleAssignment" ADD CONSTRAINT "RoleAssignment_incidentId_fkey" FOREIGN KEY ("incidentId") REFERENCES "Incident"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "TimelineEntry" ADD CONSTRAINT "TimelineEntry_incidentId_fkey" FOREIGN KEY ("incidentId") REFERENCES "Incident"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "TimelineRevision" ADD CONSTRAINT "TimelineRevision_entryId_fkey" FOREIGN KEY ("entryId") REFERENCES "TimelineEntry"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ActionItem" ADD CONSTRAINT "ActionItem_incidentId_fkey" FOREIGN KEY ("incidentId") REFERENCES "Incident"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Report" ADD CONSTRAINT "Report_incidentId_fkey" FOREIGN KEY ("incidentId") REFERENCES "Incident"("id") ON DELETE CASCADE ON UPDATE CASCADE;
