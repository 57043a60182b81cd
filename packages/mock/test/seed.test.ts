import { describe, expect, it } from "vitest";
import { uuidSource } from "../src/engine/ids.js";
import { type RunningMock, startMock } from "../src/index.js";
import { createImage, UUID, useMock } from "./helpers.js";

const a = useMock({ seed: "demo" });
const b = useMock({ seed: "demo" });
const body = { createImage: { name: "a" } };
const imageId = async (mock: RunningMock) => {
  const r = await createImage(mock, body, { version: "2.45" });
  expect(r.status).toBe(202);
  return r.json.image_id as string;
};
const ids = async (mock: RunningMock, count = 20) => {
  const out: string[] = [];
  for (let i = 0; i < count; i++) out.push(await imageId(mock));
  return out;
};
/** Runs `use` against fresh mocks started with these seeds, and stops them. */
async function withMocks<T>(seeds: string[], use: (mocks: RunningMock[]) => Promise<T>): Promise<T> {
  const mocks = await Promise.all(
    seeds.map((seed) => startMock({ port: 0, quiet: true, seed, workflow: { snapshotSeconds: 0 } })),
  );
  try {
    return await use(mocks);
  } finally {
    await Promise.all(mocks.map((m) => m.close()));
  }
}

describe("--seed", () => {
  it("given two mocks with the same seed, then the same sequence of image IDs", async () => {
    const [x, y] = [await ids(a.mock), await ids(b.mock)];
    expect(x).toEqual(y);
    expect(new Set(x).size).toBe(20);
    for (const id of x) expect(id).toMatch(UUID);
  });

  it("given two fresh mocks with different seeds, then their first image IDs differ", async () => {
    const [x, z] = await withMocks(["demo", "other"], async ([demo, other]) => [
      await ids(demo as RunningMock, 5),
      await ids(other as RunningMock, 5),
    ]);
    expect(x).toHaveLength(5);
    for (let i = 0; i < 5; i++) expect(x[i]).not.toBe(z[i]);
  });

  it("given 400s between two createImage calls, then the image IDs match a same-seed mock without them", async () => {
    const [withErrors, without] = await withMocks(["s", "s"], async ([noisy, quiet]) => {
      const m = noisy as RunningMock;
      const first = await imageId(m);
      for (const bad of [{}, { createImage: { name: "" } }, { createImage: {} }]) {
        expect((await createImage(m, bad, { version: "2.45" })).status).toBe(400);
      }
      const second = await imageId(m);
      return [[first, second], await ids(quiet as RunningMock, 2)];
    });
    expect(withErrors).toEqual(without);
  });

  it("given no seed, then random version-4 UUIDs", () => {
    const random = uuidSource(undefined, "image");
    expect(random()).toMatch(UUID);
    expect(random()).not.toBe(random());
  });
});
