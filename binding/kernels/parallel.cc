#include "kernels/parallel.h"

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <cstdlib>
#include <memory>
#include <mutex>
#include <cstdint>
#include <sched.h>
#include <fcntl.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <chrono>
#include <cstring>
#include <thread>
#include <vector>

#include "kernels/fpenv.h"

namespace gn {
namespace {

thread_local bool tl_yielding = false;

// Whether the process's main thread is runnable and queued on the core this thread runs on: then
// this thread's sched_yield hands that core to it. Read from /proc/self/task/<pid>/stat (state,
// field 3; last core, field 39). False where that file cannot be read, and on the main thread.
bool main_thread_waits_here() {
  static const int fd = [] {
    char path[64];
    std::snprintf(path, sizeof path, "/proc/self/task/%d/stat", (int)getpid());
    return open(path, O_RDONLY | O_CLOEXEC);
  }();
  thread_local const bool on_main = (long)syscall(SYS_gettid) == (long)getpid();  // once per thread
  if (fd < 0 || on_main) return false;
  char buf[1024];
  const ssize_t n = pread(fd, buf, sizeof buf - 1, 0);
  if (n <= 0) return false;
  buf[n] = 0;
  const char* p = std::strrchr(buf, ')');  // the command name, in parentheses, may hold anything
  if (!p) return false;
  p++;
  char state = 0;
  for (int field = 3; *p; field++) {
    while (*p == ' ') p++;
    if (!*p) break;
    if (field == 3) {
      state = *p;
      if (state != 'R') return false;
    } else if (field == 39) {
      return std::strtol(p, nullptr, 10) == sched_getcpu();
    }
    while (*p && *p != ' ') p++;
  }
  return false;
}

// After a chunk on a yielding job: at most every 200 us per thread, looks whether the main thread
// waits for this core, and if so gives it up. Yielding unconditionally would hand the core to any
// other busy process as well, and training beside one then slowed down many times over.
void maybe_yield() {
  using clock = std::chrono::steady_clock;
  thread_local clock::time_point last{};
  const auto now = clock::now();
  if (now - last < std::chrono::microseconds(200)) return;
  last = now;
  if (main_thread_waits_here()) sched_yield();
}

// How long a thread watches for the next job (or a job's end) before it blocks. Short: an idle pool
// costs at most this much of a core after each job, and a busy machine loses little to it.
int spin_limit() {
  static const int us = [] {
    const char* e = std::getenv("GEMMNET_SPIN_US");
    return e ? std::max(0, std::min(std::atoi(e), 100000)) : 200;
  }();
  return us;
}

inline void cpu_relax() {
#if defined(__x86_64__) || defined(__i386__)
  __builtin_ia32_pause();
#elif defined(__aarch64__)
  asm volatile("yield");
#endif
}

template <class Ready>
void spin_until(Ready ready) {
  using clock = std::chrono::steady_clock;
  if (spin_limit() <= 0) return;
  const auto until = clock::now() + std::chrono::microseconds(spin_limit());
  do {
    for (int i = 0; i < 32; i++) {
      if (ready()) return;
      cpu_relax();
    }
  } while (clock::now() < until);
}

class Pool {
 public:
  ~Pool() { resize(1); }

  void resize(int n) {
    std::lock_guard<std::mutex> use(use_);
    stop_workers();
    threads_ = std::max(1, n);
    // A new worker starts at the current generation: it takes part in the next job, not in one
    // that ended before it started (counting itself out of an old job would leave pending_ one
    // short for the next, and its caller returning before a chunk ends, or waiting forever).
    // No job runs while use_ is held, so the generation cannot move meanwhile.
    unsigned long now;
    {
      std::lock_guard<std::mutex> lock(m_);
      now = generation_;
    }
    for (int i = 1; i < threads_; i++) workers_.emplace_back([this, now, i] { work(now, i); });
  }

  int threads() const { return threads_; }

  void run(int count, const std::function<void(int)>& fn) {
    const bool yield = tl_yielding;
    std::unique_lock<std::mutex> use(use_, std::try_to_lock);
    if (!use.owns_lock() || threads_ == 1 || count <= 1) {
      for (int i = 0; i < count; i++) {
        fn(i);
        if (yield && i + 1 < count) maybe_yield();
      }
      return;
    }
    {
      std::lock_guard<std::mutex> lock(m_);
      fn_ = &fn;
      yield_ = yield;
      count_ = count;
      const size_t words = ((size_t)count + 63) / 64;
      if (words > claimedWords_) {
        claimed_.reset(new std::atomic<uint64_t>[words]);
        claimedWords_ = words;
      }
      for (size_t w = 0; w < words; w++) claimed_[w].store(0, std::memory_order_relaxed);
      pending_.store(threads_ - 1);
      generation_.fetch_add(1, std::memory_order_release);
    }
    wake_.notify_all();
    drain(0);
    // The workers usually finish within microseconds of the caller: watch for that before sleeping
    // (not on a yielding thread, whose cores are to be left to the main thread).
    if (!yield) spin_until([this] { return pending_.load(std::memory_order_acquire) == 0; });
    std::unique_lock<std::mutex> lock(m_);
    done_.wait(lock, [this] { return pending_.load() == 0; });
    fn_ = nullptr;
  }

