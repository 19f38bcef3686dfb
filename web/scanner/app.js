// The scanner page: camera frames to the worker, verdicts to the screen. No server logic: the
// setup files stay in this browser (IndexedDB), the scanner state in localStorage.
//
// For tests and demos, `?now=<ms since 1970>` makes the page's clock start at that time.

const $ = (id) => document.getElementById(id);
const params = new URLSearchParams(location.search);
const startedAt = performance.now();
const fixedNow = params.has("now") ? Number(params.get("now")) : null;
const now = () => (fixedNow !== null ? fixedNow + (performance.now() - startedAt) : Date.now());

// What tests and other scripts can watch: every verdict shown, and when the page is ready.
const page = { verdicts: [], frames: 0, lastFrameMs: null, configured: false, offlineReady: false };
window.healthpass = page;

// ---- Storage: the operator's files in IndexedDB, the scanner state in localStorage ----------
const STATE_KEY = "healthpass.scanner-state";
function db() {
  return new Promise((resolve, reject) => {
    const open = indexedDB.open("healthpass-scanner", 1);
    open.onupgradeneeded = () => open.result.createObjectStore("setup");
    open.onsuccess = () => resolve(open.result);
    open.onerror = () => reject(open.error);
  });
}
async function store(key, value) {
  const database = await db();
  return new Promise((resolve, reject) => {
    const tx = database.transaction("setup", "readwrite");
    if (value === undefined) tx.objectStore("setup").delete(key);
    else tx.objectStore("setup").put(value, key);
    tx.oncomplete = () => resolve();
    tx.onerror = () => reject(tx.error);
  });
}
async function load(key) {
  const database = await db();
  return new Promise((resolve, reject) => {
    const get = database.transaction("setup").objectStore("setup").get(key);
    get.onsuccess = () => resolve(get.result);
    get.onerror = () => reject(get.error);
  });
}

// ---- The worker: one request at a time per id; a trapped worker is replaced -----------------
let worker;
let nextId = 1;
const pending = new Map();
let setup = null;

function startWorker() {
  worker = new Worker(new URL("./worker.js", import.meta.url), { type: "module" });
  worker.onmessage = (event) => {
    const msg = event.data;
    const waiting = pending.get(msg.id);
    pending.delete(msg.id);
    if (msg.type === "fatal") {
      // The WebAssembly instance aborted: fail what was asked, start afresh with the same setup.
      for (const [, p] of pending) p.reject(Object.assign(new Error("scanner restarted"), { code: "internal" }));
      pending.clear();
      if (waiting) waiting.reject(Object.assign(new Error(msg.error.message), { code: "scanner_failed" }));
      worker.terminate();
      startWorker();
      if (setup) configure(setup).catch(() => {});
      return;
    }
    if (!waiting) return;
    if (msg.type === "error") waiting.reject(Object.assign(new Error(msg.error.message), { code: msg.error.code }));
    else waiting.resolve(msg);
  };
}
function request(msg, transfer = []) {
  const id = nextId++;
  return new Promise((resolve, reject) => {
    pending.set(id, { resolve, reject });
    worker.postMessage({ ...msg, id }, transfer);
  });
}
page.request = request;

// ---- Setup ------------------------------------------------------------------------------
async function configure(next) {
  const state = localStorage.getItem(STATE_KEY);
  const result = await request({
    type: "config",
    anchors: next.anchors,
    trust: next.trust.slice(0),
    revocations: next.revocations.map((r) => ({ name: r.name, bytes: r.bytes.slice(0) })),
    policy: next.policy,
    state,
    nowMs: now(),
  });
  setup = next;
  page.configured = true;
  saveState(result.state);
  const lists = next.revocations.length - result.refusedLists.length;
  let policyName = "";
  try { policyName = JSON.parse(next.policy).name || ""; } catch { /* the worker has refused it already */ }
  $("setup-summary").textContent =
    `Loaded (${next.source}): trust list #${result.state.trust_list_sequence}, ` +
    `${lists} revocation list${lists === 1 ? "" : "s"}` + (policyName ? `, policy “${policyName}”` : "") + ".";
  const problems = result.refusedLists.map((r) => `${r.name} refused [${r.code}]: ${r.message}`);
  if (result.stateError) problems.push(`saved state not restored [${result.stateError.code}]: ${result.stateError.message}`);
  $("setup-error").textContent = problems.join(" ");
  updateStatus();
  return result;
}

async function loadSetup(next) {
  $("setup-error").textContent = "";
  try {
    await configure(next);
    await store("setup", next);
  } catch (err) {
    $("setup-error").textContent = `Setup refused [${err.code || "error"}]: ${err.message}`;
    throw err;
  }
}

