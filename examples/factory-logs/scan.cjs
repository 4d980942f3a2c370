// The thread-factory document's example, on local files instead of S3: only the require line is new.
// node scan.cjs <logs dir> <output dir>
const ThreadFactory = require('@orchestra/factory');
const zlib = require('zlib');
const fs = require('fs');
const path = require('path');
const readline = require('readline');

// Every thread loads this file and sees the same arguments.
const [logs = 'logs', output = 'output'] = process.argv.slice(2);
fs.mkdirSync(output, { recursive: true });

// The manager lists the keys: every file of November.
const manager = () =>
  new Promise((resolve, reject) => {
    fs.readdir(logs, (err, names) => {
      if (err) {
        reject(err);
        return;
      }
      resolve(names.filter((name) => name.startsWith('2017-11-')));
    });
  });

// A worker streams one file and appends its 505 errors to a file of its own thread.
const worker = (key, resume) =>
  new Promise((resolve, reject) => {
    const zipper = zlib.createGunzip();
    const rl = readline.createInterface({ input: fs.createReadStream(path.join(logs, key)).pipe(zipper) });
    let found = 0;
    rl.on('line', (data) => {
      const json = JSON.parse(data);
      if (json.error === 505) {
        found += 1;
        fs.appendFileSync(path.join(output, `output-${resume.id}.ldjson`), `${data}\n`);
      }
    });
    rl.on('close', () => resolve(found));
    rl.on('error', (e) => reject(e));
  });

const factory = new ThreadFactory({
  manager,
  worker,
});

let total = 0;
factory.on('completed', ({ item, result }) => {
  total += result;
  console.log(`${item}: ${result} errors 505`);
});

factory.on('finished', (summary) => {
  console.log(`finished: ${summary.completed} of ${summary.items} files, ${total} errors 505, in ${(summary.elapsedMs / 1000).toFixed(2)} s`);
  console.log(`output: ${fs.readdirSync(output).join(', ')}`);
});

factory.on('error', (e) => {
  console.log(e);
});

factory.start();
