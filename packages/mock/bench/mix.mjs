// The request mix every mock bench sends, loopback or in-process: valid createImage calls at three
// microversions and on /v2, and the usual mistakes (bad bodies, bad and unsupported versions, no
// token, a wrong content type, the 404 and 409 scenario servers). The scenario IDs are the spec's,
// through the mock's own table.
import { SCENARIOS } from "../dist/index.js";

export const PROJECT = "9c53a566cb3443ab910cf0daebca90c4";
export const ACTIVE = "7d5e4a45-2d1b-4c3e-8a43-9f0a1a8b6e21";
export const action = (server = ACTIVE, prefix = "/v2.1", project = PROJECT) =>
  `${prefix}/${project}/servers/${server}/action`;
export const good = JSON.stringify({ createImage: { name: "bench-image", metadata: { k: "v" } } });
export const json = { "x-auth-token": "bench-token", "content-type": "application/json" };

export const MIX = [
  { method: "POST", path: action(), headers: json, body: good },
  {
    method: "POST",
    path: action(),
    headers: { ...json, "openstack-api-version": "compute 2.45" },
    body: good,
  },
  {
    method: "POST",
    path: action(),
    headers: { ...json, "x-openstack-nova-api-version": "2.60" },
    body: good,
  },
  { method: "POST", path: action(ACTIVE, "/v2"), headers: json, body: good },
  { method: "POST", path: action(), headers: json, body: '{"createImage": {"name": ""}}' },
  { method: "POST", path: action(), headers: json, body: '{"createImage": {"name": "a", "foo": 1}}' },
  { method: "POST", path: action(), headers: { ...json, "x-openstack-nova-api-version": "2.x" }, body: good },
  {
    method: "POST",
    path: action(),
    headers: { ...json, "x-openstack-nova-api-version": "2.99" },
    body: good,
  },
  { method: "POST", path: action(), headers: { "content-type": "application/json" }, body: good },
  { method: "POST", path: action(), headers: { ...json, "content-type": "application/xml" }, body: good },
  { method: "POST", path: action(SCENARIOS["not-found"]), headers: json, body: good },
  { method: "POST", path: action(SCENARIOS["vm-state-error"]), headers: json, body: good },
];
