// Runs viz/pages/trainer.js on JSON from stdin, for the Python parity tests (tests/viz/test_trainer_parity.py):
//   in:  [{spec, epochs}, …]   (spec as chainruleTrainer.create takes it)
//   out: [{losses, parameters, batchLosses} or {error}, …]
// Not a test file itself.
"use strict";
const trainer = require("../../viz/pages/trainer.js");

let input = "";
process.stdin.setEncoding("utf8");
process.stdin.on("data", (chunk) => { input += chunk; });
process.stdin.on("end", () => {
  const out = JSON.parse(input).map(({ spec, epochs }) => {
    try {
      const t = trainer.create(spec);
      for (let e = 0; e < epochs; e++) { t.epoch(); }
      return { losses: t.losses, parameters: t.parameters(), batchLosses: t.batchLosses };
    } catch (error) {
      return { error: String(error.message || error) };
    }
  });
  process.stdout.write(JSON.stringify(out));
});
