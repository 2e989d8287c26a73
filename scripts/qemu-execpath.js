'use strict';
// Preloaded (NODE_OPTIONS=--require) by scripts/check-platforms.sh when Node runs under qemu-user:
// process.execPath is then the emulated binary, which this machine cannot run directly, so child
// processes that tests spawn with process.execPath go through the host script that starts qemu.
if (process.env.GEMMNET_EXEC_PATH) process.execPath = process.env.GEMMNET_EXEC_PATH;
