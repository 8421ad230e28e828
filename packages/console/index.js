// The folder `castellan serve` serves under /console/: the output of this package's `vite build`.
import { fileURLToPath } from 'node:url';

export const consoleAssetsDir = fileURLToPath(new URL('./dist/', import.meta.url));
