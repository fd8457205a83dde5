#pragma once
// A small pool of persistent worker threads: starting threads for every render would cost more
// than rendering the small scenes takes.
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace gaussmap::cpu {

class ThreadPool {
 public:
  // `threads` in total, the caller's included (so threads - 1 workers); 0 = one per hardware
  // thread.
  explicit ThreadPool(int threads = 0);
  ~ThreadPool();
  ThreadPool(const ThreadPool&) = delete;
  ThreadPool& operator=(const ThreadPool&) = delete;

  int size() const { return int(workers_.size()) + 1; }

  // Calls task(index, thread) for every index in [0, count), on up to `max_threads` threads
  // (0 = all; the caller is thread 0), and returns when all calls have returned. Indices are
  // handed out in increasing order as threads become free. The first exception thrown by a task
  // is rethrown here after the others finish.
  void run(int count, const std::function<void(int index, int thread)>& task, int max_threads = 0);

 private:
  void workerLoop(int thread);
  void drain(int thread);

  std::vector<std::thread> workers_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::condition_variable done_;
  // The job in progress, guarded by mutex_ (next_ is taken under the mutex as well: tasks are
  // tiles or chunks of kernels, coarse enough that the lock is never contended for long).
  const std::function<void(int, int)>* task_ = nullptr;
  std::uint64_t generation_ = 0;
  int count_ = 0;
  int next_ = 0;
  int participants_ = 0;  // workers allowed on the current job
  int busy_ = 0;          // workers still inside the current job
  std::exception_ptr error_;
  bool stopping_ = false;
};

}  // namespace gaussmap::cpu