$("setup-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const file = (id) => $(id).files[0];
  const revocations = await Promise.all(
    [...$("revocations").files].map(async (f) => ({ name: f.name, bytes: await f.arrayBuffer() })),
  );
  await loadSetup({
    source: "operator files",
    anchors: await file("anchors").text(),
    trust: await file("trust").arrayBuffer(),
    revocations,
    policy: await file("policy").text(),
  }).catch(() => {});
});

async function loadDemo() {
  const get = async (name) => {
    const response = await fetch(`demo/${name}`);
    if (!response.ok) throw Object.assign(new Error(`demo/${name}: ${response.status}`), { code: "demo_missing" });
    return response;
  };
  await loadSetup({
    source: "demo set",
    anchors: await (await get("anchor.pem")).text(),
    trust: await (await get("trust.cose")).arrayBuffer(),
    revocations: [{ name: "revoked.cose", bytes: await (await get("revoked.cose")).arrayBuffer() }],
    policy: await (await get("policy.json")).text(),
  });
}
$("setup-demo").addEventListener("click", () => loadDemo().catch((err) => {
  $("setup-error").textContent = `The demo set is not available [${err.code || "error"}]: ${err.message}`;
}));
$("setup-forget").addEventListener("click", async () => {
  await store("setup", undefined);
  localStorage.removeItem(STATE_KEY);
  location.reload();
});

function saveState(state) {
  if (state) localStorage.setItem(STATE_KEY, JSON.stringify(state));
}

// ---- Showing a verdict ------------------------------------------------------------------
const COLOUR_WORDS = { green: "Green", yellow: "Yellow", orange: "Orange", red: "Red" };
const when = new Intl.DateTimeFormat(navigator.language, {
  year: "numeric", month: "short", day: "numeric", hour: "2-digit", minute: "2-digit", timeZoneName: "short",
});
let shown = null; // { key, at }
const HOLD_MS = 1500;

function showVerdict(verdict, source) {
  const key = JSON.stringify(verdict);
  const at = performance.now();
  if (shown && shown.key === key && at - shown.at < 4000) return; // the same code still in view
  shown = { key, at };
  const accepted = verdict.accepted;
  const colour = verdict.colour;
  const section = $("verdict");
  section.className = `verdict ${accepted ? "verdict-accepted" : "verdict-refused"}${colour ? ` colour-${colour}` : ""}`;
  $("band-icon").textContent = accepted ? "✓" : "✕";
  const colourWord = colour ? COLOUR_WORDS[colour] || colour : null;
  $("band-word").textContent = accepted
    ? `ACCEPTED · ${colourWord.toUpperCase()}`
    : `REFUSED${colourWord ? ` · ${colourWord.toUpperCase()} CODE` : ""}`;

  const summary = verdict.summary;
  // An unverified code shows nothing of what it claims: clear the last code's details first.
  for (const id of ["colour-word", "name", "issuer", "kind", "validity"]) $(id).textContent = "";
  $("colour-chip").className = "chip";
  $("details").hidden = !summary;
  if (summary) {
    $("colour-chip").className = `chip colour-${summary.colour}`;
    $("colour-word").textContent = COLOUR_WORDS[summary.colour] || summary.colour;
    $("name").textContent = summary.name || "(no name on the code)";
    $("issuer").textContent = summary.issuer;
    $("kind").textContent = summary.kind;
    $("validity").textContent = `from ${when.format(new Date(summary.valid_from))} until ${when.format(new Date(summary.valid_until))}`;
  }
  const reasons = $("reasons");
  reasons.replaceChildren();
  const item = (finding, prefix) => {
    const li = document.createElement("li");
    li.append(`${prefix}${finding.message} `);
    const code = document.createElement("code");
    code.textContent = finding.code;
    li.append(code);
    li.dataset.code = finding.code;
    reasons.append(li);
  };
  verdict.refusals.forEach((f) => item(f, ""));
  verdict.warnings.forEach((f) => item(f, "Warning: "));
  if (!summary && verdict.refusals.length) {
    const li = document.createElement("li");
    li.textContent = "Nothing the code claims is shown: it could not be verified.";
    reasons.append(li);
  }
  $("reasons-box").hidden = reasons.children.length === 0;

  const entry = document.createElement("li");
  const time = new Date(now()).toLocaleTimeString(navigator.language);
  entry.textContent = `${time} ${accepted ? "ACCEPTED" : "REFUSED"}` +
    (colourWord ? ` · ${colourWord}` : "") + (summary && summary.name ? ` · ${summary.name}` : "") +
    (verdict.refusals.length ? ` · ${verdict.refusals.map((f) => f.code).join(", ")}` : "") + ` (${source})`;
  $("history").prepend(entry);
  while ($("history").children.length > 20) $("history").lastChild.remove();
  page.verdicts.push({ verdict, source, at: Date.now() });
}

