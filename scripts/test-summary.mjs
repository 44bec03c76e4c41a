// Prints one closing line, "N passed, N failed, N skipped", from Vitest's JSON report.
import { readFileSync } from 'node:fs';

const file = process.argv[2];
try {
  const report = JSON.parse(readFileSync(file, 'utf8'));
  const skipped = (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
  console.log(`${report.numPassedTests} passed, ${report.numFailedTests} failed, ${skipped} skipped`);
} catch (error) {
  console.log(
    `0 passed, 1 failed (no test report at ${file}: ${error instanceof Error ? error.message : error})`,
  );
  process.exitCode = 1;
}
