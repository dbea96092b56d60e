import { installLoopbackGuard } from '@stowage/testing';

// Every test here talks to the forge emulator on 127.0.0.1 only: anything else throws.
installLoopbackGuard();
