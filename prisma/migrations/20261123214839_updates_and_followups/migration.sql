-- AlterTable
ALTER TABLE "ActionItem" ADD COLUMN     "doneAt" TIMESTAMPTZ(3),
ADD COLUMN     "incompleteRemindedAt" TIMESTAMPTZ(3),
ADD COLUMN     "issueCheckedAt" TIMESTAMPTZ(3),
ADD COLUMN     "issueEtag" TEXT,
ADD COLUMN     "issueState" TEXT,
ADD COLUMN     "overdueRemindedOn" DATE;

-- AlterTable
ALTER TABLE "Incident" ADD COLUMN     "publicTitle" TEXT,
ADD COLUMN     "statuspageIncidentId" TEXT,
ADD COLUMN     "updateRemindedAt" TIMESTAMPTZ(3);

-- AlterTable
ALTER TABLE "Report" ADD COLUMN     "publicSummary" TEXT;

-- CreateTable
CREATE TABLE "StakeholderUpdate" (
    "id" UUID NOT NULL,
    "incidentId" UUID NOT NULL,
    "sourceKey" TEXT NOT NULL,
    "public" BOOLEAN NOT NULL,
    "text" TEXT NOT NULL,
    "status" "IncidentStatus" NOT NULL,
    "postedBy" TEXT NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL,
    "publishedAt" TIMESTAMPTZ(3),
    "pushedAt" TIMESTAMPTZ(3),
    "pushLeaseUntil" TIMESTAMPTZ(3),
    "pushNextAttemptAt" TIMESTAMPTZ(3),
    "pushAttempts" INTEGER NOT NULL DEFAULT 0,
    "pushLastError" TEXT,

    CONSTRAINT "StakeholderUpdate_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "StakeholderUpdate_public_publishedAt_idx" ON "StakeholderUpdate"("public", "publishedAt");

-- CreateIndex
CREATE UNIQUE INDEX "StakeholderUpdate_incidentId_sourceKey_key" ON "StakeholderUpdate"("incidentId", "sourceKey");

-- AddForeignKey
ALTER TABLE "StakeholderUpdate" ADD CONSTRAINT "StakeholderUpdate_incidentId_fkey" FOREIGN KEY ("incidentId") REFERENCES "Incident"("id") ON DELETE CASCADE ON UPDATE CASCADE;
