// Every published rule on every decoded DCC payload of the DCC test data, at several clocks,
// with the published value sets: one JSON line { expr, data, js } per evaluation.
const fs = require("fs"), path = require("path");
const { evaluate } = require("certlogic-js");
const root = process.argv[2];
const rules = [], payloads = [];
const walk = (dir, f) => { for (const e of fs.readdirSync(dir, { withFileTypes: true })) { const p = path.join(dir, e.name); e.isDirectory() ? walk(p, f) : f(p); } };
walk(path.join(root, "dcc-rules"), (p) => { if (p.endsWith("rule.json")) rules.push(JSON.parse(fs.readFileSync(p))); });
walk(path.join(root, "dcc"), (p) => { if (!p.endsWith(".json")) return; try { const j = JSON.parse(fs.readFileSync(p)); if (j.JSON && typeof j.JSON === "object") payloads.push(j.JSON); } catch (e) {} });
const valueSets = JSON.parse(fs.readFileSync(path.join(root, "dcc-rules/valuesets/valueSets.json")));
const clocks = ["2021-07-15T10:00:00Z", "2022-01-15T10:00:00Z", "2022-09-01T10:00:00+02:00"];
for (const payload of payloads) for (const clock of clocks) for (const rule of rules) {
  const data = { payload, external: { validationClock: clock, valueSets, countryCode: rule.Country, issuerCountryCode: "DE" } };
  let js; try { js = { value: evaluate(rule.Logic, data) }; } catch (e) { js = { error: String(e.message) }; }
  console.log(JSON.stringify({ expr: rule.Logic, data, js: JSON.parse(JSON.stringify(js)) }));
}
console.error(`${rules.length} rules, ${payloads.length} payloads, ${clocks.length} clocks`);
