// Node's test events as JSON lines, for tests/js/conftest.py: one line per finished
// test with its suite path and, when it failed, node's own account of why. pytest then
// reports each JS test as an item of its own, so they count in the test total.
import { inspect } from "node:util";

export default async function* jsonLines(source) {
  const path = [];
  for await (const { type, data } of source) {
    if (type === "test:start") {
      path.length = data.nesting;
      path.push(data.name);
    } else if (type === "test:stderr" || type === "test:stdout") {
      yield `${JSON.stringify({ output: data.message })}\n`;
    } else if (type === "test:pass" || type === "test:fail") {
      const error = data.details?.error;
      yield `${JSON.stringify({
        names: [...path.slice(0, data.nesting), data.name],
        passed: type === "test:pass",
        suite: data.details?.type === "suite",
        skipped: data.skip !== undefined || data.todo !== undefined,
        error: error ? inspect(error.cause ?? error, { depth: 4 }) : null,
      })}\n`;
    }
  }
}
