const { Worker } = require('@orchestra/core');

const worker = new Worker();
worker.resolve(worker.params.a + worker.params.b);