function showError(err) {
  showVerdict({ accepted: false, colour: null, summary: null, refusals: [{ code: err.code || "error", message: err.message }], warnings: [] }, "error");
}

// ---- Camera: frames to the worker, one at a time -----------------------------------------
let stream = null;
let scanning = false;

async function startCamera() {
  if (!setup) {
    $("setup-error").textContent = "Load a trust list, revocation lists and a policy first.";
    return;
  }
  try {
    stream = await navigator.mediaDevices.getUserMedia({
      video: { facingMode: "environment", width: { ideal: 1280 }, height: { ideal: 720 } },
      audio: false,
    });
  } catch (err) {
    $("status").textContent = `No camera (${err.name}): choose a photo instead.`;
    return;
  }
  const video = $("video");
  video.srcObject = stream;
  await video.play();
  $("camera-start").disabled = true;
  $("camera-stop").disabled = false;
  scanning = true;
  scanLoop();
}

function stopCamera() {
  scanning = false;
  if (stream) stream.getTracks().forEach((t) => t.stop());
  stream = null;
  $("video").srcObject = null;
  $("camera-start").disabled = false;
  $("camera-stop").disabled = true;
}

async function scanLoop() {
  const video = $("video");
  let lastShownAt = 0;
  while (scanning) {
    const started = performance.now();
    if (video.readyState >= 2 && video.videoWidth > 0) {
      try {
        const bitmap = await createImageBitmap(video);
        const result = await request({ type: "frame", bitmap, nowMs: now() }, [bitmap]);
        if (!scanning) break;
        page.frames++;
        page.lastFrameMs = result.ms;
        $("scan-stats").textContent = `${result.width}×${result.height} frame scanned in ${result.ms.toFixed(0)} ms`;
        if (result.verdicts.length) {
          // Keep a verdict on screen long enough to be read before the next code replaces it.
          const wait = HOLD_MS - (performance.now() - lastShownAt);
          if (shown && JSON.stringify(result.verdicts[0]) !== shown.key && wait > 0) await sleep(wait);
          if (!scanning) break; // stopped meanwhile: a photo's verdict may be on screen now
          result.verdicts.forEach((v) => showVerdict(v, "camera"));
          lastShownAt = performance.now();
          saveState(result.state);
        }
      } catch (err) {
        if (err.code !== "internal") showError(err);
      }
    }
    await sleep(Math.max(0, 60 - (performance.now() - started)));
  }
}
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

$("camera-start").addEventListener("click", startCamera);
$("camera-stop").addEventListener("click", stopCamera);

$("photo").addEventListener("change", async () => {
  const file = $("photo").files[0];
  if (!file) return;
  if (!setup) {
    $("setup-error").textContent = "Load a trust list, revocation lists and a policy first.";
    return;
  }
  try {
    const bytes = await file.arrayBuffer();
    const result = await request({ type: "file", bytes, nowMs: now() }, [bytes]);
    shown = null;
    result.verdicts.forEach((v) => showVerdict(v, "photo"));
    saveState(result.state);
  } catch (err) {
    showError(err);
  }
  $("photo").value = "";
});

// ---- Offline: the service worker caches the page, the worker and the module ---------------
function updateStatus() {
  const parts = [];
  parts.push(setup ? "Checkpoint ready" : "Load the checkpoint setup");
  parts.push(page.offlineReady ? "works offline" : navigator.onLine ? "online" : "offline");
  $("status").textContent = parts.join(" · ");
}
window.addEventListener("online", updateStatus);
window.addEventListener("offline", updateStatus);

async function registerServiceWorker() {
  if (!("serviceWorker" in navigator)) return;
  try {
    await navigator.serviceWorker.register("sw.js");
    const registration = await navigator.serviceWorker.ready;
    // The worker has installed (its cache is complete) once it is active.
    page.offlineReady = Boolean(registration.active);
  } catch (err) {
    console.warn("service worker:", err);
  }
  updateStatus();
}

// ---- Start ---------------------------------------------------------------------------
startWorker();
page.ready = (async () => {
  updateStatus();
  const saved = await load("setup").catch(() => null);
  if (saved) await configure(saved).catch((err) => { $("setup-error").textContent = `Saved setup refused [${err.code}]: ${err.message}`; });
  await registerServiceWorker();
  return true;
})();
