// Runs viz/pages/ops.js on JSON from stdin, for the Python parity test (tests/viz/test_ops_js.py):
//   in:  {"evaluate": [[program, values], …], "fmt": [number, …]}
//   out: {"evaluate": [{data, grad, locals, problem}, …], "fmt": [text, …], "operations": [op name, …]}
// Numbers that are not finite come out as null (JSON has no NaN). Not a test file itself.
"use strict";
const ops = require("../../viz/pages/ops.js");

let input = "";
process.stdin.setEncoding("utf8");
process.stdin.on("data", (chunk) => { input += chunk; });
process.stdin.on("end", () => {
  const request = JSON.parse(input);
  const evaluated = (request.evaluate || []).map(([program, values]) => {
    const r = ops.evaluate(program, values);
    return { data: r.data, grad: r.grad, locals: r.locals, problem: r.problem };
  });
  const written = (request.fmt || []).map(ops.fmt);
  process.stdout.write(JSON.stringify({ evaluate: evaluated, fmt: written, operations: ops.OPERATIONS }));
});
