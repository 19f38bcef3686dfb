// Random well- and ill-formed CertLogic expressions, each with the reference validator's issues:
// one JSON line { "validate": expr, "js": [issues] } per case.  node gen_validate.js SEED COUNT
const { validateFormat } = require("certlogic-js/dist/validation");
let seed = Number(process.argv[2] || 1);
const rnd = () => { seed = (seed * 1103515245 + 12345) % 2147483648; return seed / 2147483648; };
const pick = (a) => a[Math.floor(rnd() * a.length)];
const ops = ["var", "if", "===", "and", "<", ">", "<=", ">=", "in", "+", "!", "plusTime", "reduce", "extractFromUVCI",
  "dccDateOfBirth", "after", "before", "not-after", "not-before", "all", "or", "some"];
const leaf = () => pick([null, true, false, 0, 42, -7, 3.5, "", "x", "day", "week", [], {}, { a: 1, b: 2 },
  { var: "x" }, { var: "" }, { var: "x." }, { var: ".x" }, { var: "a..b" }, { var: 3 }, { var: null }, { var: ["x"] }]);
const expr = (depth) => {
  if (depth <= 0 || rnd() < 0.3) return leaf();
  const op = pick(ops);
  if (op === "var") return pick([{ var: "x.0.y" }, { var: "x." }, { var: 1 }]);
  if (rnd() < 0.1) return { [op]: pick(["x", 1, null, true, {}]) };
  const n = Math.floor(rnd() * 5);
  const operands = [];
  for (let i = 0; i < n; i++) operands.push(expr(depth - 1));
  if (op === "plusTime" && n >= 3 && rnd() < 0.5) { operands[1] = pick([1, -2, 1.5, "1", null]); operands[2] = pick(["day", "year", "week", 3, null]); }
  if (op === "extractFromUVCI" && n >= 2 && rnd() < 0.5) operands[1] = pick([0, 2, 1.5, "1", null]);
  return { [op]: operands };
};
const count = Number(process.argv[3] || 1000);
for (let i = 0; i < count; i++) {
  const e = expr(4);
  console.log(JSON.stringify({ validate: e, js: validateFormat(e) }));
}
