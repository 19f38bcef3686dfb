const { evaluate } = require("certlogic-js");
let seed = Number(process.argv[2] || 1);
const rnd = () => { seed = (seed * 1103515245 + 12345) % 2147483648; return seed / 2147483648; };
const pick = (a) => a[Math.floor(rnd() * a.length)];
const dates = ["2021-06-01", "2021-02-30", "2021-02-32", "2021-13-01", "2021", "2021-02", "2020-02-29", "2021-06-01T12:00:00Z",
  "2021-06-01T12:00:00", "2021-06-01T12:00:00.123456+1", "2021-06-01T24:00:00Z", "2021-06-01T12:00:00+01:", "2021-06-01T12:00:00+130",
  "2021-06-01T12:00:00-0930", "2021-01-31T23:59:59.999Z", "1999-12-31", "2004-02", "2021-6-1", "", "foo", "2021-06-01T12:00:60Z",
  "2021-06-01T25:00:00Z", "2021-06-01T12:00:00+24:00", "0000-01-01", "9999-12-31T23:59:59Z", "2021-00-10"];
const leafData = () => pick([null, true, false, 0, 1, -3, 2.5, 7, "", "x", "URN:UVCI:01:NL:187/37512422923", "01:AT:1#B", [], [1, 2], ["a", "b"], {}, { a: 1 }, pick(dates), pick(dates)]);
const data = () => ({ a: leafData(), b: leafData(), c: leafData(), d: pick(dates), e: pick(dates), n: Math.floor(rnd() * 5) - 2, arr: [leafData(), leafData(), pick(dates)], o: { p: leafData(), q: [1, 2, 3] }, s: "AT€x" });
const paths = ["a", "b", "c", "d", "e", "n", "arr", "arr.0", "arr.1", "arr.2", "arr.5", "o.p", "o.q", "o.q.length", "arr.length", "s.length", "s.2", "a.b", "", "o", "x.y", "arr.-1", "01"];
const units = ["year", "month", "day", "hour"];
const expr = (depth) => {
  if (depth <= 0 || rnd() < 0.25) {
    return pick([{ var: pick(paths) }, { var: pick(paths) }, pick(dates), 0, 1, -1, 18, true, false, "x", ["a", "x"], []]);
  }
  const op = pick(["if", "===", "and", "<", ">", "<=", ">=", "in", "+", "!", "plusTime", "plusTime", "reduce", "extractFromUVCI", "dccDateOfBirth", "after", "before", "not-after", "not-before", "not-before"]);
  const sub = () => expr(depth - 1);
  switch (op) {
    case "if": return { if: [sub(), sub(), sub()] };
    case "and": return { and: [sub(), sub()].concat(rnd() < 0.3 ? [sub()] : []) };
    case "!": return { "!": [sub()] };
    case "plusTime": return { plusTime: [rnd() < 0.6 ? { var: pick(["d", "e", "arr.2", "a"]) } : sub(), pick([0, 1, -1, 18, -18, 12, 400, -30]), pick(units)] };
    case "reduce": return { reduce: [pick([{ var: "arr" }, { var: "o.q" }, { var: "a" }]), pick([{ "+": [{ var: "accumulator" }, { var: "current" }] }, { and: [{ var: "accumulator" }, { var: "current" }] }, [{ var: "accumulator" }]]), pick([0, true, []])] };
    case "extractFromUVCI": return { extractFromUVCI: [sub(), pick([-1, 0, 1, 2, 3, 5])] };
    case "dccDateOfBirth": return { dccDateOfBirth: [rnd() < 0.6 ? { var: pick(["d", "e", "a"]) } : sub()] };
    case "<": case ">": case "<=": case ">=": case "after": case "before": case "not-after": case "not-before":
      if (["after", "before", "not-after", "not-before"].includes(op) && rnd() < 0.7) {
        const pt = () => ({ plusTime: [{ var: pick(["d", "e", "arr.2"]) }, pick([0, 1, -1, 14]), pick(units)] });
        return { [op]: rnd() < 0.8 ? [pt(), pt()] : [pt(), pt(), pt()] };
      }
      return { [op]: rnd() < 0.8 ? [sub(), sub()] : [sub(), sub(), sub()] };
    default: return { [op]: [sub(), sub()] };
  }
};
const n = Number(process.argv[3] || 1000);
for (let i = 0; i < n; i++) {
  const e = expr(Number(process.argv[4] || 3)), d = data();
  let out;
  try { out = { value: evaluate(e, d) }; } catch (err) { out = { error: String(err.message || err) }; }
  if (out.value === undefined && !("error" in out)) out = { value: null };
  console.log(JSON.stringify({ expr: e, data: d, js: JSON.parse(JSON.stringify(out)) }));
}
