// Validates every manifest in deploy/kubernetes against the Kubernetes API's own schemas (kubernetes-models),
// offline, and prints one line per object; exits 1 on the first invalid document, naming it.
import { readFileSync, readdirSync } from "node:fs";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import yaml from "js-yaml";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const dir = join(root, "deploy", "kubernetes");
let count = 0;
for (const file of readdirSync(dir).filter((f) => f.endsWith(".yaml")).sort()) {
  for (const doc of yaml.loadAll(readFileSync(join(dir, file), "utf8")).filter(Boolean)) {
    const where = `${file}: ${doc.kind} ${doc.metadata?.name}`;
    let Model;
    try {
      Model = (await import(`kubernetes-models/${doc.apiVersion}/${doc.kind}`))[doc.kind];
    } catch (e) {
      console.error(`FAIL: ${where}: no schema for ${doc.apiVersion} ${doc.kind}`);
      process.exit(1);
    }
    try {
      new Model(doc).validate();
    } catch (e) {
      console.error(`FAIL: ${where}: ${e.message}`);
      process.exit(1);
    }
    console.log(`valid: ${where}`);
    count++;
  }
}
if (count === 0) {
  console.error(`FAIL: no manifest in ${dir}`);
  process.exit(1);
}
