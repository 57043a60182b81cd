// The page's script: a password login, createImage with `wait`, each poll shown as it comes.
// serve.mjs bundles it with esbuild; DEFAULTS is filled in there from the mock and the spec.
import { createEcsClient, EcsError, mockEndpoints } from "@ecs-api/client";
import { passwordAuth } from "@ecs-api/client/password";

/* global DEFAULTS */
const form = document.querySelector("#create");
const progress = document.querySelector("#progress");
const outcome = document.querySelector("#outcome");
const submit = document.querySelector("#submit");
const useFailing = document.querySelector("#use-failing");

// Prefilled with the mock's demo login; any field can also be given in the page's query string
// (?mock=http://127.0.0.1:4011&server=…).
const query = new URLSearchParams(location.search);
const initial = {
  mock: DEFAULTS.mockUrl,
  user: DEFAULTS.login.username,
  password: DEFAULTS.login.password,
  domain: DEFAULTS.login.userDomain,
  project: DEFAULTS.login.project,
  server: DEFAULTS.server,
  name: "from-the-browser",
};
for (const [field, value] of Object.entries(initial)) form.elements[field].value = query.get(field) ?? value;
useFailing.textContent = DEFAULTS.failingServer;
useFailing.addEventListener("click", () => {
  form.elements.server.value = DEFAULTS.failingServer;
});

function row(...cells) {
  const tr = document.createElement("tr");
  for (const cell of cells) {
    const td = document.createElement("td");
    td.textContent = cell;
    tr.append(td);
  }
  return tr;
}

form.addEventListener("submit", async (event) => {
  event.preventDefault();
  const field = (name) => form.elements[name].value.trim();
  progress.replaceChildren();
  outcome.className = "";
  delete outcome.dataset.kind;
  delete outcome.dataset.imageId;
  outcome.textContent = "Logging in and creating the image…";
  submit.disabled = true;
  try {
    const ecs = createEcsClient({
      endpoints: mockEndpoints(field("mock")),
      auth: passwordAuth({
        user: field("user"),
        password: form.elements.password.value,
        domain: field("domain"),
        project: field("project"),
      }),
    });
    const { imageId, image } = await ecs.createImage(
      field("server"),
      { name: field("name") },
      {
        microversion: "2.45",
        wait: {
          intervalMs: 250,
          onProgress({ status, taskState }) {
            const tr = row(String(progress.children.length + 1), status, taskState ?? "none");
            tr.dataset.status = status;
            tr.dataset.taskState = taskState ?? "";
            progress.append(tr);
          },
        },
      },
    );
    outcome.className = "active";
    outcome.dataset.imageId = imageId;
    outcome.textContent = `Image ${imageId} is ${image.status}.`;
  } catch (error) {
    outcome.className = "failed";
    // Every failure of the client is one typed error; its kind says what went wrong.
    if (error instanceof EcsError) {
      outcome.dataset.kind = error.kind;
      outcome.textContent = `EcsError (${error.kind}${error.status ? `, HTTP ${error.status}` : ""}): ${error.message}`;
    } else {
      outcome.textContent = `Unexpected: ${error}`;
    }
  } finally {
    submit.disabled = false;
  }
});
