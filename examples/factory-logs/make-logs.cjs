// Writes a month of made-up logs: node make-logs.cjs <dir> [files] [lines per file]
// Gzipped ld-json, one file per day; about one line in a hundred has error 505.
const fs = require('fs');
const path = require('path');
const zlib = require('zlib');

const [dir = 'logs', files = '30', lines = '20000'] = process.argv.slice(2);
fs.mkdirSync(dir, { recursive: true });
for (let day = 1; day <= Number(files); day += 1) {
  const rows = [];
  for (let i = 0; i < Number(lines); i += 1) {
    const error = i % 97 === day % 97 ? 505 : i % 13 === 0 ? 404 : 0;
    rows.push(JSON.stringify({ at: `2017-11-${String(day).padStart(2, '0')}T00:00:${String(i % 60).padStart(2, '0')}Z`, path: `/item/${i}`, error }));
  }
  fs.writeFileSync(path.join(dir, `2017-11-${String(day).padStart(2, '0')}.ldjson.gz`), zlib.gzipSync(`${rows.join('\n')}\n`));
}
console.log(`wrote ${files} log files to ${dir}/`);
