// Validates KEDA ScaledObjects with the schema of @kubernetes-models/keda (generated from KEDA's CRDs).
// Reads a JSON array of objects from the file named by the first argument; prints a JSON array with, for each
// object, the list of its problems (empty when valid).
import { readFileSync } from "node:fs";
import { ScaledObject } from "@kubernetes-models/keda/keda.sh/v1alpha1/ScaledObject";

const objects = JSON.parse(readFileSync(process.argv[2], "utf8"));
const problems = objects.map((object) => {
  try {
    new ScaledObject(object).validate();
    return [];
  } catch (e) {
    return [String(e.message)];
  }
});
process.stdout.write(JSON.stringify(problems));
