-- AlterTable
ALTER TABLE "Report" ADD COLUMN     "publishedPath" TEXT;
