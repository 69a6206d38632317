import * as fs from 'node:fs';
import { gitTree } from '@shipshape/repo';
const dir = process.argv[2]; const conc = Number(process.argv[3]);
const tree = await gitTree({ fs, dir, ref: 'main' });
const { files } = await tree.list();
let a = performance.now();
for (let i = 0; i < files.length; i += conc) await Promise.all(files.slice(i, i + conc).map((f) => tree.read(f.path)));
console.log(dir, 'concurrency', conc, 'read', (performance.now() - a).toFixed(0), 'ms');
