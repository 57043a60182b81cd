// The spec package's adversarial corpus (fixtures/adversarial-bodies.json, expanded by
// fixtures/adversarial.mjs, both exported by @ecs-api/spec).
import { type AdversarialCase, adversarialBodies } from "@ecs-api/spec/fixtures/adversarial.mjs";

export type { AdversarialCase };
export { adversarialBodies };
