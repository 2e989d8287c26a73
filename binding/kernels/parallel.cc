#include "kernels/parallel.h"

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <cstdlib>
#include <mutex>
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
    for (int i = 1; i < threads_; i++) workers_.emplace_back([this, now] { work(now); });
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
      next_.store(0);
      pending_ = threads_ - 1;
      generation_++;
    }
    wake_.notify_all();
    drain();
    std::unique_lock<std::mutex> lock(m_);
    done_.wait(lock, [this] { return pending_ == 0; });
    fn_ = nullptr;
  }

 private:
  void drain() {
    FlushDenormals flush;
    for (int i = next_.fetch_add(1); i < count_; i = next_.fetch_add(1)) {
      (*fn_)(i);
      if (yield_) maybe_yield();
    }
  }

  void work(unsigned long seen) {
    for (;;) {
      {
        std::unique_lock<std::mutex> lock(m_);
        wake_.wait(lock, [&] { return quit_ || generation_ != seen; });
        if (quit_) return;
        seen = generation_;
      }
      drain();
      std::lock_guard<std::mutex> lock(m_);
      if (--pending_ == 0) done_.notify_one();
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
  std::atomic<int> next_{0};
  int count_ = 0;
  bool yield_ = false;  // the job's caller is yielding (set_yielding): so is every thread on it
  int pending_ = 0;
  unsigned long generation_ = 0;
  bool quit_ = false;
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