 private:
  // Whether this thread is the one to run chunk i (each is claimed once).
  bool claim(int i) {
    std::atomic<uint64_t>& w = claimed_[(size_t)i >> 6];
    const uint64_t bit = 1ull << (i & 63);
    if (w.load(std::memory_order_relaxed) & bit) return false;
    return !(w.fetch_or(bit, std::memory_order_acq_rel) & bit);
  }

  // Thread `self` runs its own share of the chunks first, a contiguous range (so that a kernel called
  // again with the same cut finds its part of the data in this core's cache), then takes what is
  // left of the others' shares from their ends: a thread that the OS deschedules just runs fewer.
  void drain(int self) {
    FlushDenormals flush;
    const int T = threads_, count = count_;
    const auto lo = [&](int t) { return (int)((long)count * t / T); };
    const auto step = [&](int i) {
      (*fn_)(i);
      if (yield_) maybe_yield();
    };
    for (int i = lo(self), e = lo(self + 1); i < e; i++)
      if (claim(i)) step(i);
    for (int d = 1; d < T; d++) {
      const int t = (self + d) % T;
      for (int i = lo(t + 1) - 1, b = lo(t); i >= b; i--)
        if (claim(i)) step(i);
    }
  }

  void work(unsigned long seen, int self) {
    bool spin = false;  // the last job's caller was not yielding
    for (;;) {
      // A job often follows the last within microseconds (a layer's next kernel): watch for it for a
      // while before sleeping, since waking a sleeping thread (on a virtual machine, a halted vCPU)
      // costs tens of microseconds.
      if (spin)
        spin_until([&] { return quit_.load(std::memory_order_relaxed) ||
                                generation_.load(std::memory_order_acquire) != seen; });
      {
        std::unique_lock<std::mutex> lock(m_);
        wake_.wait(lock, [&] { return quit_ || generation_ != seen; });
        if (quit_) return;
        seen = generation_;
        spin = !yield_;
      }
      drain(self);
      std::lock_guard<std::mutex> lock(m_);
      if (pending_.fetch_sub(1, std::memory_order_acq_rel) == 1) done_.notify_one();
    }
  }

  void stop_workers() {
    {
      std::lock_guard<std::mutex> lock(m_);
      quit_ = true;
    }
    wake_.notify_all();
    for (auto& t : workers_) t.join();
    workers_.clear();
    quit_ = false;
  }

  std::mutex use_;  // one parallel region at a time
  std::mutex m_;
  std::condition_variable wake_, done_;
  std::vector<std::thread> workers_;
  const std::function<void(int)>* fn_ = nullptr;
  std::unique_ptr<std::atomic<uint64_t>[]> claimed_;  // one bit per chunk of the current job
  size_t claimedWords_ = 0;
  int count_ = 0;
  bool yield_ = false;  // the job's caller is yielding (set_yielding): so is every thread on it
  std::atomic<int> pending_{0};
  // Written under m_ (the condition variables' predicates read them), and read without it by a
  // spinning thread.
  std::atomic<unsigned long> generation_{0};
  std::atomic<bool> quit_{false};
  int threads_ = 1;
};

int default_threads() {
  if (const char* env = std::getenv("GEMMNET_THREADS")) {
    int n = std::atoi(env);
    if (n >= 1 && n <= 256) return n;
  }
  unsigned hc = std::thread::hardware_concurrency();
  return hc == 0 ? 1 : (int)std::min(hc, 64u);
}

Pool& pool() {
  static Pool* p = [] {
    auto* created = new Pool();  // never destroyed: workers may outlive static destruction order
    created->resize(default_threads());
    return created;
  }();
  return *p;
}

}  // namespace

void parallel_for(int count, const std::function<void(int)>& fn) { pool().run(count, fn); }
// Parts of a parallel_ranges loop: a constant, so that where the range is cut (and so the shape of
// a gemm per part) does not depend on the thread count.
constexpr size_t kRangeParts = 8;

void parallel_ranges(size_t n, size_t grain, const std::function<void(size_t, size_t)>& fn) {
  if (n == 0) return;
  const size_t most = grain == 0 ? n : std::max<size_t>(1, n / grain);
  const size_t parts = std::min<size_t>(most, kRangeParts);
  if (parts <= 1) {
    fn(0, n);
    return;
  }
  const size_t step = (n + parts - 1) / parts;
  pool().run((int)((n + step - 1) / step), [&](int c) {
    const size_t begin = (size_t)c * step;
    fn(begin, std::min(n, begin + step));
  });
}

void set_yielding(bool on) { tl_yielding = on; }
void yield_point() {
  if (tl_yielding) maybe_yield();
}
bool yielding() { return tl_yielding; }

void set_pool_threads(int n) { pool().resize(n); }
int pool_threads() { return pool().threads(); }

}  // namespace gn
