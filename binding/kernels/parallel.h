// gemmnet's own thread pool. OpenBLAS runs single-threaded inside each worker; work is cut into
// more chunks than threads. Each thread runs its own contiguous share of the chunks first (the same
// share each time a kernel is called with the same cut, so its part of the data stays in its core's
// cache), then takes what is left of the others' shares: a thread that the OS deschedules (a shared,
// busy machine) simply runs fewer chunks instead of stalling the others. After a job the workers
// (and the caller, for the job's end) watch for the next one for 200 us (GEMMNET_SPIN_US; 0 blocks
// at once) before they block on a condition variable, since waking a blocked thread costs tens of
// microseconds on a virtual machine; a yielding caller's jobs (see set_yielding) never spin.
#pragma once
#include <cstddef>
#include <functional>

namespace gn {

// Runs fn(i) for i in [0, count), spread over the pool; the calling thread takes part. Falls back to
// running everything on the caller when the pool is busy with another caller (e.g. another
// worker_thread) or has one thread.
void parallel_for(int count, const std::function<void(int)>& fn);

// Cuts [0, n) into contiguous ranges of at least `grain` items, eight of them (fewer when n is
// small), and runs fn(begin, end) for each over the pool. The cut depends on n and grain only, never
// on the thread count, so a part that runs a gemm (whose bits can depend on its shape) gives the same
// result on any number of threads.
void parallel_ranges(size_t n, size_t grain, const std::function<void(size_t, size_t)>& fn);

// While set on the calling thread, every thread working on that thread's parallel loops (the caller
// and the pool's workers) gives up its core (sched_yield) after a chunk when the process's main
// thread is waiting for that very core, so that it gets the core within a chunk's time instead of at
// the scheduler's next tick (4 ms at 250 Hz). A training worker_thread sets it: the main thread,
// whose event loop serves everything else, then waits for a core for about a chunk. The look (a
// read of /proc/self/task/<pid>/stat, a few microseconds) is made at most every 200 us per thread;
// other processes are never yielded to on purpose. Per thread; off by default.
void set_yielding(bool on);
bool yielding();
// On a yielding thread, the same look and yield as after a chunk (at most every 200 us); nothing
// otherwise. The glue calls it as each native function is entered, so the time a yielding thread
// spends outside parallel loops (its JavaScript, serial kernels) is covered too.
void yield_point();

// Threads used by parallel_for (the caller included), at least 1.
void set_pool_threads(int n);
int pool_threads();

}  // namespace gn
