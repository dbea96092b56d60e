import { fileURLToPath } from 'node:url';

/**
 * A Python script (standard library only) that builds tiny pure-Python wheels and a PEP 503
 * index offline: `python3 <script> OUT_DIR NAME==VERSION ...`. For tests of tools that install
 * packages (pip, poetry) on machines without PyPI.
 */
export const MAKE_WHEELS_SCRIPT = fileURLToPath(new URL('../fixtures/make_wheels.py', import.meta.url));
