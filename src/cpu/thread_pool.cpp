#include "cpu/thread_pool.h"

#include <algorithm>

namespace gaussmap::cpu {

ThreadPool::ThreadPool(int threads) {
  if (threads <= 0) threads = int(std::max(1u, std::thread::hardware_concurrency()));
  for (int t = 1; t < threads; ++t) workers_.emplace_back([this, t] { workerLoop(t); });
}

ThreadPool::~ThreadPool() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  for (std::thread& w : workers_) w.join();
}

void ThreadPool::drain(int thread) {
  for (;;) {
    int index;
    {
      std::lock_guard lock(mutex_);
      if (next_ >= count_) return;
      index = next_++;
    }
    try {
      (*task_)(index, thread);
    } catch (...) {
      std::lock_guard lock(mutex_);
      if (!error_) error_ = std::current_exception();
      next_ = count_;  // the others stop taking new work
    }
  }
}

void ThreadPool::workerLoop(int thread) {
  std::uint64_t seen = 0;
  for (;;) {
    {
      std::unique_lock lock(mutex_);
      wake_.wait(lock,
                 [&] { return stopping_ || (generation_ != seen && thread < participants_); });
      if (stopping_) return;
      seen = generation_;
      ++busy_;
    }
    drain(thread);
    {
      std::lock_guard lock(mutex_);
      if (--busy_ == 0) done_.notify_all();
    }
  }
}

void ThreadPool::run(int count, const std::function<void(int, int)>& task, int max_threads) {
  if (count <= 0) return;
  int threads = max_threads > 0 ? std::min(max_threads, size()) : size();
  threads = std::min(threads, count);
  {
    std::lock_guard lock(mutex_);
    task_ = &task;
    count_ = count;
    next_ = 0;
    error_ = nullptr;
    participants_ = threads;  // worker t takes part when t < participants_
    ++generation_;
  }
  if (threads > 1) wake_.notify_all();
  drain(0);
  std::exception_ptr error;
  {
    std::unique_lock lock(mutex_);
    // Workers that never woke for this job must not join it late: close it first.
    participants_ = 0;
    done_.wait(lock, [&] { return busy_ == 0; });
    task_ = nullptr;
    error = error_;
  }
  if (error) std::rethrow_exception(error);
}

}  // namespace gaussmap::cpu
