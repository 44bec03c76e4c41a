// Prints one closing line, "N passed, N failed, N skipped", from Vitest's JSON report, then one line per
// failed test (file, title, the first line of its message), so that the end of a long CI log names them.
import { readFileSync } from 'node:fs';
import { relative } from 'node:path';

const file = process.argv[2];
try {
  const report = JSON.parse(readFileSync(file, 'utf8'));
  const skipped = (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
  console.log(`${report.numPassedTests} passed, ${report.numFailedTests} failed, ${skipped} skipped`);
  for (const suite of report.testResults ?? []) {
    const where = relative(process.cwd(), suite.name ?? '');
    const failed = (suite.assertionResults ?? []).filter((test) => test.status === 'failed');
    for (const test of failed) {
      const message = String(test.failureMessages?.[0] ?? '').split('\n')[0];
      console.log(`  FAILED ${where} > ${test.fullName}: ${message.slice(0, 300)}`);
    }
    // A file that failed to load has no test results, only its own message.
    if (failed.length === 0 && suite.status === 'failed') {
      console.log(
        `  FAILED ${where}: ${String(suite.message ?? '')
          .split('\n')[0]
          .slice(0, 300)}`,
      );
    }
  }
} catch (error) {
  console.log(
    `0 passed, 1 failed (no test report at ${file}: ${error instanceof Error ? error.message : error})`,
  );
  process.exitCode = 1;
}
