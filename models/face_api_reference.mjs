// Reference outputs of face-api's own expression network (@vladmandic/face-api, pure-JS TF.js CPU backend)
// for 112x112 RGB crops, used to check the ONNX port (training/tests/test_face_api_port.py).
//
// Usage: node models/face_api_reference.mjs CROPS.rgb OUT.json
//   CROPS.rgb: N crops, raw uint8 RGB, row-major [N,112,112,3] (made by the Python test from real photos)
//   OUT.json:  {"face_api_version", "backend", "probs": [N][7], "embedding": [N][256]}
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const SIZE = 112;
const here = dirname(fileURLToPath(import.meta.url));
const packageDir = join(here, 'node_modules', '@vladmandic', 'face-api');

const [cropsPath, outPath] = process.argv.slice(2);
if (!cropsPath || !outPath) {
  console.error('usage: node face_api_reference.mjs CROPS.rgb OUT.json');
  process.exit(2);
}

// The bundle stubs out node's `util`, so TF.js's node platform throws at import ("this.util.TextEncoder is
// not a constructor"). Node 20 has the web APIs TF.js's browser platform uses (fetch, TextEncoder,
// performance), so declare a worker scope while the bundle loads to make TF.js pick that platform.
let faceapi;
globalThis.WorkerGlobalScope ??= class WorkerGlobalScope {};
try {
  faceapi = await import(join(packageDir, 'dist', 'face-api.esm.js'));
} catch (e) {
  console.error(`cannot load ${packageDir}/dist/face-api.esm.js (${e.message}): run ./mmstream setup`);
  process.exit(2);
} finally {
  delete globalThis.WorkerGlobalScope;
}
const { tf } = faceapi;
await tf.setBackend('cpu');
await tf.ready();

// fetch() of file:// URLs does not work in node, so decode the TF.js weights from disk ourselves.
const modelDir = join(packageDir, 'model');
const manifest = JSON.parse(readFileSync(join(modelDir, 'face_expression_model-weights_manifest.json'), 'utf8'));
const specs = manifest.flatMap((group) => group.weights);
const shards = manifest.flatMap((group) => group.paths.map((p) => readFileSync(join(modelDir, p))));
const joined = Buffer.concat(shards);
const weightMap = tf.io.decodeWeights(joined.buffer.slice(joined.byteOffset, joined.byteOffset + joined.length), specs);
const net = faceapi.nets.faceExpressionNet;
net.loadFromWeightMap(weightMap);

const bytes = readFileSync(cropsPath);
const cropBytes = SIZE * SIZE * 3;
if (bytes.length === 0 || bytes.length % cropBytes !== 0) {
  console.error(`${cropsPath}: ${bytes.length} bytes is not a whole number of ${SIZE}x${SIZE} RGB crops`);
  process.exit(2);
}
const probs = [];
const embedding = [];
for (let i = 0; i < bytes.length / cropBytes; i++) {
  const crop = tf.tensor3d(new Uint8Array(bytes.buffer, bytes.byteOffset + i * cropBytes, cropBytes), [SIZE, SIZE, 3], 'int32');
  const expressions = await net.predictExpressions(crop);
  probs.push(faceapi.FACE_EXPRESSION_LABELS.map((label) => expressions[label]));
  const bottleneck = await net.faceFeatureExtractor.forward(crop); // [1,1,1,256], the input of the final FC
  embedding.push(Array.from(bottleneck.dataSync()));
  bottleneck.dispose();
  crop.dispose();
}
writeFileSync(outPath, JSON.stringify({
  face_api_version: faceapi.version,
  tfjs_version: tf.version_core,
  backend: tf.getBackend(),
  labels: faceapi.FACE_EXPRESSION_LABELS,
  probs,
  embedding,
}));
