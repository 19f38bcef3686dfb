// The npm package's API in Node (no browser): run by tools/web-test.sh after tools/web-build.sh.
// Usage: node web/test/node-test.mjs FIXTURES_DIR
import { readFileSync } from "node:fs";
import { join } from "node:path";
import assert from "node:assert/strict";
import init, { Checkpoint, scanImage, verify } from "../pkg/healthpass.js";

const dir = process.argv[2];
const read = (name) => readFileSync(join(dir, name));
await init({ module_or_path: readFileSync(new URL("../pkg/healthpass_bg.wasm", import.meta.url)) });
const doc = JSON.parse(read("codes.json"));
const [green, , , , forged] = doc.codes.map((c) => c.text);

assert.equal(verify(green, doc.office_key_pem, doc.now_ms).claims.colour, "green");
assert.throws(() => verify(forged, doc.office_key_pem, doc.now_ms), (e) => e instanceof Error && e.code === "bad_signature");
assert.throws(() => verify(green, "", doc.now_ms), { code: "key" });

const checkpoint = new Checkpoint(read("anchor.pem").toString(), read("trust.cose"), read("policy.json").toString(), doc.now_ms);
checkpoint.addRevocationList(read("revoked.cose"), doc.now_ms);
assert.throws(() => checkpoint.addRevocationList(new Uint8Array([1, 2, 3]), doc.now_ms), (e) => typeof e.code === "string");
for (const code of doc.codes) {
  const verdict = checkpoint.check(code.text, doc.now_ms);
  assert.equal(verdict.accepted, code.expect.accepted, code.name);
  for (const reason of code.expect.refusals) assert.ok(verdict.refusals.some((f) => f.code === reason), code.name);
}
assert.deepEqual(scanImage(read("photo.jpg")), [green]);
assert.throws(() => scanImage(new Uint8Array([0, 1, 2])), { code: "image" });
const state = checkpoint.state();
assert.equal(state.trust_list_sequence, 1);
checkpoint.restoreState(state);
checkpoint.restoreState(JSON.stringify(state));
assert.throws(() => checkpoint.restoreState({ version: 1, trust_list_sequence: 9 }), { code: "list_rollback" });
assert.throws(() => new Checkpoint("", read("trust.cose"), "{}", doc.now_ms), { code: "key" });
console.log("node test passed: verify, Checkpoint, scanImage, state");
