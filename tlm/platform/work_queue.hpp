// A worker thread fed through a bounded queue: the producer hands items over
// in order with push(), which waits while `capacity` items wait (so memory
// stays bounded and a slow worker slows the producer down); the worker runs
// `work` on each item, one at a time, in order; finish() lets it empty the
// queue and joins it (what the worker wrote is then visible to the caller).
// The thread starts with the first item. Used by the waveform writer
// (batches of records, waves.hpp) and the FST encoder (value-change blocks
// to compress, fst_encoder.hpp). Declare it after everything `work` uses, so
// that it is destroyed (and joined) first. times() tells what bounded the
// pipeline: how long each side waited for the other, and the worker's cpu.
#pragma once

#include <time.h>

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <utility>

namespace trimode {

// A queue's seconds: the producer waited in push() for room, the worker
// waited for items, the worker thread's cpu (user and system, counted when
// it ends).
struct WorkTimes {
  double producer_waited = 0, worker_waited = 0, worker_cpu = 0;
};

template <typename T>
class WorkQueue {
 public:
  WorkQueue(size_t capacity, std::function<void(std::unique_ptr<T>)> work)
      : capacity_(capacity), work_(std::move(work)) {}
  ~WorkQueue() { finish(); }
  WorkQueue(const WorkQueue&) = delete;
  WorkQueue& operator=(const WorkQueue&) = delete;

  void push(std::unique_ptr<T> item) {
    if (!worker_.joinable()) worker_ = std::thread([this] { run(); });
    std::unique_lock<std::mutex> lock(mu_);
    if (queue_.size() >= capacity_) {  // (timed only when it waits: the clock is read rarely)
      const auto t0 = std::chrono::steady_clock::now();
      cv_.wait(lock, [this] { return queue_.size() < capacity_; });
      times_.producer_waited += seconds_since(t0);
    }
    queue_.push_back(std::move(item));
    cv_.notify_all();
  }

  // An item waits (the worker is behind): push() may wait.
  bool backlog() {
    std::lock_guard<std::mutex> lock(mu_);
    return queue_.size() >= capacity_;
  }

  // Seconds, summed over the queue's life (complete after finish()).
  WorkTimes times() {
    std::lock_guard<std::mutex> lock(mu_);
    return times_;
  }

  void finish() {
    if (!worker_.joinable()) return;
    {
      std::lock_guard<std::mutex> lock(mu_);
      done_ = true;
      cv_.notify_all();
    }
    worker_.join();
    done_ = false;
  }

 private:
  static double seconds_since(std::chrono::steady_clock::time_point t0) {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  }

  void run() {
    for (;;) {
      std::unique_ptr<T> item;
      {
        std::unique_lock<std::mutex> lock(mu_);
        if (queue_.empty() && !done_) {
          const auto t0 = std::chrono::steady_clock::now();
          cv_.wait(lock, [this] { return !queue_.empty() || done_; });
          times_.worker_waited += seconds_since(t0);
        }
        if (queue_.empty()) {
          timespec cpu{};
          clock_gettime(CLOCK_THREAD_CPUTIME_ID, &cpu);
          times_.worker_cpu += static_cast<double>(cpu.tv_sec) + static_cast<double>(cpu.tv_nsec) * 1e-9;
          return;
        }
        item = std::move(queue_.front());
        queue_.pop_front();
        cv_.notify_all();
      }
      work_(std::move(item));
    }
  }

  const size_t capacity_;
  const std::function<void(std::unique_ptr<T>)> work_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::unique_ptr<T>> queue_;
  bool done_ = false;
  WorkTimes times_;
  std::thread worker_;
};

}  // namespace trimode
